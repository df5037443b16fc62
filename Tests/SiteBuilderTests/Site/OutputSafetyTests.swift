import Foundation
import SiteBuilder
import Testing

/// Atomic replacement, refusal of foreign folders, and escaping of hostile lessons.
@Suite struct OutputSafetyTests {
    static let courseFile = "title: T\ndescription: D\n"
    static let good = "---\ntitle: A\norder: 1\nsummary: S\n---\n\n## Hello\n"

    /// A temporary folder holding `content/` with one lesson, and the path of `site/`.
    static func oneLessonCourse() throws -> (root: URL, content: URL, output: URL) {
        let root = try SiteTestSupport.temporaryFolder()
        let content = root.appendingPathComponent("content")
        try SiteTestSupport.write(
            Data(courseFile.utf8), to: content.appendingPathComponent("course.yml"))
        try SiteTestSupport.write(Data(good.utf8), to: content.appendingPathComponent("01-a.md"))
        return (root, content, root.appendingPathComponent("site"))
    }

    @Test func failedBuildLeavesThePreviousOutputByteIdentical() throws {
        let (root, content, output) = try Self.oneLessonCourse()
        defer { SiteTestSupport.remove(root) }
        let first = SiteGenerator.build(
            contentDirectory: content.path, outputDirectory: output.path)
        #expect(!first.diagnostics.hasErrors)
        let before = SiteTestSupport.tree(output)
        #expect(before["a.html"] != nil)

        try SiteTestSupport.write(
            Data("---\ntitle: B\norder: nope\nsummary: S\n---\n".utf8),
            to: content.appendingPathComponent("02-b.md"))
        let second = SiteGenerator.build(
            contentDirectory: content.path, outputDirectory: output.path)
        #expect(second.diagnostics.hasErrors)
        #expect(SiteTestSupport.tree(output) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        #expect(leftovers == ["content", "site"])
    }

    @Test func successfulRebuildReplacesTheOutput() throws {
        let (root, content, output) = try Self.oneLessonCourse()
        defer { SiteTestSupport.remove(root) }
        _ = SiteGenerator.build(contentDirectory: content.path, outputDirectory: output.path)
        try FileManager.default.moveItem(
            at: content.appendingPathComponent("01-a.md"),
            to: content.appendingPathComponent("01-z.md"))
        let result = SiteGenerator.build(
            contentDirectory: content.path, outputDirectory: output.path)
        #expect(!result.diagnostics.hasErrors)
        let tree = SiteTestSupport.tree(output)
        #expect(tree["a.html"] == nil)
        #expect(tree["z.html"] != nil)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.path).sorted()
        #expect(leftovers == ["content", "site"])
    }

    @Test func refusesAFolderItDidNotMake() throws {
        let root = try SiteTestSupport.temporaryFolder()
        defer { SiteTestSupport.remove(root) }
        let output = root.appendingPathComponent("docs")
        try SiteTestSupport.write(Data("mine".utf8), to: output.appendingPathComponent("notes.txt"))
        let result = SiteGenerator.build(
            contentDirectory: SiteTestSupport.fixtureCourse, outputDirectory: output.path)
        #expect(
            result.diagnostics.map(\.headline) == [
                "allocbook: error: output folder '\(output.path)' was not made by allocbook "
                    + "(no '.allocbook' marker); refusing to replace it"
            ])
        #expect(SiteTestSupport.tree(output) == ["notes.txt": Data("mine".utf8)])
    }

    @Test func refusesAForeignFileInsideItsOwnOutput() throws {
        let root = try SiteTestSupport.temporaryFolder()
        defer { SiteTestSupport.remove(root) }
        let output = root.appendingPathComponent("site")
        _ = SiteGenerator.build(
            contentDirectory: SiteTestSupport.fixtureCourse, outputDirectory: output.path)
        try SiteTestSupport.write(
            Data("x".utf8), to: output.appendingPathComponent("assets/extra.css"))
        let before = SiteTestSupport.tree(output)
        let result = SiteGenerator.build(
            contentDirectory: SiteTestSupport.fixtureCourse, outputDirectory: output.path)
        #expect(
            result.diagnostics.map(\.headline) == [
                "allocbook: error: output folder '\(output.path)' holds 'assets/extra.css', which "
                    + "allocbook did not make; move it away or choose another output folder"
            ])
        #expect(SiteTestSupport.tree(output) == before)
    }

    @Test func refusesASymbolicLinkItDidNotMake() throws {
        let root = try SiteTestSupport.temporaryFolder()
        defer { SiteTestSupport.remove(root) }
        let output = root.appendingPathComponent("site")
        _ = SiteGenerator.build(
            contentDirectory: SiteTestSupport.fixtureCourse, outputDirectory: output.path)
        try FileManager.default.createSymbolicLink(
            atPath: output.appendingPathComponent("docs").path, withDestinationPath: root.path)
        let result = SiteGenerator.build(
            contentDirectory: SiteTestSupport.fixtureCourse, outputDirectory: output.path)
        #expect(result.diagnostics.map(\.headline).first?.contains("holds 'docs'") == true)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("docs").path))
    }

    @Test func hostileLessonCannotInjectScript() throws {
        let hostile = """
            ---
            title: "\\"><script>alert('t')</script>"
            order: 1
            summary: "<img src=x onerror=alert(1)> & \\"quotes\\""
            slug: hostile
            ---

            <script>alert('body')</script>

            ## <b onclick="x()">Heading</b> "quoted"

            [click](javascript:alert('link')) [data](data:text/html,<script>alert(1)</script>)
            <iframe src="https://evil.example"></iframe>

            ![img](x.png "<script>")

            ```c
            </code></pre><script>alert('code')</script>
            ```
            """
        let content = try SiteTestSupport.content([
            "course.yml":
                "title: \"</title><script>alert('course')</script>\"\ndescription: \"<b>D</b>\"\n",
            "01-hostile.md": hostile,
            "02-other.md":
                "---\ntitle: \"</script><script>alert('toc')</script>\"\norder: 2\nsummary: S\n---\n",
        ])
        defer { SiteTestSupport.remove(content) }
        let output = content.appendingPathComponent("out")
        for limit in [60, 1] {
            SiteTestSupport.remove(output)
            let result = SiteGenerator.build(
                contentDirectory: content.path, outputDirectory: output.path,
                configuration: SiteConfiguration(inlineSidebarLimit: limit))
            #expect(!result.diagnostics.hasErrors)
            let tree = SiteTestSupport.tree(output)
            #expect(tree.count >= 5)
            for (name, data) in tree {
                let text = String(decoding: data, as: UTF8.self)
                #expect(!text.contains("<script>"), "\(name)")
                #expect(
                    !text.contains("alert('") || name == "assets/toc.js"
                        || name == "assets/search-index.js" || text.contains("&#39;"),
                    "\(name)")
                #expect(!text.contains("javascript:"), "\(name)")
                #expect(!text.contains("<img src=x"), "\(name)")
                #expect(!text.contains("<iframe"), "\(name)")
                #expect(!text.contains("<b onclick"), "\(name)")
                #expect(!text.contains("</script><script>"), "\(name)")
            }
            let page = String(decoding: tree["hostile.html"] ?? Data(), as: UTF8.self)
            #expect(
                page.contains("<h1>&quot;&gt;&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</h1>"))
            #expect(page.contains("&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;"))
        }
    }
}
