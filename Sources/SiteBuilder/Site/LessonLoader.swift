import Foundation
import LessonMarkdown

/// Reads and parses one lesson file.
enum LessonLoader {
    /// A lesson, or the diagnostics that kept it from loading (or both, for warnings).
    struct Result: Sendable {
        var lesson: Lesson?
        var diagnostics: [Diagnostic]
        /// The parsed text of a lesson whose front matter failed, for the link check.
        var unloaded: LinkSource? = nil
    }

    /// Page names the generator uses itself.
    static let reservedSlugs: Set<String> = ["index", "404", "assets"]

    /// Reads and parses `folder/fileName`; `withBody` also renders the body for a page, from
    /// the same parse.
    static func load(folder: String, fileName: String, withBody: Bool) -> Result {
        let path = "\(folder)/\(fileName)"
        let source: String
        switch SourceFile.read(URL(fileURLWithPath: path), displayPath: path, within: folder) {
        case .success(let text): source = text
        case .failure(let diagnostic): return Result(lesson: nil, diagnostics: [diagnostic])
        }
        return load(source: source, path: path, fileName: fileName, withBody: withBody)
    }

    /// Parses a lesson already read from `path`.
    static func load(source: String, path: String, fileName: String, withBody: Bool) -> Result {
        let document = LessonDocument.parse(
            source, reservedIDs: PageRenderer.reservedIDs, withBody: withBody)
        guard let front = document.frontMatter else {
            return Result(
                lesson: nil,
                diagnostics: [
                    .error(
                        "missing front matter (start the file with a '---' line, then 'title:', "
                            + "'order:' and 'summary:', then '---')",
                        at: SourceLocation(path: path, line: 1, column: 1))
                ])
        }
        guard front.isClosed else {
            return Result(
                lesson: nil,
                diagnostics: [
                    .error(
                        "front matter is not closed by a '---' line",
                        at: SourceLocation(path: path, line: 1, column: 1))
                ])
        }
        var fields = fields(front, path: path)
        let linkSource = LinkSource(path: path, source: source, document: document)
        guard fields.isParsed else {
            return Result(lesson: nil, diagnostics: fields.diagnostics, unloaded: linkSource)
        }
        let title = fields.string("title", required: true)
        let order = fields.integer("order")
        let summary = fields.string("summary", required: true)
        let slug = slug(fields: &fields, fileName: fileName)
        guard let title, let order, let summary, let slug else {
            return Result(lesson: nil, diagnostics: fields.diagnostics, unloaded: linkSource)
        }
        let lesson = Lesson(
            path: path, fileName: fileName,
            frontMatter: LessonFrontMatter(
                title: title, order: order, summary: summary, slug: slug),
            source: source, document: document)
        return Result(lesson: lesson, diagnostics: fields.diagnostics)
    }

    static func frontMatterFields(of lesson: Lesson) -> YAMLFields? {
        lesson.document.frontMatter.map { fields($0, path: lesson.path) }
    }

    private static func fields(_ front: FrontMatterText, path: String) -> YAMLFields {
        YAMLFields(
            yaml: front.yaml, path: path, firstLine: front.firstLine, context: "front matter",
            allowedKeys: CourseLoader.frontMatterKeys)
    }

    /// The `slug` field, checked, or one derived from the file name (`03-malloc.md` → `malloc`).
    private static func slug(fields: inout YAMLFields, fileName: String) -> String? {
        if fields.values["slug"] != nil {
            guard let slug = fields.string("slug", required: false) else { return nil }
            let valid = slug.utf8.allSatisfy {
                (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D
            }
            guard valid, !slug.hasPrefix("-") else {
                fields.diagnostics.append(
                    .error(
                        "front matter: 'slug' must use only lowercase letters, digits and '-'",
                        at: fields.valueLocation("slug")))
                return nil
            }
            guard !reservedSlugs.contains(slug) else {
                fields.diagnostics.append(
                    .error(
                        "front matter: slug '\(slug)' is reserved", at: fields.valueLocation("slug")
                    ))
                return nil
            }
            return slug
        }
        var stem = Substring(fileName.dropLast(3))
        let digits = stem.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, stem.dropFirst(digits.count).first == "-" {
            stem = stem.dropFirst(digits.count + 1)
        }
        var derived = Slug.make(stem).filter { $0.isASCII }
        if derived.isEmpty || reservedSlugs.contains(derived) {
            derived = derived.isEmpty ? "lesson" : "lesson-" + derived
        }
        return derived
    }
}
