/// A position in a source file, 1-based, as compilers print it.
public struct SourceLocation: Hashable, Comparable, Sendable {
    /// The file's path as the user gave it (relative paths stay relative).
    public var path: String
    /// The 1-based line.
    public var line: Int
    /// The 1-based column, counted in Unicode scalars of the line.
    public var column: Int

    /// Creates a location.
    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    /// Orders by path, then line, then column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }
}
