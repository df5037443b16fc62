/// A lesson's body HTML, rendered by cmark when the lesson was parsed, with the parts a page
/// may still change left open: each fenced block and each link destination.
///
/// It lets a build parse each lesson once: the loader parses and keeps this value, the
/// processors decide what replaces which fenced block, and the page is then put together
/// from the pieces without cmark parsing the Markdown again. Heading ids and anchors are
/// already in the HTML.
public struct LessonBody: Hashable, Sendable {
    /// A piece of the body: rendered HTML, or a place left open.
    enum Piece: Hashable, Sendable {
        /// HTML as cmark rendered it.
        case html(String)
        /// The fenced block with this ``FencedBlock/index``.
        case block(Int)
        /// The destination (`href` or `src` value) of the link with this position in
        /// ``LessonBody/links``.
        case link(Int)
    }

    /// A link or image destination as written, and which of the two it is.
    struct Destination: Hashable, Sendable {
        var url: String
        var isImage: Bool
    }

    var pieces: [Piece]
    /// cmark's own HTML of each fenced block, by index, used where no replacement is given.
    var blocks: [String]
    var links: [Destination]

    /// The body as HTML.
    ///
    /// - Parameters:
    ///   - replacements: Generated HTML that replaces fenced blocks, keyed by
    ///     ``FencedBlock/index``; it goes into the page verbatim, so whoever makes it escapes
    ///     what it interpolates (`Markup.escape(_:encodingWhitespace:)`).
    ///   - rewriteLink: Rewrites a link destination; `nil` keeps it as written. The result is
    ///     escaped (and, in safe mode, dropped when dangerous) as cmark does it.
    /// - Returns: The same HTML as cmark renders for the document with those changes made.
    public func html(
        replacements: [Int: String] = [:], rewriteLink: (String) -> String? = { _ in nil }
    ) -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .html(let text):
                out += text
            case .block(let index):
                let html =
                    replacements[index] ?? (blocks.indices.contains(index) ? blocks[index] : "")
                out += html
                // cmark ends every block with a line break unless its HTML already has one.
                if let last = html.utf8.last, last != 0x0A { out += "\n" }
            case .link(let position):
                let link = links[position]
                out += CmarkDocument.destinationHTML(
                    rewriteLink(link.url) ?? link.url, isImage: link.isImage)
            }
        }
        return out
    }
}
