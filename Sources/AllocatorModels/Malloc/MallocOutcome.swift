/// The result of one malloc-family call.
public struct MallocOutcome: Hashable, Sendable {
    /// The pointer returned (malloc, calloc, realloc), `nil` for NULL or for free.
    public var pointer: UInt64?
    /// What happened, in order (empty when event recording is off).
    public var events: [MallocEvent]
    /// Set when the call killed the process (or the process was already dead).
    public var fatal: MallocFatal?

    /// Creates an outcome.
    public init(pointer: UInt64? = nil, events: [MallocEvent] = [], fatal: MallocFatal? = nil) {
        self.pointer = pointer
        self.events = events
        self.fatal = fatal
    }
}
