/// A problem in a scenario's text, located in the lesson file (1-based line and column).
///
/// The scenario parser and runners report issues; `SiteBuilder` turns them into diagnostics.
public struct ScenarioIssue: Error, Hashable, Sendable {
    /// The 1-based line in the lesson file.
    public var line: Int
    /// The 1-based column, counted in Unicode scalars.
    public var column: Int
    /// The message: lowercase, no trailing period, names in single quotes.
    public var message: String

    /// Creates an issue.
    public init(line: Int, column: Int, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}
