/// A broken model invariant, found by `GlibcMalloc.checkInvariants()`.
public struct MallocInvariantError: Error, Hashable, Sendable {
    /// What is wrong, with addresses.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }
}
