/// A malformed line in an allocation trace, located 1-based.
public struct TraceError: Error, Hashable, Sendable {
    /// The 1-based line.
    public var line: Int
    /// The 1-based column where the problem starts.
    public var column: Int
    /// The message: lowercase, no trailing period, names in single quotes.
    public var message: String

    /// Creates a trace error.
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}
