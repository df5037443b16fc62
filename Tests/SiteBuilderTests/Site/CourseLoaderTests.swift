import Foundation
import SiteBuilder
import Testing

/// Every diagnostic of course loading, with its exact position.
@Suite struct CourseLoaderTests {
    static let courseFile = "title: T\ndescription: D\n"

    /// Loads a course made of `files` and returns the headlines, with the temporary folder's
    /// path replaced by `content`.
    private func headlines(_ files: [String: String]) throws -> [String] {
        let folder = try SiteTestSupport.content(files)
        defer { SiteTestSupport.remove(folder) }
        return load(folder)
    }

    private func load(_ folder: URL) -> [String] {
        let (_, diagnostics) = CourseLoader.load(contentDirectory: folder.path)
        return diagnostics.map {
            $0.headline.replacingOccurrences(of: folder.path, with: "content")
        }
    }

    private func lesson(_ front: String, body: String = "Text.\n") -> String {
        "---\n\(front)---\n\n\(body)"
    }

    @Test func validCourseHasNoDiagnostics() throws {
        let (course, diagnostics) = CourseLoader.load(
            contentDirectory: SiteTestSupport.fixtureCourse)
        #expect(diagnostics.isEmpty)
        #expect(course.lessons.map(\.frontMatter.slug) == ["first", "second-lesson", "third"])
        #expect(course.info.basePath == "/course/")
        #expect(course.lessons[0].path == SiteTestSupport.fixtureCourse + "/01-first.md")
    }

