/// A lesson's Markdown, parsed: front matter text, headings, fenced blocks and links.
///
/// Every value is plain `Sendable` data; no cmark pointer leaves this module. Line numbers are
/// 1-based lines of the whole file, front matter included, so they can be printed as they are in
/// diagnostics.
public struct LessonDocument: Hashable, Sendable {
    /// The YAML front matter between the leading `---` lines, if the file starts with one.
    public var frontMatter: FrontMatterText?
    /// The headings, in document order, with unique ids.
    public var headings: [Heading]
    /// The fenced code blocks, in document order (indented code blocks are not included).
    public var fencedBlocks: [FencedBlock]
    /// The links, in document order (images and autolinks included).
    public var links: [Link]
    /// The indented code blocks: where each starts and its first line (a fence indented four
    /// spaces or more is one of these, not a fenced block).
    public var indentedBlocks: [IndentedBlock]
    /// The body, rendered by the same parse, when it was asked for (``parse(_:reservedIDs:withBody:)``).
    public var body: LessonBody?

    /// Creates a document from its parts.
    public init(
        frontMatter: FrontMatterText?, headings: [Heading], fencedBlocks: [FencedBlock],
        links: [Link], indentedBlocks: [IndentedBlock] = []
    ) {
        self.frontMatter = frontMatter
        self.headings = headings
        self.fencedBlocks = fencedBlocks
        self.links = links
        self.indentedBlocks = indentedBlocks
    }

    /// Parses a lesson with the GitHub extensions (tables, strikethrough, autolinks, task lists,
    /// footnotes), in safe mode.
    ///
    /// - Parameters:
    ///   - source: The whole file, front matter included.
    ///   - reservedIDs: Ids the page uses itself; headings never get them.
    ///   - withBody: Also renders the body (``body``) from the same parse, for a page.
    /// - Returns: The parsed values. Parsing never fails: any text is some Markdown.
    public static func parse(
        _ source: String, reservedIDs: Set<String> = [], withBody: Bool = false
    ) -> LessonDocument {
        let split = FrontMatterText.split(source)
        return CmarkDocument.withDocument(split.markdown) { document in
            var parsed = document.lessonDocument(
                frontMatter: split.frontMatter, reservedIDs: reservedIDs)
            if withBody { parsed.body = document.body(parsed) }
            return parsed
        }
    }

    /// Parses a lesson and renders its body to HTML.
    ///
    /// The `plan` closure sees the parsed document before rendering and says which fenced blocks
    /// to replace by generated HTML and how to rewrite link destinations. Headings get their ids
    /// and an anchor link; everything else is cmark-gfm's safe-mode HTML.
    ///
    /// - Parameters:
    ///   - source: The whole file, front matter included.
    ///   - reservedIDs: Ids the page uses itself; headings never get them.
    ///   - plan: Called once, synchronously, with the parsed document.
    /// - Returns: The document and its HTML body.
    public static func render(
        _ source: String, reservedIDs: Set<String> = [], plan: (LessonDocument) -> RenderPlan
    ) -> RenderedLesson {
        let parsed = parse(source, reservedIDs: reservedIDs, withBody: true)
        let chosen = plan(parsed)
        let html =
            parsed.body?.html(replacements: chosen.replacements, rewriteLink: chosen.rewriteLink)
            ?? ""
        return RenderedLesson(document: parsed, html: html)
    }
}

/// A heading of a lesson.
public struct Heading: Hashable, Sendable {
    /// The level, 1 to 6.
    public var level: Int
    /// The plain text (text and code spans, markup removed).
    public var text: String
    /// The unique id the rendered heading carries (`kmalloc-size-classes`, `summary-1`).
    public var id: String
    /// The 1-based line of the heading in the file.
    public var line: Int

    /// Creates a heading.
    public init(level: Int, text: String, id: String, line: Int) {
        self.level = level
        self.text = text
        self.id = id
        self.line = line
    }
}

/// A fenced code block of a lesson.
public struct FencedBlock: Hashable, Sendable {
    /// The position among the document's fenced blocks, from 0; the key of ``RenderPlan/replacements``.
    public var index: Int
    /// The whole info string (`scenario malloc session=a`), trimmed.
    public var info: String
    /// The body, each line ending in a newline.
    public var body: String
    /// The 1-based line of the opening fence.
    public var fenceLine: Int
    /// The 1-based column of the opening fence, in UTF-8 bytes (the same as Unicode scalars when
    /// only spaces precede it).
    public var fenceColumn: Int
    /// The 1-based line of the closing fence, or of the last line if the block is not closed.
    public var endLine: Int
    /// The spaces before the opening fence within its container (cmark's fence offset); as
    /// many leading spaces are removed from each body line.
    public var fenceIndent: Int
    /// The length of the opening fence run (3 or more).
    public var fenceLength: Int
    /// The fence character (`` ` `` or `~`) as a UTF-8 byte.
    public var fenceCharacter: UInt8
    /// Whether the block is a child of the document itself (not in a list or quote).
    public var isTopLevel: Bool

    /// Creates a fenced block.
    public init(
        index: Int, info: String, body: String, fenceLine: Int, fenceColumn: Int, endLine: Int,
        fenceIndent: Int = 0, fenceLength: Int = 3, fenceCharacter: UInt8 = 0x60,
        isTopLevel: Bool = true
    ) {
        self.index = index
        self.info = info
        self.body = body
        self.fenceLine = fenceLine
        self.fenceColumn = fenceColumn
        self.endLine = endLine
        self.fenceIndent = fenceIndent
        self.fenceLength = fenceLength
        self.fenceCharacter = fenceCharacter
        self.isTopLevel = isTopLevel
    }

    /// The first word of the info string (`scenario`, `c`), or an empty string.
    public var language: Substring {
        info.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true).first ?? ""
    }

    /// The 1-based file line of the body line `k` (0-based).
    public func line(ofBodyLine k: Int) -> Int { fenceLine + 1 + k }
}

/// An indented code block of a lesson, located.
public struct IndentedBlock: Hashable, Sendable {
    /// The first line of its text (indentation removed).
    public var firstLine: String
    /// The 1-based line where it starts.
    public var line: Int
    /// The 1-based column where its text starts, in UTF-8 bytes.
    public var column: Int

    /// Creates an indented block.
    public init(firstLine: String, line: Int, column: Int) {
        self.firstLine = firstLine
        self.line = line
        self.column = column
    }
}

/// A link or image destination as written in the lesson.
public struct Link: Hashable, Sendable {
    /// The destination as written (`03-malloc.md#bins`).
    public var destination: String
    /// The 1-based line of the link's opening bracket.
    public var line: Int
    /// The 1-based column of the link's opening bracket (`!` for an image), in UTF-8 bytes as
    /// cmark counts; ``SourceText/scalarColumn(in:line:utf8Column:)`` converts it.
    public var utf8Column: Int

    /// Creates a link.
    public init(destination: String, line: Int, utf8Column: Int) {
        self.destination = destination
        self.line = line
        self.utf8Column = utf8Column
    }
}
