import Foundation
import Synchronization
import Testing

@testable import SiteBuilder

/// Links to `#fragment` anchors fail the build with their location when the anchor is missing.
@Suite struct FragmentLinkTests {
    static let course = "title: T\ndescription: D\n"

    static func lesson(_ title: String, order: Int, body: String) -> String {
        "---\ntitle: \(title)\norder: \(order)\nsummary: S\n---\n\n" + body
    }

    func build(_ files: [String: String]) throws -> SiteGenerator.Result {
        let content = try SiteTestSupport.content(files)
        let output = try SiteTestSupport.temporaryFolder().appendingPathComponent("site")
        defer {
            SiteTestSupport.remove(content)
            SiteTestSupport.remove(output.deletingLastPathComponent())
        }
        return SiteGenerator.build(
            contentDirectory: content.path, outputDirectory: output.path)
    }

    @Test func existingAnchorsPass() throws {
        let result = try build([
            "course.yml": Self.course,
            "01-a.md": Self.lesson(
                "A", order: 1,
                body: """
                    # A

                    ## The bins

                    See [bins](#the-bins), [B's heap](02-b.md#the-heap), the
                    [scenario](02-b.md#b-scenario-1-line-12) and [a step](02-b.md#b-scenario-1-step-1).
                    """),
            "02-b.md": Self.lesson(
                "B", order: 2,
                body: """
                    # B

                    ## The heap

                    ```scenario malloc figure=steps
                    A = malloc(8);
                    //> A = 0x5555555592a0 (heap+0x2a0), 32-byte chunk carved from top; brk +0x21000
                    ```

                    """),
        ])
        #expect(!result.diagnostics.hasErrors, "\(result.diagnostics.map(\.text))")
    }

    /// Counts the lessons it is asked to process; generates one anchor per lesson.
    final class AnchorProcessor: FencedBlockProcessor {
        let seen = Mutex<[String]>([])
        func process(_ lesson: Lesson) -> FencedBlockOutput {
            seen.withLock { $0.append(lesson.fileName) }
            let block = lesson.document.fencedBlocks.first?.index ?? 0
            return FencedBlockOutput(replacements: [block: "<div id=\"made-here\"></div>"])
        }
    }

    /// `check` makes no pages, and a heading fragment needs none.
    ///
    /// Only the lessons that fragments which are no heading point into (here 03-c for `#made-here`, 01-a for the
    /// broken `#nope`) go through the page processors; 02-b does not. The errors are the
    /// build's.
    @Test func checkRunsThePageProcessorsOnlyWhereGeneratedAnchorsAreLinked() throws {
        let files = [
            "course.yml": Self.course,
            "01-a.md": Self.lesson(
                "A", order: 1,
                body: "# A\n\n[b](02-b.md#the-heap) [gen](03-c.md#made-here) [x](#nope)\n"),
            "02-b.md": Self.lesson("B", order: 2, body: "# B\n\n## The heap\n\n```c\nx\n```\n"),
            "03-c.md": Self.lesson("C", order: 3, body: "# C\n\n```c\ny\n```\n"),
        ]
        let content = try SiteTestSupport.content(files)
        defer { SiteTestSupport.remove(content) }
        let (course, _) = CourseLoader.load(contentDirectory: content.path)
        let processor = AnchorProcessor()
        let errors = FragmentLinks.check(course, processors: [processor])
        #expect(processor.seen.withLock { $0 }.sorted() == ["01-a.md", "03-c.md"])
        #expect(
            errors.map(\.message) == [
                "link to an anchor that does not exist: '#nope' in this lesson"
            ])
        var configuration = SiteConfiguration.standard
        configuration.processors = [AnchorProcessor()]
        let output = try SiteTestSupport.temporaryFolder().appendingPathComponent("site")
        defer { SiteTestSupport.remove(output.deletingLastPathComponent()) }
        let built = SiteGenerator.build(
            contentDirectory: content.path, outputDirectory: output.path,
            configuration: configuration)
        #expect(built.diagnostics.filter { $0.severity == .error } == errors)
    }

    @Test func missingAnchorsFailTheBuildAtTheLink() throws {
        let result = try build([
            "course.yml": Self.course,
            "01-a.md": Self.lesson(
                "A", order: 1,
                body: "# A\n\n## Bins\n\nSee [x](#nope) and\nthe [heap](02-b.md#heap-layout).\n"),
            "02-b.md": Self.lesson("B", order: 2, body: "# B\n\n## The heap\n"),
        ])
        let errors = result.diagnostics.filter { $0.severity == .error }.map(\.text)
        #expect(result.fileCount == 0)
        #expect(errors.count == 2)
        #expect(
            errors.first?.hasSuffix(
                "/01-a.md:11:5: error: link to an anchor that does not exist: '#nope' in this lesson"
            )
                == true)
        #expect(
            errors.last?.hasSuffix(
                "/01-a.md:12:5: error: link to an anchor that does not exist: '#heap-layout' in "
                    + "'02-b.md'") == true)
    }
}
