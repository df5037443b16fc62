import LessonMarkdown

/// Makes a lesson body's ids unique on `print.html`, where every lesson shares one page.
///
/// Every `id`, `href="#…"`, `aria-labelledby` and `data-same` of the lesson gets the prefix
/// `<slug>--`; links to other lessons (`malloc.html#bins`) become links within the page
/// (`#malloc--bins`). The figures' shared definitions (`abp-…`, used by the stylesheet) stay
/// as they are and are kept only in the first lesson that has them.
enum PrintIDs {
    static func unique(
        _ body: String, slug: String, pages: [(page: String, slug: String)], keepDefinitions: Bool
    ) -> String {
        var html = body
        if !keepDefinitions, let start = html.range(of: "<svg class=\"ab-defs\""),
            let end = html[start.lowerBound...].range(of: "</svg>")
        {
            html.removeSubrange(start.lowerBound..<end.upperBound)
        }
        let prefix = HTMLEscaping.escape(slug) + "--"
        html = prefixed(html, after: " id=\"", with: prefix)
        html = prefixed(html, after: " href=\"#", with: prefix)
        html = prefixed(html, after: " data-same=\"", with: prefix)
        html = prefixedList(html, after: " aria-labelledby=\"", with: prefix)
        for (page, other) in pages {
            let target = HTMLEscaping.escape(other)
            html = html.replacing("href=\"\(page)#", with: "href=\"#\(target)--")
            html = html.replacing("href=\"\(page)\"", with: "href=\"#\(target)\"")
        }
        return html
    }

    /// `html` with `prefix` inserted after every `marker` whose value is not a shared
    /// definition (`abp-…`).
    private static func prefixed(_ html: String, after marker: String, with prefix: String)
        -> String
    {
        var out = ""
        out.reserveCapacity(html.utf8.count + html.utf8.count / 16)
        var rest = Substring(html)
        while let range = rest.range(of: marker) {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            if !rest.hasPrefix("abp-") { out += prefix }
        }
        out += rest
        return out
    }

    /// Like `prefixed`, for a space-separated list of ids.
    private static func prefixedList(_ html: String, after marker: String, with prefix: String)
        -> String
    {
        var out = ""
        var rest = Substring(html)
        while let range = rest.range(of: marker),
            let close = rest[range.upperBound...].firstIndex(of: "\"")
        {
            out += rest[..<range.upperBound]
            let ids = rest[range.upperBound..<close].split(separator: " ")
            out += ids.map { prefix + $0 }.joined(separator: " ")
            rest = rest[close...]
        }
        out += rest
        return out
    }
}
