import LessonMarkdown

/// Escaping for text and attribute values placed into HTML and inline SVG markup.
enum Markup {
    /// `HTMLEscaping.escape` (`&`, `<`, `>`, `"`, `'`), after replacing the control characters
    /// that XML 1.0 does not allow (all below U+0020 but tab and newline) with U+FFFD, so
    /// that every SVG stays well-formed XML whatever a lesson's statement holds.
    static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isForbidden) else {
            return HTMLEscaping.escape(text)
        }
        var clean = ""
        for scalar in text.unicodeScalars {
            clean.unicodeScalars.append(isForbidden(scalar) ? "\u{FFFD}" : scalar)
        }
        return HTMLEscaping.escape(clean)
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