    @Test func wronglyTypedOrder() throws {
        let result = try headlines([
            "course.yml": Self.courseFile,
            "02-vmalloc.md": lesson("title: V\norder: two\nsummary: S\n"),
        ])
        #expect(
            result == ["content/02-vmalloc.md:3:8: error: front matter: 'order' must be an integer"]
        )
    }

    @Test func missingFields() throws {
        let result = try headlines([
            "course.yml": Self.courseFile, "01-a.md": lesson("order: 1\n"),
        ])
        #expect(
            result == [
                "content/01-a.md:1:1: error: front matter: missing 'title'",
                "content/01-a.md:1:1: error: front matter: missing 'summary'",
            ])
    }

    @Test func wronglyTypedTitleAndUnknownKey() throws {
        let result = try headlines([
            "course.yml": Self.courseFile,
            "01-a.md": lesson("title: [a, b]\norder: 1\nsummary:\nauthor: x\n"),
        ])
        #expect(
            result == [
                "content/01-a.md:2:8: error: front matter: 'title' must be a string",
                "content/01-a.md:4:9: error: front matter: 'summary' must be a string",
                "content/01-a.md:5:1: warning: front matter: unknown key 'author' is ignored (known: "
                    + "'title', 'order', 'summary', 'slug')",
            ])
    }

    @Test func malformedFrontMatterYAML() throws {
        let result = try headlines([
            "course.yml": Self.courseFile,
            "01-a.md": lesson("title: \"unclosed\norder: 1\nsummary: S\n"),
        ])
        #expect(
            result == [
                "content/01-a.md:5:1: error: front matter: malformed YAML: found unexpected end of "
                    + "stream (while scanning a quoted scalar at 2:8)"
            ])
    }

    @Test func malformedCourseFile() throws {
        let result = try headlines([
            "course.yml": "title: T\ndescription: [D\n",
            "01-a.md": lesson("title: A\norder: 1\nsummary: S\n"),
        ])
        #expect(
            result == [
                "content/course.yml:3:1: error: course: malformed YAML: did not find expected ',' "
                    + "or ']' (while parsing a flow sequence at 2:14)"
            ])
    }

    @Test func missingCourseFields() throws {
        let result = try headlines([
            "course.yml": "title: T\nlanguage: 3\n",
            "01-a.md": lesson("title: A\norder: 1\nsummary: S\n"),
        ])
        #expect(result == ["content/course.yml:1:1: error: course: missing 'description'"])
    }

    @Test func duplicateOrderAndSlug() throws {
        let result = try headlines([
            "course.yml": Self.courseFile,
            "01-a.md": lesson("title: A\norder: 1\nsummary: S\n"),
            "02-b.md": lesson("title: B\norder: 1\nsummary: S\nslug: a\n"),
        ])
        #expect(
            result == [
                "content/02-b.md:3:8: error: front matter: duplicate 'order' 1, also used by '01-a.md'",
                "content/02-b.md:5:7: error: front matter: duplicate slug 'a', also used by '01-a.md'",
            ])
    }

    @Test func duplicateKey() throws {
        let result = try headlines([
            "course.yml": Self.courseFile,
            "01-a.md": lesson("title: A\norder: 1\ntitle: B\nsummary: S\n"),
        ])
        #expect(result == ["content/01-a.md:4:1: error: front matter: duplicate key 'title'"])
    }

    @Test func invalidSlug() throws {
        let result = try headlines([
            "course.yml": Self.courseFile,
            "01-a.md": lesson("title: A\norder: 1\nsummary: S\nslug: Not OK\n"),
            "02-b.md": lesson("title: B\norder: 2\nsummary: S\nslug: index\n"),
        ])
        #expect(
            result == [
                "content/01-a.md:5:7: error: front matter: 'slug' must use only lowercase letters, digits and '-'",
                "content/02-b.md:5:7: error: front matter: slug 'index' is reserved",
            ])
    }

    @Test func unreadableFile() throws {
        let folder = try SiteTestSupport.content([
            "course.yml": Self.courseFile, "01-a.md": lesson("title: A\norder: 1\nsummary: S\n"),
        ])
        defer { SiteTestSupport.remove(folder) }
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("02-gone.md").path,
            withDestinationPath: "nowhere.md")
        #expect(
            load(folder) == [
                "content/02-gone.md:1:1: error: cannot read file: no such file or directory"
            ])
    }

    @Test func invalidUTF8() throws {
        let folder = try SiteTestSupport.content(["course.yml": Self.courseFile])
        defer { SiteTestSupport.remove(folder) }
        var bytes = Data(
            lesson("title: A\norder: 1\nsummary: S\n", body: "Caf\u{E9} ok\nbad: ").utf8)
        bytes.append(contentsOf: [0xC3, 0x28, 0x0A])
        try bytes.write(to: folder.appendingPathComponent("01-a.md"))
        #expect(load(folder) == ["content/01-a.md:8:6: error: file is not valid UTF-8 (byte 0xc3)"])
    }

    @Test func emptyCourse() throws {
        let result = try headlines(["course.yml": Self.courseFile])
        #expect(result.count == 1)
        #expect(
            result.first?.hasPrefix("content/course.yml:1:1: error: course has no lessons") == true)
    }

    @Test func missingCourseFile() throws {
        let result = try headlines(["01-a.md": lesson("title: A\norder: 1\nsummary: S\n")])
        #expect(
            result == ["content/course.yml:1:1: error: cannot read file: no such file or directory"]
        )
    }

    @Test func missingContentFolder() {
        let (course, diagnostics) = CourseLoader.load(contentDirectory: "/nonexistent/content/")
        #expect(course.lessons.isEmpty)
        #expect(
            diagnostics.map(\.headline) == [
                "allocbook: error: content folder '/nonexistent/content' does not exist"
            ])
    }

    @Test func linkToMissingLesson() throws {
        let result = try headlines([
            "course.yml": Self.courseFile,
            "01-a.md": lesson(
                "title: A\norder: 1\nsummary: S\n",
                body:
                    "Fine: [b](02-b.md), [b](./02-b.md#x).\n\nÄ→ [gone](03-gone.md#bins) and [web](https://x.org/a.md).\n"
            ),
            "02-b.md": lesson("title: B\norder: 2\nsummary: S\n"),
        ])
        #expect(
            result == [
                "content/01-a.md:9:4: error: link to a lesson that does not exist: '03-gone.md'"
            ])
    }

    @Test func missingAndUnclosedFrontMatter() throws {
        let result = try headlines([
            "course.yml": Self.courseFile, "01-a.md": "# No front matter\n",
            "02-b.md": "---\ntitle: B\n",
        ])
        #expect(
            result == [
                "content/01-a.md:1:1: error: missing front matter (start the file with a '---' line, then 'title:', 'order:' and 'summary:', then '---')",
                "content/02-b.md:1:1: error: front matter is not closed by a '---' line",
            ])
    }

    @Test func everyProblemIsReportedInOneRun() throws {
        let result = try headlines([
            "course.yml": Self.courseFile,
            "01-a.md": lesson("title: A\norder: x\nsummary: S\n"),
            "02-b.md": lesson("order: 2\nsummary: S\n", body: "[gone](08-gone.md)\n"),
            "03-c.md": lesson(
                "title: C\norder: 3\nsummary: S\n", body: "[x](09-none.md) [b](02-b.md)\n"),
        ])
        #expect(
            result == [
                "content/01-a.md:3:8: error: front matter: 'order' must be an integer",
                "content/02-b.md:1:1: error: front matter: missing 'title'",
                "content/02-b.md:6:1: error: link to a lesson that does not exist: '08-gone.md'",
                "content/03-c.md:7:1: error: link to a lesson that does not exist: '09-none.md'",
            ])
    }
}
