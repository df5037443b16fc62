/// Escaping for text and attribute values placed into HTML and inline SVG markup.
enum Markup {
    /// Escapes `&`, `<`, `>`, `"` and `'` (as `LessonMarkdown`'s `HTMLEscaping.escape` does,
    /// which this module cannot import), and replaces the control characters that XML 1.0 does
    /// not allow (all below U+0020 but tab and newline) with U+FFFD, so that every SVG stays
    /// well-formed XML whatever a lesson's statement holds.
    static func escape(_ text: String) -> String {
        let clean = text.utf8.allSatisfy {
            $0 >= 0x20
                ? $0 != 0x26 && $0 != 0x3C && $0 != 0x3E && $0 != 0x22 && $0 != 0x27
                : $0 == 0x09 || $0 == 0x0A
        }
        guard !clean else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(isForbidden(scalar) ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 && scalar != "\t" && scalar != "\n"
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
