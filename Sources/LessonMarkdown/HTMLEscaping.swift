/// Escaping for text and attribute values interpolated into HTML.
public enum HTMLEscaping {
    /// Escapes `&`, `<`, `>`, `"` and `'`, so the result is safe as element text and as a quoted
    /// attribute value.
    ///
    /// - Parameter text: Any text.
    /// - Returns: The text with those five characters replaced by entities.
    public static func escape(_ text: some StringProtocol) -> String {
        var needs = false
        for byte in text.utf8
        where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22
            || byte == 0x27
        {
            needs = true
            break
        }
        guard needs else { return String(text) }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
