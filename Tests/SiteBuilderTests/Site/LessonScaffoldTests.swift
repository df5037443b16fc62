import Foundation
import SiteBuilder
import Testing

@Suite struct LessonScaffoldTests {
    @Test func createsTheNextLessonWhichLoadsCleanly() throws {
        let folder = try SiteTestSupport.content([
            "course.yml": "title: T\ndescription: D\n",
            "01-a.md": "---\ntitle: A\norder: 1\nsummary: S\n---\n",
            "07-b.md": "---\ntitle: B\norder: 9\nsummary: S\n---\n",
        ])
        defer { SiteTestSupport.remove(folder) }
        let result = LessonScaffold.create(
            title: "The \"buddy\" allocator: orders", contentDirectory: folder.path)
        #expect(result == .success(folder.path + "/10-the-buddy-allocator-orders.md"))
        let (course, diagnostics) = CourseLoader.load(contentDirectory: folder.path)
        #expect(diagnostics.isEmpty)
        let lesson = try #require(course.lessons.last)
        #expect(lesson.frontMatter.title == "The \"buddy\" allocator: orders")
        #expect(lesson.source.hasPrefix("---\ntitle: \"The \\\"buddy\\\" allocator: orders\"\n"))
        #expect(lesson.frontMatter.order == 10)
        #expect(lesson.frontMatter.slug == "the-buddy-allocator-orders")
        #expect(
            lesson.document.headings.map(\.text) == [
                "The idea", "How it works", "Try it", "Summary",
            ])
    }

    @Test func titleStaysReadableInTheFrontMatter() throws {
        let folder = try SiteTestSupport.content(["course.yml": "title: T\ndescription: D\n"])
        defer { SiteTestSupport.remove(folder) }
        let result = LessonScaffold.create(title: "Pages & <frames>", contentDirectory: folder.path)
        #expect(result == .success(folder.path + "/01-pages-frames.md"))
        let text = try String(contentsOfFile: folder.path + "/01-pages-frames.md", encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: \"Pages & <frames>\"\n"))
        let (course, diagnostics) = CourseLoader.load(contentDirectory: folder.path)
        #expect(diagnostics.isEmpty)
        #expect(course.lessons.first?.frontMatter.title == "Pages & <frames>")
    }

    @Test func firstLessonOfAnEmptyCourseAndNoOverwrite() throws {
        let folder = try SiteTestSupport.content(["course.yml": "title: T\ndescription: D\n"])
        defer { SiteTestSupport.remove(folder) }
        #expect(
            LessonScaffold.create(title: "Overview", contentDirectory: folder.path)
                == .success(folder.path + "/01-overview.md"))
        try FileManager.default.removeItem(atPath: folder.path + "/01-overview.md")
        try SiteTestSupport.write(
            Data("mine".utf8), to: folder.appendingPathComponent("01-overview.md"))
        #expect(
            LessonScaffold.create(title: "Overview", contentDirectory: folder.path)
                == .failure(ScaffoldError("'\(folder.path)/01-overview.md' already exists")))
        #expect(
            try String(contentsOfFile: folder.path + "/01-overview.md", encoding: .utf8) == "mine")
    }

    @Test func rejectsTitlesWithoutLettersAndMissingFolders() {
        #expect(
            LessonScaffold.create(title: "???", contentDirectory: "/nonexistent")
                == .failure(ScaffoldError("the title must contain letters or digits")))
        #expect(
            LessonScaffold.create(title: "A", contentDirectory: "/nonexistent/x")
                == .failure(ScaffoldError("content folder '/nonexistent/x' does not exist")))
    }
}
