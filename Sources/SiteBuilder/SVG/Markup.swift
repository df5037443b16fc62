/// Escaping for text and attribute values placed into HTML and SVG markup.
enum Markup {
    /// Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe as element text and as a
    /// quoted attribute value in both HTML and XML.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in XML 1.0.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Renders attributes in the given order as ` name="value"`, escaping each value.
    static func attributes(_ attributes: [(String, String)]) -> String {
        var out = ""
        for (name, value) in attributes {
            out += " \(name)=\"\(escape(value))\""
        }
        return out
    }
}
