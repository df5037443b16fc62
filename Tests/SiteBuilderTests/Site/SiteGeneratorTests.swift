import Foundation
import SiteBuilder
import Testing

@Suite struct SiteGeneratorTests {
    @Test func fixtureCourseMatchesGoldenFiles() throws {
        let output = try SiteTestSupport.temporaryFolder().appendingPathComponent("site")
        defer { SiteTestSupport.remove(output.deletingLastPathComponent()) }
        let result = SiteGenerator.build(
            contentDirectory: SiteTestSupport.fixtureCourse, outputDirectory: output.path)
        #expect(result.diagnostics.isEmpty)
        let tree = SiteTestSupport.tree(output)
        #expect(
            tree.keys.sorted() == [
                ".allocbook", "404.html", "assets/search-index.js", "assets/site.js",
                "assets/style.css", "first.html",
                "index.html",
                "print.html", "second-lesson.html", "third.html",
            ])
        // The theme files are compared with their sources in ThemeTests.
        #expect(tree["assets/style.css"] == Data(Theme.builtIn.styleSheet.utf8))
        #expect(tree["assets/site.js"] == Data(Theme.builtIn.script.utf8))
        for name in tree.keys.sorted() where name != "assets/style.css" && name != "assets/site.js"
        {
            let text = try #require(tree[name].flatMap { String(data: $0, encoding: .utf8) })
            SiteTestSupport.assertSnapshot(text, named: "site/\(name)")
        }
    }

    @Test func twoBuildsAreByteIdentical() throws {
        let root = try SiteTestSupport.temporaryFolder()
        defer { SiteTestSupport.remove(root) }
        let a = root.appendingPathComponent("a")
        let b = root.appendingPathComponent("b")
        let config = SiteConfiguration(inlineSidebarLimit: 1)
        for out in [a, b] {
            let result = SiteGenerator.build(
                contentDirectory: SiteTestSupport.fixtureCourse, outputDirectory: out.path,
                configuration: config)
            #expect(!result.diagnostics.hasErrors)
        }
        let left = SiteTestSupport.tree(a)
        #expect(!left.isEmpty)
        #expect(left == SiteTestSupport.tree(b))
    }

    @Test func largeCourseSidebarComesFromOneSharedScript() throws {
        let output = try SiteTestSupport.temporaryFolder().appendingPathComponent("site")
        defer { SiteTestSupport.remove(output.deletingLastPathComponent()) }
        let result = SiteGenerator.build(
            contentDirectory: SiteTestSupport.fixtureCourse, outputDirectory: output.path,
            configuration: SiteConfiguration(inlineSidebarLimit: 2))
        #expect(result.diagnostics.isEmpty)
        let tree = SiteTestSupport.tree(output)
        let page = String(decoding: try #require(tree["third.html"]), as: UTF8.self)
        #expect(page.contains("<script src=\"assets/toc.js\" defer></script>"))
        #expect(page.contains("id=\"sidebar-list\" data-current=\"third.html\"></ol>"))
        #expect(page.contains("<noscript><p><a href=\"index.html#lessons\">All 3 lessons</a>"))
        #expect(!page.contains("<li><a href=\"first.html\">"))
        let script = String(decoding: try #require(tree["assets/toc.js"]), as: UTF8.self)
        SiteTestSupport.assertSnapshot(script, named: "site/toc.js")
    }

    @Test func pluggedPartsAppear() throws {
        let output = try SiteTestSupport.temporaryFolder().appendingPathComponent("site")
        defer { SiteTestSupport.remove(output.deletingLastPathComponent()) }
        let config = SiteConfiguration(
            processors: [ShellMarker()],
            theme: Theme(files: [
                "style.css": "body{}", "custom.css": ".figure{}", "site.js": "var a = 1;",
                "custom.js": "var b = 2;",
            ]),
            overviewFigure: { course in "<svg data-lessons=\"\(course.lessons.count)\"></svg>" })
        let result = SiteGenerator.build(
            contentDirectory: SiteTestSupport.fixtureCourse, outputDirectory: output.path,
            configuration: config)
        #expect(result.diagnostics.isEmpty)
        let tree = SiteTestSupport.tree(output)
        let text = { (name: String) in String(decoding: tree[name] ?? Data(), as: UTF8.self) }
        #expect(text("assets/style.css") == "body{}\n.figure{}")
        #expect(text("assets/site.js") == "var a = 1;\nvar b = 2;")
        #expect(
            text("index.html").contains(
                "<div class=\"overview-figure\">\n<svg data-lessons=\"3\"></svg>\n</div>"))
        #expect(text("first.html").contains("<script src=\"assets/site.js\" defer></script>"))
        #expect(text("first.html").contains("<div class=\"shell\">line 36</div>"))
        #expect(!text("first.html").contains("cat /proc/slabinfo"))
    }

    @Test func processorErrorsFailTheBuild() throws {
        let output = try SiteTestSupport.temporaryFolder().appendingPathComponent("site")
        defer { SiteTestSupport.remove(output.deletingLastPathComponent()) }
        let result = SiteGenerator.build(
            contentDirectory: SiteTestSupport.fixtureCourse, outputDirectory: output.path,
            configuration: SiteConfiguration(processors: [ShellMarker(fails: true)]))
        #expect(
            result.diagnostics.map(\.headline) == [
                "\(SiteTestSupport.fixtureCourse)/01-first.md:37:1: error: shell block rejected"
            ])
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}

/// Replaces `sh` blocks by a marker, or rejects them.
private struct ShellMarker: FencedBlockProcessor {
    var fails = false

    func process(_ lesson: Lesson) -> FencedBlockOutput {
        var output = FencedBlockOutput()
        for block in lesson.document.fencedBlocks where block.language == "sh" {
            if fails {
                output.diagnostics.append(
                    .error(
                        "shell block rejected",
                        at: SourceLocation(
                            path: lesson.path, line: block.line(ofBodyLine: 0), column: 1)))
            } else {
                output.replacements[block.index] =
                    "<div class=\"shell\">line \(block.fenceLine)</div>\n"
            }
        }
        return output
    }
}
