internal import CCmarkGFM
import Markup

extension CmarkDocument {
    /// Renders the whole document with the plan's replacements, link rewrites and heading ids.
    ///
    /// Nodes are collected during the walk and replaced afterwards: changing the tree while an
    /// iterator walks it would lose the iterator's place.
    func renderHTML(_ document: LessonDocument, plan: RenderPlan) -> String {
        var headingNodes: [OpaquePointer] = []
        var replacedBlocks: [(OpaquePointer, String)] = []
        var blockIndex = 0
        forEachNode { node in
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING:
                headingNodes.append(node)
            case CMARK_NODE_CODE_BLOCK:
                guard Self.isFenced(node) else { break }
                if let html = plan.replacements[blockIndex] { replacedBlocks.append((node, html)) }
                blockIndex += 1
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let url = Self.string(cmark_node_get_url(node))
                if let rewritten = plan.rewriteLink(url) {
                    _ = cmark_node_set_url(node, rewritten)
                }
            default:
                break
            }
        }
        for (node, heading) in zip(headingNodes, document.headings) {
            replace(node, with: headingHTML(node, heading))
        }
        for (node, html) in replacedBlocks {
            replace(node, with: html)
        }
        return html(of: root)
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

    /// Replaces a node by a custom block that prints `html` verbatim, and frees the node.
    private func replace(_ node: OpaquePointer, with html: String) {
        guard let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        _ = cmark_node_set_on_enter(custom, html)
        _ = cmark_node_set_on_exit(custom, "")
        if cmark_node_replace(node, custom) != 0 {
            cmark_node_free(node)
        } else {
            cmark_node_free(custom)
        }
    }
}
