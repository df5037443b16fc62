import LessonMarkdown
import Markup

/// Makes a lesson body's ids unique on `print.html`, where every lesson shares one page.
///
/// Every `id`, `href="#…"`, `aria-labelledby` and `data-same` of the lesson gets the prefix
/// `<slug>--`; links to other lessons (`malloc.html#bins`) become links within the page
/// (`#malloc--bins`). The figures' shared definitions (`abp-…`, used by the stylesheet) stay
/// as they are and are kept only in the first lesson that has them.
enum PrintIDs {
    /// - Parameters:
    ///   - body: the lesson's rendered body.
    ///   - slug: the lesson's slug, the prefix of its ids.
    ///   - pages: every lesson's page name (`malloc.html`) and slug, by page name.
    ///   - keepDefinitions: whether this body keeps the figures' shared definitions.
    /// - Returns: the body for `print.html`.
    static func unique(
        _ body: String, slug: String, pages: [String: String], keepDefinitions: Bool
    ) -> String {
        var html = body
        if !keepDefinitions {
            let bytes = Array(html.utf8)
            if let start = ByteSearch.first(definitionsStart, in: bytes, from: 0),
                let end = ByteSearch.first(svgEnd, in: bytes, from: start)
            {
                html = String(
                    decoding: bytes[..<start] + bytes[(end + svgEnd.count)...], as: UTF8.self)
            }
        }
        let prefix = Markup.escape(slug) + "--"
        let own = { (id: Substring) in id.hasPrefix("abp-") ? String(id) : prefix + id }
        html = rewriting(html, after: " id=\"", own)
        html = rewriting(html, after: " data-same=\"", own)
        html = rewriting(html, after: " aria-labelledby=\"") { ids in
            ids.split(separator: " ").map(own).joined(separator: " ")
        }
        return rewriting(html, after: " href=\"") { target in
            if target.hasPrefix("#") { return "#" + own(target.dropFirst()) }
            let page = target.prefix { $0 != "#" }
            guard let other = pages[String(page)] else { return String(target) }
            let fragment = target.dropFirst(page.count).dropFirst()
            let anchor = "#" + Markup.escape(other)
            return fragment.isEmpty ? anchor : anchor + "--" + fragment
        }
    }

    private static let definitionsStart = Array("<svg class=\"ab-defs\"".utf8)
    private static let svgEnd = Array("</svg>".utf8)

    /// `html` with the value after every `marker` (up to its closing quote) replaced by
    /// `transform(value)`; one pass over the bytes.
    private static func rewriting(
        _ html: String, after marker: String, _ transform: (Substring) -> String
    ) -> String {
        let bytes = Array(html.utf8)
        let pattern = Array(marker.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var position = 0
        while let start = ByteSearch.first(pattern, in: bytes, from: position),
            let close = bytes[(start + pattern.count)...].firstIndex(of: UInt8(ascii: "\""))
        {
            let valueStart = start + pattern.count
            out += bytes[position..<valueStart]
            let value = String(decoding: bytes[valueStart..<close], as: UTF8.self)
            out += Array(transform(Substring(value)).utf8)
            position = close
        }
        out += bytes[position...]
        return String(decoding: out, as: UTF8.self)
    }
}
