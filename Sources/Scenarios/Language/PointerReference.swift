/// A pointer argument: a variable plus a constant byte offset (`A + 16`), or `NULL`.
public struct PointerReference: Hashable, Sendable {
    /// The variable, or `nil` for `NULL` (or `0`).
    public var variable: String?
    /// The byte offset added to the variable's value.
    public var offset: Int64
    /// The 1-based column of the argument.
    public var column: Int

    /// Creates a reference.
    public init(variable: String?, offset: Int64 = 0, column: Int) {
        self.variable = variable
        self.offset = offset
        self.column = column
    }

    /// The argument as a student would write it: `A`, `A + 16`, `NULL`.
    public var spelling: String {
        guard let variable else { return "NULL" }
        if offset == 0 { return variable }
        return offset > 0 ? "\(variable) + \(offset)" : "\(variable) - \(-offset)"
    }
}
