import Figures
import Foundation
import Playground
import Scenarios
import Testing

@testable import SiteBuilder

/// Every scenario of the course, as the Try-it editor starts it, gives in the playground what
/// the lesson says: the same output lines and the same final figure as the build.
@Suite struct TryItTests {
    static let content = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content")

    @Test func everyCourseScenarioRunsInThePlaygroundAsInTheLesson() throws {
        let (course, loadDiagnostics) = CourseLoader.load(contentDirectory: Self.content.path)
        #expect(loadDiagnostics.filter { $0.severity == .error }.isEmpty)
        let runner = LessonScenarioRunner(engines: ScenarioEngines.standard, verifier: nil)
        var checked = 0
        for lesson in course.lessons {
            let results = runner.run(
                path: lesson.path, lines: LessonLines(Array(lesson.source.utf8)),
                slug: lesson.frontMatter.slug)
            let entries = TryItSources.entries(results, lesson: lesson.frontMatter.title)
            let byID = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0) })
            for result in results where !result.failed {
                let entry = try #require(byID[result.id])
                var info = "scenario \(entry.model.rawValue)"
                if entry.model == .kernel {
                    info += " cpus=\(entry.cpus) memory=\(TryItSources.memory(entry.memoryBytes))"
                    if entry.slabDebug { info += " slab_debug=F" }
                }
                let run = PlaygroundRunner.run(
                    PlaygroundRequest(
                        info: info, figureID: result.id, steps: false, text: entry.text[...]))
                #expect(run.diagnostics == [], "\(result.id)")
                let own = (result.actual ?? []).flatMap { $0 }
                #expect(Array(run.lines.suffix(own.count)) == own, "\(result.id)")
                if let last = result.frames.last {
                    #expect(
                        run.figure
                            == FigureRenderer.svg(
                                id: result.id + "-final", frame: last, previous: nil),
                        "\(result.id)")
                }
                checked += 1
            }
        }
        #expect(checked >= 90)
    }

    @Test func sessionBlocksStartFromTheSessionsEarlierStatements() {
        let lesson = """
            ```scenario malloc session=s
            A = malloc(10);
            //> ignored
            ```

            ```scenario malloc session=s
            // then
            free(A);
            ```
            """
        let runner = LessonScenarioRunner(engines: ScenarioEngines.standard, verifier: nil)
        let results = runner.run(
            path: "x.md", lines: LessonLines(Array(lesson.utf8)), slug: "x")
        let entries = TryItSources.entries(results, lesson: "X")
        #expect(
            entries.map(\.text) == ["A = malloc(10);", "//- A = malloc(10);\n// then\nfree(A);"])
        let script = TryItSources.script([entries])
        #expect(script.contains("\"x-scenario-2\":{\"lesson\":\"X\",\"model\":\"malloc\""))
        #expect(script.hasSuffix("window.AllocBookStarters=[\"x-scenario-1\"];\n"))
    }

    @Test func aSlabDebugBlockCarriesItsOptionToTheEditor() {
        let lesson = "```scenario kernel slab_debug=F\na = kmalloc(8, GFP_KERNEL);\n```\n"
        let runner = LessonScenarioRunner(engines: ScenarioEngines.standard, verifier: nil)
        let results = runner.run(
            path: "x.md", lines: LessonLines(Array(lesson.utf8)), slug: "x")
        let entries = TryItSources.entries(results, lesson: "X")
        #expect(entries.map(\.slabDebug) == [true])
        #expect(
            TryItSources.script([entries]).contains(
                "\"model\":\"kernel\",\"cpus\":2,\"memory\":\"64M\",\"slab_debug\":\"F\""))
    }
}
