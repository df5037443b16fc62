import Foundation
import SiteBuilder
import Testing

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
