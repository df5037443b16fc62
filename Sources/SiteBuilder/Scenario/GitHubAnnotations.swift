/// Diagnostics as GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`.
public enum GitHubAnnotations {
    /// One annotation line per diagnostic; details (a diff) follow the message after `%0A`.
    public static func lines(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map(line)
    }

    /// The annotation for one diagnostic.
    public static func line(_ diagnostic: Diagnostic) -> String {
        let command: String
        switch diagnostic.severity {
        case .error: command = "error"
        case .warning: command = "warning"
        case .note: command = "notice"
        }
        var properties: [String] = []
        if let location = diagnostic.location {
            properties = [
                "file=" + escapeProperty(location.path), "line=\(location.line)",
                "col=\(location.column)",
            ]
        }
        let message = ([diagnostic.message] + diagnostic.details).joined(separator: "\n")
        let head =
            properties.isEmpty
            ? "::\(command)" : "::\(command) " + properties.joined(separator: ",")
        return head + "::" + escapeData(message)
    }

    /// Escapes a message as the runner expects (`%`, CR, LF).
    static func escapeData(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Escapes a property value (also `:` and `,`).
    static func escapeProperty(_ text: String) -> String {
        var out = ""
        for scalar in escapeData(text).unicodeScalars {
            switch scalar {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
