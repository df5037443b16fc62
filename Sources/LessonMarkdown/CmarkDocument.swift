internal import CCmarkGFM
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Registers the GFM extensions exactly once: Debian's registration function takes no lock.
private let extensionsRegistered: Void = cmark_gfm_core_extensions_ensure_registered()

/// Held around `cmark_parser_finish`: it parses the inlines with a process-wide table of
/// special characters that it changes on the way in and out (it adds the extensions' `~` and
/// `|`, then removes them), so two documents finished at once lose each other's
/// strikethrough (`~~x~~` left as text on some pages, at random).
private let finishLock = Mutex(())

/// The only place that holds cmark pointers.
///
/// Each value lives inside one `withDocument` call.
struct CmarkDocument {
    /// Parse and render options: safe mode (no raw HTML, no `javascript:` links), UTF-8
    /// validation, footnotes.
    static let options: Int32 = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES

    private static let extensionNames = [
        "table", "strikethrough", "autolink", "tasklist", "tagfilter",
    ]

    let parser: OpaquePointer
    let root: OpaquePointer

    /// Parses `markdown` and passes the document to `body`; frees everything afterwards.
    static func withDocument<T>(_ markdown: String, _ body: (CmarkDocument) -> T) -> T {
        _ = extensionsRegistered
        ParseCounter.record(markdown)
        guard let parser = cmark_parser_new(options) else {
            preconditionFailure("cmark_parser_new: out of memory")
        }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var markdown = markdown
        markdown.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { cmark_parser_feed(parser, base, chars.count) }
            }
        }
        // The root crosses the lock as an address (a pointer is not `Sendable`).
        let address = finishLock.withLock { _ in Int(bitPattern: cmark_parser_finish(parser)) }
        guard let root = OpaquePointer(bitPattern: address) else {
            preconditionFailure("cmark_parser_finish: out of memory")
        }
        defer { cmark_node_free(root) }
        return body(CmarkDocument(parser: parser, root: root))
    }

    // MARK: - Reading

    /// Collects headings, fenced blocks and links.
    func lessonDocument(frontMatter: FrontMatterText?, reservedIDs: Set<String>) -> LessonDocument {
        var headings: [Heading] = []
        var blocks: [FencedBlock] = []
        var links: [Link] = []
        var indented: [IndentedBlock] = []
        var slugs = UniqueSlugs(reserved: reservedIDs)
        forEachNode { node in
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING:
                let text = Self.plainText(of: node)
                headings.append(
                    Heading(
                        level: Int(cmark_node_get_heading_level(node)), text: text,
                        id: slugs.claim(Slug.make(text)),
                        line: Int(cmark_node_get_start_line(node))))
            case CMARK_NODE_CODE_BLOCK:
                var length: Int32 = 0
                var offset: Int32 = 0
                var character: CChar = 0
                let literal = Self.string(cmark_node_get_literal(node))
                guard cmark_node_get_fenced(node, &length, &offset, &character) != 0 else {
                    indented.append(
                        IndentedBlock(
                            firstLine: String(
                                literal.split(separator: "\n", maxSplits: 1).first ?? ""),
                            line: Int(cmark_node_get_start_line(node)),
                            column: Int(cmark_node_get_start_column(node))))
                    break
                }
                blocks.append(
                    FencedBlock(
                        index: blocks.count,
                        info: Self.string(cmark_node_get_fence_info(node))
                            .trimmingSpaces(),
                        body: literal,
                        fenceLine: Int(cmark_node_get_start_line(node)),
                        fenceColumn: Int(cmark_node_get_start_column(node)),
                        endLine: Int(cmark_node_get_end_line(node)),
                        fenceIndent: Int(offset), fenceLength: Int(length),
                        fenceCharacter: UInt8(bitPattern: character),
                        isTopLevel: cmark_node_get_type(cmark_node_parent(node))
                            == CMARK_NODE_DOCUMENT))
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                links.append(
                    Link(
                        destination: Self.string(cmark_node_get_url(node)),
                        line: Int(cmark_node_get_start_line(node)),
                        utf8Column: Int(cmark_node_get_start_column(node))))
            default:
                break
            }
        }
        return LessonDocument(
            frontMatter: frontMatter, headings: headings, fencedBlocks: blocks, links: links,
            indentedBlocks: indented)
    }

    /// Calls `visit` on every node when it is entered, in document order.
    func forEachNode(_ visit: (OpaquePointer) -> Void) {
        guard let iterator = cmark_iter_new(root) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) {
                visit(node)
            }
        }
    }

    static func isFenced(_ node: OpaquePointer) -> Bool {
        var length: Int32 = 0
        var offset: Int32 = 0
        var character: CChar = 0
        return cmark_node_get_fenced(node, &length, &offset, &character) != 0
    }

    static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// The text of a node's `text` and `code` descendants, joined; soft breaks become spaces.
    static func plainText(of node: OpaquePointer) -> String {
        guard let iterator = cmark_iter_new(node) else { return "" }
        defer { cmark_iter_free(iterator) }
        var text = ""
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else {
                continue
            }
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += string(cmark_node_get_literal(child))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            default: break
            }
        }
        return text
    }

    /// Renders a node (the document or any subtree) to HTML with the parser's extensions.
    func html(of node: OpaquePointer) -> String {
        guard
            let rendered = cmark_render_html(
                node, Self.options, cmark_parser_get_syntax_extensions(parser))
        else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// The cmark-gfm version this module is linked against (`0.29.0.gfm.6` on Debian 12).
public var cmarkVersion: String { String(cString: cmark_version_string()) }
