/// A problem found in the user's input, reported in compiler form.
///
/// Printed as `content/02-vmalloc.md:3:8: error: front matter: 'order' must be an integer`.
/// Diagnostics are collected, never thrown one at a time, so that every problem of a run
/// is reported together.
public struct Diagnostic: Hashable, Sendable {
    /// How serious a diagnostic is.
    public enum Severity: String, Hashable, Sendable {
        /// Fails the run.
        case error
        /// Reported; fails the run only under `--strict` where a command says so.
        case warning
        /// Extra information attached to another diagnostic.
        case note
    }

    /// How serious it is.
    public var severity: Severity
    /// Where it is; `nil` for problems that belong to no file.
    public var location: SourceLocation?
    /// The message: lowercase, no trailing period, names in single quotes.
    public var message: String
    /// Lines printed after the diagnostic line (a diff, a hint), without a final newline.
    public var details: [String]

    /// Creates a diagnostic.
    public init(
        _ severity: Severity, at location: SourceLocation?, _ message: String,
        details: [String] = []
    ) {
        self.severity = severity
        self.location = location
        self.message = message
        self.details = details
    }

    /// Creates an error.
    public static func error(
        _ message: String, at location: SourceLocation?, details: [String] = []
    ) -> Diagnostic {
        Diagnostic(.error, at: location, message, details: details)
    }

    /// Creates a warning.
    public static func warning(
        _ message: String, at location: SourceLocation?, details: [String] = []
    ) -> Diagnostic {
        Diagnostic(.warning, at: location, message, details: details)
    }

    /// The first line, in compiler form: `path:line:col: severity: message`.
    public var headline: String {
        if let location {
            return
                "\(location.path):\(location.line):\(location.column): \(severity.rawValue): \(message)"
        }
        return "allocbook: \(severity.rawValue): \(message)"
    }

    /// The whole text: the headline, then the details, one per line.
    public var text: String {
        ([headline] + details).joined(separator: "\n")
    }
}

extension Array where Element == Diagnostic {
    /// Whether any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by location (diagnostics without one first), stable otherwise.
    public func sortedByLocation() -> [Diagnostic] {
        enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case let (l?, r?): return l == r ? a.offset < b.offset : l < r
            }
        }.map(\.element)
    }
}
