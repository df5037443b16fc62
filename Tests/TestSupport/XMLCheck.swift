import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Parses `xml` with Foundation's XMLParser; returns the first problem, or nil when well formed.
///
/// On Linux, XMLParser reports success for a mismatched end tag (`<svg><g></svg>`), so the
/// delegate also checks that every end tag closes the element opened last.
public func xmlError(_ xml: String) -> String? {
    let parser = XMLParser(data: Data(xml.utf8))
    let checker = NestingChecker()
    parser.delegate = checker
    let ok = parser.parse()
    if let problem = checker.problem { return problem }
    if !ok { return parser.parserError.map { "\($0)" } ?? "unknown parse error" }
    if !checker.stack.isEmpty { return "unclosed elements: \(checker.stack)" }
    return nil
}

private final class NestingChecker: NSObject, XMLParserDelegate {
    var stack: [String] = []
    var problem: String?

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        stack.append(name)
    }

    func parser(
        _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
        qualifiedName: String?
    ) {
        if stack.last == name {
            stack.removeLast()
        } else if problem == nil {
            problem = "end tag '\(name)' closes '\(stack.last ?? "nothing")'"
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred error: Error) {
        if problem == nil { problem = "\(error)" }
    }
}

/// The `<svg …>…</svg>` elements in an HTML string (inline SVGs do not nest here): the
/// drawings (`class="ab-svg"`), or with `all`, also the legend swatches and the definitions.
public func svgElements(in html: String, all: Bool = false) -> [String] {
    var out: [String] = []
    var rest = html[...]
    let opening = all ? "<svg" : "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"ab-svg\""
    while let start = rest.range(of: opening),
        let end = rest[start.lowerBound...].range(of: "</svg>")
    {
        out.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return out
}

/// The drawings of a figure's frames (each frame's `<div class="ab-panels">`, its panels' SVGs),
/// in order.
public func frameDrawings(in html: String) -> [String] {
    var out: [String] = []
    var rest = html[...]
    while let start = rest.range(of: "<div class=\"ab-panels\">"),
        let end = rest[start.upperBound...].range(of: "</div>")
    {
        out.append(String(rest[start.lowerBound..<end.upperBound]))
        rest = rest[end.upperBound...]
    }
    return out
}
