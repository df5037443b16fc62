/// Double-quoted string literals for generated JavaScript, JSON and YAML.
public enum QuotedString {
    /// A JSON string literal.
    ///
    /// It is also a valid JavaScript string and YAML double-quoted scalar. `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026`, so the literal is
    /// safe inside HTML too.
    public static func json(_ text: String) -> String { quoted(text, htmlSafe: true) }

    /// A YAML double-quoted scalar for a file people edit: only `"`, `\` and control
    /// characters are escaped.
    static func yaml(_ text: String) -> String { quoted(text, htmlSafe: false) }

    private static func quoted(_ text: String, htmlSafe: Bool) -> String {
        var out = "\""
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
        return out + "\""
    }
}
