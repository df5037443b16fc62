import Foundation
import LessonMarkdown
import Synchronization
import TestSupport
import Testing

@testable import SiteBuilder

/// `allocbook serve`'s incremental rebuilds: only edited lessons are processed again, pages
/// equal a full build's, errors keep the last good site.
@Suite struct IncrementalSiteTests {
    /// Counts the lessons it is asked to process and replaces nothing.
    final class CountingProcessor: FencedBlockProcessor {
        let seen = Mutex<[String]>([])
        func process(_ lesson: Lesson) -> FencedBlockOutput {
            seen.withLock { $0.append(lesson.fileName) }
            return FencedBlockOutput()
        }
        func take() -> [String] {
            seen.withLock { s in
                defer { s = [] }; return s.sorted()
            }
        }
    }

    static func lesson(_ title: String, order: Int, body: String = "Text.\n") -> String {
        "---\ntitle: \(title)\norder: \(order)\nsummary: S\n---\n\n# \(title)\n\n" + body
    }

    static func files(_ count: Int) -> [String: String] {
        var files = ["course.yml": "title: T\ndescription: D\n"]
        for k in 1...count {
            files[String(format: "%02d-l%d.md", k, k)] = lesson("L\(k)", order: k)
        }
        return files
    }

    @Test func anEditedLessonIsTheOnlyOneProcessedAgain() throws {
        let content = try SiteTestSupport.content(Self.files(5))
        defer { SiteTestSupport.remove(content) }
        let counter = CountingProcessor()
        var configuration = SiteConfiguration.standard
        configuration.processors = [counter]
        var site = IncrementalSite(contentDirectory: content.path, configuration: configuration)

        let first = site.rebuild()
        #expect(!first.diagnostics.hasErrors)
        #expect(counter.take() == ["01-l1.md", "02-l2.md", "03-l3.md", "04-l4.md", "05-l5.md"])
        #expect(first.changedFiles.contains("l3.html"))

        let unchanged = site.rebuild()
        #expect(counter.take().isEmpty)
        #expect(unchanged.changedFiles.isEmpty)

        try Data(Self.lesson("L3", order: 3, body: "New text.\n").utf8).write(
            to: content.appendingPathComponent("03-l3.md"))
        let edit = site.rebuild()
        #expect(counter.take() == ["03-l3.md"])
        #expect(edit.processedLessons == ["03-l3.md"])
        // print.html and the search index hold every lesson's text.
        #expect(edit.changedFiles == ["assets/search-index.js", "l3.html", "print.html"])
        #expect(String(decoding: site.files["l3.html"] ?? [], as: UTF8.self).contains("New text."))

        // With the watcher's list of changed files, only those are read again.
        try Data(Self.lesson("L4", order: 4, body: "Fourth.\n").utf8).write(
            to: content.appendingPathComponent("04-l4.md"))
        try Data(Self.lesson("L5", order: 5, body: "Fifth.\n").utf8).write(
            to: content.appendingPathComponent("05-l5.md"))
        let hinted = site.rebuild(changed: ["04-l4.md"])
        #expect(counter.take() == ["04-l4.md"])
        #expect(hinted.changedFiles == ["assets/search-index.js", "l4.html", "print.html"])
        _ = site.rebuild()
        #expect(counter.take() == ["05-l5.md"])

        // A new title changes the sidebar, home page and neighbours' links: all pages.
        try Data(Self.lesson("Renamed", order: 3, body: "New text.\n").utf8).write(
            to: content.appendingPathComponent("03-l3.md"))
        let renamed = site.rebuild()
        #expect(counter.take() == ["03-l3.md"])
        #expect(renamed.changedFiles.contains("index.html"))
        #expect(renamed.changedFiles.contains("l2.html"))
        #expect(renamed.changedFiles.contains("l4.html"))
    }

    @Test func pagesEqualAFullBuild() throws {
        let content = try SiteTestSupport.content(Self.files(4))
        defer { SiteTestSupport.remove(content) }
        var site = IncrementalSite(contentDirectory: content.path)
        _ = site.rebuild()
        try Data(Self.lesson("L2", order: 2, body: "Edited.\n").utf8).write(
            to: content.appendingPathComponent("02-l2.md"))
        _ = site.rebuild()
        try Self.expectFullBuild(content, equals: site, "after an edit")
    }

