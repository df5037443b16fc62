import AllocatorModels
import Foundation
import LessonMarkdown
import SiteBuilder
import Testing

@Suite struct ScenarioProcessorTests {
    func lesson(_ source: String) -> Lesson {
        Lesson(
            path: "content/03-malloc.md", fileName: "03-malloc.md",
            frontMatter: LessonFrontMatter(title: "malloc", order: 3, summary: "s", slug: "malloc"),
            source: source, document: LessonDocument.parse(source))
    }

    var processor: ScenarioProcessor {
        ScenarioProcessor(
            runner: LessonScenarioRunner(engines: ScenarioFixtures.echo, verifier: nil))
    }

    /// The target's Snapshots folder (Tests/SiteBuilderTests/Snapshots).
    @Test func rendersVisibleStatementsOutputsAndPredict() throws {
        let source = """
            # malloc

            ```scenario malloc figure=none
            // setup is hidden
            //- S = malloc(1);
            //> ran S = malloc(1);
            A = malloc(8 * sizeof(int)); // <b>&"quoted"</b>

            //> ran A = malloc(8 * sizeof(int));
            ```

            ```scenario malloc predict=true figure=none
            free(A < 1);
            ```

            ```scenario malloc predict=true figure=none
            B = malloc(1);
            //> ran B = malloc(1);
            ```

            """
        let output = processor.process(lesson(source))
        #expect(
            output.diagnostics.map(\.headline) == [
                "content/03-malloc.md:13:8: error: unexpected character '<'"
            ])
        #expect(output.replacements.keys.sorted() == [0, 2])
        let html = try #require(output.replacements[0]) + (output.replacements[2] ?? "")
        #expect(!html.contains("S = malloc"))
        #expect(!html.contains("<b>"))
        SiteTestSupport.assertSnapshot(html, named: "scenario-listing-and-predict.html")
    }

    @Test func machineTextKeepsItsColumns() throws {
        let source = """
            ```scenario malloc figure=none
            A = malloc(8);
            //> ran A = malloc(8);
            malloc_stats();
            //> ran malloc_stats();
            ```

            """
        let output = processor.process(lesson(source))
        let html = try #require(output.replacements.values.first)
        #expect(html.contains("<span class=\"ab-line ab-out\"><span class=\"ab-mark\""))
        #expect(
            html.contains(
                "<span class=\"ab-line ab-out ab-verbatim\"><span class=\"ab-mark\" "
                    + "aria-hidden=\"true\">→ </span>ran malloc_stats();</span>"))
        #expect(html.components(separatedBy: "ab-verbatim").count == 2)
    }

    @Test func scenarioInsideAListIsReported() {
        let source = "> quoted\n>\n> ```scenario malloc\n> A = malloc(8);\n> ```\n"
        let output = processor.process(lesson(source))
        #expect(
            output.diagnostics.map(\.headline) == [
                "content/03-malloc.md:3:3: error: a scenario block must be at the top level of the lesson, not inside a list or quote"
            ])
    }
}
