/// Escaping for text and attribute values placed into HTML, inline SVG and XML.
///
/// The one escaper of AllocBook: the pages (`SiteBuilder`, `LessonMarkdown`), the figures
/// (`Figures`) and the JUnit report all use it. Pure Swift, no Foundation, so that the figures
/// still compile with Embedded Swift for wasm32.
public enum Markup {
    /// Escapes `&`, `<`, `>`, `"` and `'` (as `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`), so
    /// the result is safe as element text and as a quoted attribute value, and replaces every
    /// character XML 1.0 does not allow (the controls below U+0020 but tab, line feed and
    /// carriage return; U+FFFE and U+FFFF) with U+FFFD, so that every SVG and XML file stays
    /// well-formed whatever a lesson holds.
    ///
    /// - Parameters:
    ///   - text: Any text.
    ///   - encodingWhitespace: Also writes tab, line feed and carriage return as character
    ///     references (`&#9;`, `&#10;`, `&#13;`), which an XML parser keeps in an attribute
    ///     value instead of normalizing them to spaces.
    /// - Returns: The escaped text; `text` itself when nothing needs escaping.
    @inlinable
    public static func escape(_ text: some StringProtocol, encodingWhitespace: Bool = false)
        -> String
    {
        var clean = true
        for byte in text.utf8 where needsCare(byte, encodingWhitespace: encodingWhitespace) {
            clean = false
            break
        }
        if clean { return String(text) }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t" where encodingWhitespace: out += "&#9;"
            case "\n" where encodingWhitespace: out += "&#10;"
            case "\r" where encodingWhitespace: out += "&#13;"
            default: out.unicodeScalars.append(isAllowedInXML(scalar) ? scalar : "\u{FFFD}")
            }
        }
        return out
    }

    /// Renders attributes in the given order as ` name="value"`, escaping each value.
    public static func attributes(_ attributes: [(String, String)]) -> String {
        var out = ""
        for (name, value) in attributes {
            out += " \(name)=\"\(escape(value))\""
        }
        return out
    }

    /// Whether a UTF-8 byte may need escaping: one of the five, a control character, or the
    /// first byte of a three-byte sequence that may be U+FFFE or U+FFFF.
    @usableFromInline
    static func needsCare(_ byte: UInt8, encodingWhitespace: Bool) -> Bool {
        switch byte {
        case 0x26, 0x3C, 0x3E, 0x22, 0x27, 0xEF: return true
        case 0x09, 0x0A, 0x0D: return encodingWhitespace
        default: return byte < 0x20
        }
    }

    /// Whether XML 1.0's `Char` production allows the scalar (Swift strings hold no
    /// surrogates).
    @usableFromInline
    static func isAllowedInXML(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return value == 0x09 || value == 0x0A || value == 0x0D }
        return value != 0xFFFE && value != 0xFFFF
    }
}
