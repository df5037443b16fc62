import AllocatorModels
import Foundation
import SiteBuilder
import Testing

@Suite struct ScenarioFixerTests {
    func fixed(_ text: String) -> String {
        let lines = LessonLines(Array(text.utf8))
        let results = ScenarioFixtures.runner().run(path: "l.md", lines: lines, slug: "l")
        return String(decoding: ScenarioFixer.fixedBytes(lines, results: results), as: UTF8.self)
    }

    @Test func replacesOnlyExpectedLines() {
        let text = """
            Intro  with  trailing spaces   
            ```scenario malloc
              A = malloc(8);   // keep me
              //> old one
              //> old two
            // a comment
            free(A);
            //> ran free(A);
            ```
            Outro

            """
        let want = """
            Intro  with  trailing spaces   
            ```scenario malloc
              A = malloc(8);   // keep me
              //> ran A = malloc(8);
            // a comment
            free(A);
            //> ran free(A);
            ```
            Outro

            """
        #expect(fixed(text) == want)
        #expect(fixed(want) == want)
    }

    @Test func fillsBlocksWithoutExpectedLinesAndKeepsHiddenMarkers() {
        let text = "```scenario malloc\n//- A = malloc(8);\n    B = malloc(9);\n```"
        #expect(
            fixed(text)
                == "```scenario malloc\n//- A = malloc(8);\n//> ran A = malloc(8);\n    B = malloc(9);\n    //> ran B = malloc(9);\n```"
        )
    }

    @Test func preservesCRLFAndMissingFinalNewline() {
        let text = "a\r\n```scenario malloc\r\nA = malloc(8);\r\n//> x\r\n```\r\nend"
        let want =
            "a\r\n```scenario malloc\r\nA = malloc(8);\r\n//> ran A = malloc(8);\r\n```\r\nend"
        #expect(fixed(text) == want)
        #expect(Array(fixed(want).utf8) == Array(want.utf8))
    }

    @Test func unclosedBlockIsAnErrorAndIsNotRewritten() {
        #expect(fixed("```scenario malloc\nA = malloc(8);") == "```scenario malloc\nA = malloc(8);")
        #expect(
            fixed("```scenario malloc\nA = malloc(8);\n") == "```scenario malloc\nA = malloc(8);\n")
    }

    @Test func leavesBlocksWithErrorsAlone() {
        let text = "```scenario malloc\nA = mallok(8);\n//> x\n```\n"
        #expect(fixed(text) == text)
    }

    @Test func checkFixWritesAtomicallyAndASecondCheckPasses() throws {
        let folder = try ScenarioFixtures.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/03-malloc.md"
        let text =
            "---\r\ntitle: M\r\norder: 3\r\nsummary: S\r\n---\r\n"
            + "# M\r\n\r\n```scenario malloc\r\nA = malloc(8);\r\n//> stale\r\n```\r\n\r\n```c\r\nint x;\r\n```"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let first = ScenarioCheck(content: folder, fix: false, runner: ScenarioFixtures.runner())
            .run()
        #expect(first.failed)
        let fix = ScenarioCheck(content: folder, fix: true, runner: ScenarioFixtures.runner()).run()
        #expect(!fix.failed)
        #expect(fix.fixed.map(\.path) == [path])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "---\r\ntitle: M\r\norder: 3\r\nsummary: S\r\n---\r\n"
                + "# M\r\n\r\n```scenario malloc\r\nA = malloc(8);\r\n//> ran A = malloc(8);\r\n```\r\n\r\n```c\r\nint x;\r\n```"
        )
        let second = ScenarioCheck(content: folder, fix: false, runner: ScenarioFixtures.runner())
            .run()
        #expect(!second.failed)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(leftovers.sorted() == ["03-malloc.md", "course.yml"])
    }
}
