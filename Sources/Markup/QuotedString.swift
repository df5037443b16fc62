/// Double-quoted string literals for generated JSON, JavaScript and YAML.
///
/// The one string quoter of AllocBook: the search index, the table-of-contents and Try it
/// scripts, the coverage report, the live preview's messages (`SiteBuilder`, `Preview`) and
/// the playground's results (`Playground`, also compiled to WebAssembly) all use it. Pure
/// Swift, no Foundation, like ``Markup``.
public enum QuotedString {
    /// A JSON string literal.
    ///
    /// It is also a valid JavaScript string and YAML double-quoted scalar. `<`, `>` and `&` are
    /// written as `\u003c`, `\u003e`, `\u0026`, and U+2028 and U+2029 as `\u2028` and `\u2029`,
    /// so the literal is safe inside an HTML page's `<script>` too.
    ///
    /// - Parameters:
    ///   - text: Any text.
    ///   - htmlSafe: `false` keeps `<`, `>` and `&` as they are, for JSON that never lands in
    ///     a page and that people read (`allocbook trace`'s lines).
    /// - Returns: The literal, quotes included.
    public static func json(_ text: String, htmlSafe: Bool = true) -> String {
        var out = ""
        append(text, htmlSafe: htmlSafe, to: &out)
        return out
    }

    /// Appends `text` as a JSON string literal (as ``json(_:)``) to `out`.
    public static func appendJSON(_ text: String, to out: inout String) {
        append(text, htmlSafe: true, to: &out)
    }

    /// Appends a JSON array of string literals (as ``json(_:)``) to `out`.
    public static func appendJSON(strings: [String], to out: inout String) {
        out += "["
        for (i, text) in strings.enumerated() {
            if i > 0 { out += "," }
            appendJSON(text, to: &out)
        }
        out += "]"
    }

    /// A YAML double-quoted scalar for a file people edit: only `"`, `\`, control characters
    /// and the two line separators are escaped.
    public static func yaml(_ text: String) -> String {
        var out = ""
        append(text, htmlSafe: false, to: &out)
        return out
    }

    static func append(_ text: String, htmlSafe: Bool, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<" where htmlSafe: out += "\\u003c"
            case ">" where htmlSafe: out += "\\u003e"
            case "&" where htmlSafe: out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
