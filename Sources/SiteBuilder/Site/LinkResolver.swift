import LessonMarkdown

/// Finds links between lessons (`[text](03-malloc.md#bins)`) and rewrites them to pages.
struct LinkResolver: Sendable {
    /// Page names by lesson file name.
    private let pages: [String: String]

    init(lessons: [Lesson]) {
        var pages: [String: String] = [:]
        for lesson in lessons { pages[lesson.fileName] = lesson.pageName }
        self.pages = pages
    }

    /// The lesson file a destination names, if it does.
    ///
    /// Such a destination is relative, has no scheme, and its path ends in `.md`. Returns the file name and the rest (`#fragment` or `?query`), or `nil`.
    static func lessonTarget(_ destination: String) -> (file: String, rest: Substring)? {
        // Read as UTF-8: every character looked for is ASCII (a build checks every link of
        // the course, `allocbook serve` on every rebuild).
        let bytes = destination.utf8
        let pathEnd =
            bytes.firstIndex { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "?") }
            ?? bytes.endIndex
        var path = bytes[..<pathEnd]
        guard path.count >= 3, path.suffix(3).elementsEqual(".md".utf8),
            path.first != UInt8(ascii: "/"), !path.contains(UInt8(ascii: ":"))
        else { return nil }
        while path.starts(with: "./".utf8) { path = path.dropFirst(2) }
        return (String(Substring(path)), destination[pathEnd...])
    }

    /// The page a lesson link goes to (`malloc.html#bins`), or `nil` for other destinations and
    /// for lessons that do not exist.
    func rewrite(_ destination: String) -> String? {
        guard let (file, rest) = Self.lessonTarget(destination), let page = pages[file] else {
            return nil
        }
        return page + rest
    }

    /// An error for every link to a `.md` file that is not a lesson of the course.
    ///
    /// - Parameters:
    ///   - lessons: The lesson files whose links are checked.
    ///   - files: Every lesson file of the content folder, including those that failed to load,
    ///     so that a broken lesson does not also make every link to it an error.
    /// - Returns: One error per link to a missing lesson, at the link's position.
    func missingLessonLinks(in lessons: [LinkSource], files: Set<String>) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for lesson in lessons {
            for link in lesson.document.links {
                guard let (file, _) = Self.lessonTarget(link.destination), !files.contains(file)
                else { continue }
                let column = SourceText.scalarColumn(
                    in: lesson.source, line: link.line, utf8Column: link.utf8Column)
                diagnostics.append(
                    .error(
                        "link to a lesson that does not exist: '\(file)'",
                        at: SourceLocation(path: lesson.path, line: link.line, column: column)))
            }
        }
        return diagnostics
    }
}

/// A lesson file's text and links, whether or not its front matter loaded.
struct LinkSource: Sendable {
    var path: String
    var source: String
    var document: LessonDocument

    init(path: String, source: String, document: LessonDocument) {
        self.path = path
        self.source = source
        self.document = document
    }

    init(_ lesson: Lesson) {
        self.init(path: lesson.path, source: lesson.source, document: lesson.document)
    }
}
