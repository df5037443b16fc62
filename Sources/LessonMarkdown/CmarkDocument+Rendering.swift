internal import CCmarkGFM
import Markup

#if canImport(Glibc)
    import Glibc
#endif

extension CmarkDocument {
    /// Renders the whole document once, headings with their ids and anchors, leaving each
    /// fenced block and each link destination open (``LessonBody``).
    ///
    /// Each fenced block becomes a custom block holding a marker comment, and each link
    /// destination a marker URL; the rendered HTML is then cut at the markers. Safe mode
    /// escapes every `<` a lesson writes, but a destination is the lesson's own text, so the
    /// markers carry a number that the rendered HTML does not otherwise hold: when a lesson
    /// happens to contain a marker, the document is rendered once more with a larger number
    /// (rendering, not parsing; text outside the markers is the same in both renders).
    /// Nodes are collected during the walk and changed afterwards: changing the tree while an
    /// iterator walks it would lose the iterator's place.
    func body(_ document: LessonDocument) -> LessonBody {
        var headingNodes: [OpaquePointer] = []
        var blockNodes: [OpaquePointer] = []
        var linkNodes: [OpaquePointer] = []
        var links: [LessonBody.Destination] = []
        forEachNode { node in
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING:
                headingNodes.append(node)
            case CMARK_NODE_CODE_BLOCK:
                if Self.isFenced(node) { blockNodes.append(node) }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                linkNodes.append(node)
                links.append(
                    LessonBody.Destination(
                        url: Self.string(cmark_node_get_url(node)),
                        isImage: cmark_node_get_type(node) == CMARK_NODE_IMAGE))
            default:
                break
            }
        }
        let blocks = blockNodes.map { self.html(of: $0) }
        // The headings' HTML holds their links, so it is made again for each render; the
        // heading nodes stay alive, detached, until the end.
        var headings: [(custom: OpaquePointer, node: OpaquePointer, heading: Heading)] = []
        defer { for item in headings { cmark_node_free(item.node) } }
        for (node, heading) in zip(headingNodes, document.headings) {
            if let custom = Self.replaceByCustomBlock(node) {
                headings.append((custom, node, heading))
            }
        }
        var customBlocks: [OpaquePointer] = []
        for node in blockNodes {
            guard let custom = Self.replaceByCustomBlock(node) else { continue }
            cmark_node_free(node)
            customBlocks.append(custom)
        }
        var nonce = 0
        var html = ""
        for _ in 0..<3 {
            let marker = BodyMarkers(nonce: nonce)
            for (index, node) in customBlocks.enumerated() {
                _ = cmark_node_set_on_enter(node, marker.block(index))
            }
            for (position, node) in linkNodes.enumerated() {
                _ = cmark_node_set_url(node, marker.link(position))
            }
            for item in headings {
                _ = cmark_node_set_on_enter(item.custom, headingHTML(item.node, item.heading))
            }
            html = self.html(of: root)
            if let pieces = marker.pieces(of: html, blocks: customBlocks.count, links: links.count)
            {
                return LessonBody(pieces: pieces, blocks: blocks, links: links)
            }
            nonce = marker.nextNonce(after: html)
        }
        // Unreachable: the second render's markers cannot occur in the lesson's own text.
        return LessonBody(pieces: [.html(html)], blocks: [], links: [])
    }

    /// A destination as cmark writes it into `href` (or `src`): escaped, and empty when safe
    /// mode finds it dangerous (`javascript:`, …).
    static func destinationHTML(_ url: String, isImage: Bool) -> String {
        guard let node = cmark_node_new(isImage ? CMARK_NODE_IMAGE : CMARK_NODE_LINK) else {
            return ""
        }
        defer { cmark_node_free(node) }
        _ = cmark_node_set_url(node, url)
        guard let rendered = cmark_render_html(node, options, nil) else { return "" }
        defer { free(rendered) }
        // `<a href="…"></a>` or `<img src="…" alt="" />`: the escaped value holds no `"`.
        let html = String(cString: rendered).utf8
        guard let open = html.firstIndex(of: UInt8(ascii: "\"")) else { return "" }
        let start = html.index(after: open)
        let end = html[start...].firstIndex(of: UInt8(ascii: "\"")) ?? html.endIndex
        return String(Substring(html[start..<end]))
    }

    /// `<h2 id="x">Text <a class="anchor" href="#x">#</a></h2>`.
    private func headingHTML(_ node: OpaquePointer, _ heading: Heading) -> String {
        let html = html(of: node)
        let open = "<h\(heading.level)>"
        let close = "</h\(heading.level)>\n"
        guard html.hasPrefix(open), html.hasSuffix(close) else { return html }
        let id = Markup.escape(heading.id)
        let inner = html.dropFirst(open.count).dropLast(close.count)
        return "<h\(heading.level) id=\"\(id)\">\(inner) <a class=\"anchor\" href=\"#\(id)\" "
            + "aria-label=\"Link to this section\">#</a></h\(heading.level)>\n"
    }

    /// Puts an empty custom block where `node` was and returns it; `node` is detached (the
    /// caller frees it), or `nil` when cmark refuses.
    private static func replaceByCustomBlock(_ node: OpaquePointer) -> OpaquePointer? {
        guard let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return nil }
        _ = cmark_node_set_on_enter(custom, "")
        _ = cmark_node_set_on_exit(custom, "")
        guard cmark_node_replace(node, custom) != 0 else {
            cmark_node_free(custom)
            return nil
        }
        return custom
    }
}
