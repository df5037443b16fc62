import Foundation
import LessonMarkdown
import SiteBuilder
import Testing

/// `build`, `check` and `serve` parse each lesson with cmark once (`ParseCounter` counts the
/// parses of Markdown holding this test's own word, so other tests running meanwhile do not
/// count).
@Suite struct OneParseTests {
    private static func course(word: String) -> [String: String] {
        var files = ["course.yml": "title: T\ndescription: D\n"]
        for k in 1...3 {
            files["0\(k)-l\(k).md"] = """
                ---
                title: L\(k)
                order: \(k)
                summary: S
                ---

                # Lesson \(k) [see](0\(k % 3 + 1)-l\(k % 3 + 1).md#target)

                ## Target

                The word \(word), a [link](0\(k % 3 + 1)-l\(k % 3 + 1).md) and ![a figure](f.png).

                ```c
                int x = \(k);
                ```

                ```scenario malloc
                m = malloc(100);
                //> m = 0x5555555592a0 (heap+0x2a0), 112-byte chunk carved from top; brk +0x21000
                ```

                """
        }
        return files
    }

    @Test func buildParsesEachLessonOnce() throws {
        let word = "w" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let content = try SiteTestSupport.content(Self.course(word: word))
        let output = try SiteTestSupport.temporaryFolder().appendingPathComponent("site")
        defer {
            SiteTestSupport.remove(content)
            SiteTestSupport.remove(output.deletingLastPathComponent())
        }
        let (result, parses) = ParseCounter.counting(parsesOf: word) {
            SiteGenerator.build(contentDirectory: content.path, outputDirectory: output.path)
        }
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.text))")
        #expect(parses == 3)
        // The pages were made from the kept body: links rewritten, blocks replaced.
        let page = try String(contentsOf: output.appendingPathComponent("l1.html"), encoding: .utf8)
        #expect(page.contains("<a href=\"l2.html\">link</a>"))
        #expect(page.contains("href=\"l2.html#target\">see</a>"))
        #expect(page.contains("id=\"l1-scenario-1\""))
        #expect(!page.contains("allocbook-0-"))
    }

    @Test func checkParsesEachLessonOnce() throws {
        let word = "w" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let content = try SiteTestSupport.content(Self.course(word: word))
        defer { SiteTestSupport.remove(content) }
        let check = ScenarioCheck(
            content: content.path, fix: false,
            runner: LessonScenarioRunner(engines: ScenarioEngines.standard, verifier: nil))
        let (report, parses) = ParseCounter.counting(parsesOf: word) { check.run() }
        #expect(!report.diagnostics.hasErrors)
        #expect(parses == 3)
    }

    @Test func serveParsesOnlyWhatChanged() throws {
        let word = "w" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let content = try SiteTestSupport.content(Self.course(word: word))
        defer { SiteTestSupport.remove(content) }
        var site = IncrementalSite(contentDirectory: content.path)
        let (first, parses) = ParseCounter.counting(parsesOf: word) { site.rebuild() }
        #expect(!first.diagnostics.hasErrors)
        #expect(parses == 3)
        let path = content.appendingPathComponent("02-l2.md")
        let edited = try String(contentsOf: path, encoding: .utf8).replacingOccurrences(
            of: "The word", with: "The edited word")
        try Data(edited.utf8).write(to: path)
        let (second, again) = ParseCounter.counting(parsesOf: word) {
            site.rebuild(changed: ["02-l2.md"])
        }
        #expect(!second.diagnostics.hasErrors)
        #expect(second.changedFiles.contains("l2.html"))
        #expect(again == 1)
    }
}