    /// Builds `content` in full and expects `site`'s files to be that build's, byte for byte.
    static func expectFullBuild(_ content: URL, equals site: IncrementalSite, _ when: String)
        throws
    {
        let output = try SiteTestSupport.temporaryFolder().appendingPathComponent("site")
        defer { SiteTestSupport.remove(output.deletingLastPathComponent()) }
        let full = SiteGenerator.build(contentDirectory: content.path, outputDirectory: output.path)
        #expect(!full.diagnostics.hasErrors, "\(when)")
        var tree = SiteTestSupport.tree(output)
        tree[".allocbook"] = nil
        let files = site.files
        #expect(Set(tree.keys) == Set(files.keys), "\(when)")
        for (name, data) in tree where Array(data) != files[name] {
            Issue.record("\(when): \(name) differs from a full build's")
        }
    }

    /// Random edits (words added and removed, headings added, titles changed, lessons added,
    /// removed and moved); after each, the served files, print.html and the search index
    /// (made of cached per-lesson parts) are byte for byte those of a full build.
    @Test func wholeCourseFilesFollowRandomEditsAsAFullBuildMakesThem() throws {
        var random = SeededRandom(state: 1016)
        let words = [
            "kmalloc", "slab", "buddy", "tcache", "Größe", "fastbin", "vmalloc", "page", "order",
            "`code`", "**bold**", "~~gone~~", "0x1000", "4096", "arena", "merge", "split",
        ]
        func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }
        func body() -> String {
            var text = ""
            for _ in 0..<(1 + random.next() % 3) {
                text += "## \(pick(words)) \(random.next() % 100)\n\n"
                text += (0..<(3 + random.next() % 8)).map { _ in pick(words) }.joined(
                    separator: " ")
                text += ".\n\n"
            }
            return text
        }
        var lessons: [String: (title: String, order: Int, body: String)] = [:]
        for k in 1...6 { lessons[String(format: "%02d-l%d.md", k, k)] = ("L\(k)", k * 10, body()) }
        func text(_ lesson: (title: String, order: Int, body: String)) -> String {
            Self.lesson(lesson.title, order: lesson.order, body: lesson.body)
        }
        var files = ["course.yml": "title: T\ndescription: D\n"]
        for (name, lesson) in lessons { files[name] = text(lesson) }
        let content = try SiteTestSupport.content(files)
        defer { SiteTestSupport.remove(content) }
        var site = IncrementalSite(contentDirectory: content.path)
        _ = site.rebuild()
        var next = 7
        for step in 0..<30 {
            let names = lessons.keys.sorted()
            let name = pick(names)
            var lesson = lessons[name]!
            switch random.next() % 8 {
            case 0, 1, 2: lesson.body += pick(words) + " " + pick(words) + ".\n"
            case 3: lesson.body = body()
            case 4: lesson.title += " \(step)"
            case 5: lesson.order = Int(random.next() % 200) * 10 + 5
            case 6:
                let added = String(format: "%02d-l%d.md", next, next)
                lessons[added] = ("L\(next)", next * 10 + 1, body())
                try Data(text(lessons[added]!).utf8).write(
                    to: content.appendingPathComponent(added))
                next += 1
            default:
                if lessons.count > 2 {
                    lessons[name] = nil
                    try FileManager.default.removeItem(at: content.appendingPathComponent(name))
                    _ = site.rebuild()
                    continue
                }
            }
            if lessons[name] != nil {
                lessons[name] = lesson
                try Data(text(lesson).utf8).write(to: content.appendingPathComponent(name))
            }
            let rebuild = site.rebuild()
            #expect(!rebuild.diagnostics.hasErrors, "step \(step)")
            try Self.expectFullBuild(content, equals: site, "step \(step)")
        }
    }

    @Test func errorsKeepTheLastGoodSiteAndRemovalsDropPages() throws {
        let content = try SiteTestSupport.content(Self.files(3))
        defer { SiteTestSupport.remove(content) }
        var site = IncrementalSite(contentDirectory: content.path)
        _ = site.rebuild()
        let good = site.files
        try Data(Self.lesson("L2", order: 2, body: "[x](#missing)\n").utf8).write(
            to: content.appendingPathComponent("02-l2.md"))
        let broken = site.rebuild()
        #expect(broken.diagnostics.hasErrors)
        #expect(
            broken.diagnostics.first?.text.contains("02-l2.md:9:1: error: link to an anchor")
                == true)
        #expect(site.files == good)
        #expect(site.diagnostics.hasErrors)

        try FileManager.default.removeItem(at: content.appendingPathComponent("02-l2.md"))
        let removed = site.rebuild()
        #expect(!removed.diagnostics.hasErrors)
        #expect(removed.removedFiles == ["l2.html"])
        #expect(site.files["l2.html"] == nil)
        #expect(site.diagnostics.isEmpty)
    }
}
