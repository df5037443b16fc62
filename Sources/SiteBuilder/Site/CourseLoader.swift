import Foundation
import LessonMarkdown

/// Loads a course from its content folder: `course.yml`, one `.md` file per lesson, and the
/// optional `overview.yml` (the home figure's words) and `theme/` (stylesheet and scripts).
///
/// Loading reports every problem it finds (course file, front matter, duplicate `order` or
/// slug, unreadable files, invalid UTF-8, an empty course, links to lessons that do not exist)
/// and keeps going, so one run shows them all. Lessons are read and parsed on all cores.
public enum CourseLoader {
    /// The front-matter keys a lesson may use.
    public static let frontMatterKeys = ["title", "order", "summary", "slug"]
    /// The keys `course.yml` may use.
    public static let courseKeys = ["title", "description", "language", "base_path"]

    /// Loads and checks a course without writing anything.
    ///
    /// - Parameters:
    ///   - contentDirectory: The content folder as the user gave it (`content`); the paths in
    ///     diagnostics start with it.
    ///   - withPages: Also renders each lesson's body for its page, from the same one parse
    ///     (`build`); `check` makes no pages.
    /// - Returns: The lessons that loaded (sorted by `order`) and the diagnostics, sorted by
    ///   location. The course is usable only when the diagnostics hold no error.
    public static func load(contentDirectory: String, withPages: Bool = true) -> (
        Course, [Diagnostic]
    ) {
        let folder = folderName(contentDirectory)
        var diagnostics: [Diagnostic] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            let info = CourseInfo(title: "Course", description: "")
            diagnostics.append(.error("content folder '\(folder)' does not exist", at: nil))
            return (Course(info: info, lessons: []), diagnostics)
        }
        let info = loadInfo(folder: folder, diagnostics: &diagnostics)
        let names: [String]
        do {
            names = try SourceFile.lessonNames(in: folder)
        } catch {
            diagnostics.append(.error("cannot read content folder '\(folder)'", at: nil))
            return (Course(info: info, lessons: []), diagnostics)
        }
        let loaded = Parallel.map(names) { name in
            LessonLoader.load(folder: folder, fileName: name, withBody: withPages)
        }
        let course = assemble(
            info: info, folder: folder, names: names, loaded: loaded, diagnostics: &diagnostics)
        return (course, diagnostics.sortedByLocation())
    }

    /// The folder as diagnostics print it (`content`, without a trailing slash).
    static func folderName(_ contentDirectory: String) -> String {
        contentDirectory.hasSuffix("/") && contentDirectory.count > 1
            ? String(contentDirectory.dropLast()) : contentDirectory
    }

    /// Puts loaded lessons together into a course and checks what spans lessons: unique
    /// `order` and slug, links to lessons and to their `#fragment` anchors.
    ///
    /// `allocbook serve` calls it after reloading only the lessons that changed.
    static func assemble(
        info: CourseInfo, folder: String, names: [String], loaded: [LessonLoader.Result],
        diagnostics: inout [Diagnostic]
    ) -> Course {
        var lessons: [Lesson] = []
        var linkSources: [LinkSource] = []
        for result in loaded {
            diagnostics += result.diagnostics
            if let lesson = result.lesson {
                lessons.append(lesson)
                linkSources.append(LinkSource(lesson))
            }
            if let unloaded = result.unloaded { linkSources.append(unloaded) }
        }
        lessons.sort { ($0.frontMatter.order, $0.fileName) < ($1.frontMatter.order, $1.fileName) }
        diagnostics += checkUnique(lessons)
        diagnostics += LinkResolver(lessons: lessons).missingLessonLinks(
            in: linkSources, files: Set(names))
        if names.isEmpty {
            diagnostics.append(
                .error(
                    "course has no lessons (add a file such as '01-overview.md' to '\(folder)')",
                    at: SourceLocation(path: "\(folder)/course.yml", line: 1, column: 1)))
        }
        let (themeFiles, themeDiagnostics) = Theme.loadOverrides(contentFolder: folder)
        let (overview, overviewDiagnostics) = OverviewLoader.load(contentFolder: folder)
        diagnostics += themeDiagnostics + overviewDiagnostics
        return Course(info: info, lessons: lessons, themeFiles: themeFiles, overview: overview)
    }

    static func loadInfo(folder: String, diagnostics: inout [Diagnostic]) -> CourseInfo {
        let path = "\(folder)/course.yml"
        var info = CourseInfo(title: "Course", description: "")
        let text: String
        switch SourceFile.read(URL(fileURLWithPath: path), displayPath: path, within: folder) {
        case .success(let value): text = value
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
            return info
        }
        var fields = YAMLFields(
            yaml: text, path: path, firstLine: 1, context: "course", allowedKeys: courseKeys)
        if fields.isParsed {
            info.title = fields.string("title", required: true) ?? info.title
            info.description = fields.string("description", required: true) ?? ""
            info.language = fields.string("language", required: false) ?? "en"
            info.basePath = fields.string("base_path", required: false)
        }
        diagnostics += fields.diagnostics
        return info
    }

    /// Duplicate `order` values and slugs, reported at the later lesson.
    private static func checkUnique(_ lessons: [Lesson]) -> [Diagnostic] {
        duplicates(in: lessons, key: "order", what: { "'order' \($0.frontMatter.order)" })
            + duplicates(in: lessons, key: "slug", what: { "slug '\($0.frontMatter.slug)'" })
    }

    /// An error for each lesson whose `what` an earlier lesson already has.
    private static func duplicates(
        in lessons: [Lesson], key: String, what: (Lesson) -> String
    ) -> [Diagnostic] {
        var firsts: [String: Lesson] = [:]
        var diagnostics: [Diagnostic] = []
        for lesson in lessons {
            let value = what(lesson)
            guard let first = firsts[value] else {
                firsts[value] = lesson
                continue
            }
            diagnostics.append(
                .error(
                    "front matter: duplicate \(value), also used by '\(first.fileName)'",
                    at: lesson.location(of: key)))
        }
        return diagnostics
    }
}

extension Lesson {
    /// The location of a front-matter key's value, or of the opening `---` when it is absent.
    func location(of key: String) -> SourceLocation {
        LessonLoader.frontMatterFields(of: self)?.valueLocation(key)
            ?? SourceLocation(path: path, line: 1, column: 1)
    }
}
