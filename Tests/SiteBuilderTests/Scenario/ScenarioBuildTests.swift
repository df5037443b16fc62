import Foundation
import SiteBuilder
import Testing

/// `allocbook build` runs the scenario checks first (through the processor) and, on a
/// mismatch, fails with the same diagnostics and leaves the previous site as it was.
@Suite struct ScenarioBuildTests {
    let course = "title: \"T\"\ndescription: \"D\"\n"

    func lesson(_ expected: String) -> String {
        "---\ntitle: \"M\"\norder: 1\nsummary: \"S\"\n---\n\n# M\n\n```scenario malloc\nA = malloc(8);\n//> \(expected)\n```\n"
    }

    @Test func mismatchFailsTheBuildAndKeepsTheOldSite() throws {
        let processor = ScenarioProcessor(
            runner: LessonScenarioRunner(engines: ScenarioFixtures.echo, verifier: nil))
        let configuration = SiteConfiguration(processors: [processor])
        let content = try SiteTestSupport.content([
            "course.yml": course, "01-malloc.md": lesson("ran A = malloc(8);"),
        ])
        let output = try SiteTestSupport.temporaryFolder().appendingPathComponent("site")
        defer {
            SiteTestSupport.remove(content)
            SiteTestSupport.remove(output.deletingLastPathComponent())
        }
        let good = SiteGenerator.build(
            contentDirectory: content.path, outputDirectory: output.path,
            configuration: configuration)
        #expect(!good.diagnostics.hasErrors)
        let page = try String(
            contentsOf: output.appendingPathComponent("malloc.html"), encoding: .utf8)
        #expect(
            page.contains(
                "id=\"malloc-scenario-1-block\" data-scenario=\"malloc-scenario-1\""
            ))
        let before = SiteTestSupport.tree(output)

        try SiteTestSupport.write(
            Data(lesson("wrong").utf8), to: content.appendingPathComponent("01-malloc.md"))
        let bad = SiteGenerator.build(
            contentDirectory: content.path, outputDirectory: output.path,
            configuration: configuration)
        let path = content.appendingPathComponent("01-malloc.md").path
        #expect(bad.diagnostics.map(\.headline) == ["\(path):11:1: error: scenario output differs"])
        #expect(SiteTestSupport.tree(output) == before)
    }
}
