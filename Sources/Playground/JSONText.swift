/// JSON string literals for the results, written without Foundation (the module cannot use
/// `SiteBuilder`'s `QuotedString`).
public enum JSONText {
    /// Appends `text` as a JSON string literal.
    public static func append(_ text: String, to out: inout String) {
        out += "\""
        var run = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": run += "\\\""
            case "\\": run += "\\\\"
            case "\n": run += "\\n"
            case "\r": run += "\\r"
            case "\t": run += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    run += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    run.unicodeScalars.append(scalar)
                }
            }
        }
        out += run + "\""
    }

    /// Appends an array of strings.
    public static func append(strings: [String], to out: inout String) {
        out += "["
        for (i, text) in strings.enumerated() {
            if i > 0 { out += "," }
            append(text, to: &out)
        }
        out += "]"
    }
}
