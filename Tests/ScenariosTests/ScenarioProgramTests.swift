import AllocatorModels
import Scenarios
import Testing

@Suite struct ScenarioProgramTests {
    func lines(_ texts: [String], firstLine: Int = 10) -> [ScenarioSourceLine] {
        texts.enumerated().map {
            ScenarioSourceLine(text: $0.element, line: firstLine + $0.offset, column: 1)
        }
    }

    @Test func attachesExpectedLinesToTheirStatement() {
        var variables = ScenarioVariables()
        let program = ScenarioProgram.parse(
            lines([
                "// the story", "A = malloc(8);", "//> first", "//>   indented  ", "",
                "//- B = malloc(16);", "//> hidden output", "free(A);",
            ]), model: .malloc, variables: &variables)
        #expect(program.issues.isEmpty)
        #expect(
            program.statements.map(\.text) == ["A = malloc(8);", "B = malloc(16);", "free(A);"])
        #expect(program.statements.map(\.hidden) == [false, true, false])
        #expect(program.statements[1].column == 5)
        #expect(program.expected == [["first", "  indented"], ["hidden output"], []])
        #expect(program.items.first == .comment("// the story", line: 10))
        #expect(variables["B"] == .pointer)
    }

    @Test func reportsEveryErrorOnceWithoutCascades() {
        var variables = ScenarioVariables()
        let program = ScenarioProgram.parse(
            lines(["//> orphan", "A = malloc(8 +);", "free(A);", "free(Z);", "//-"]),
            model: .malloc, variables: &variables)
        #expect(
            program.issues == [
                ScenarioIssue(line: 10, column: 1, "expected output '//>' before any statement"),
                ScenarioIssue(line: 11, column: 15, "expected an expression, found ')'"),
                ScenarioIssue(line: 13, column: 6, "unknown variable 'Z'"),
                ScenarioIssue(line: 14, column: 4, "expected a statement after '//-'"),
            ])
    }
}
