/// The variables a scenario (or a session of scenarios) has declared so far, by kind.
public struct ScenarioVariables: Hashable, Sendable {
    /// What a variable holds.
    public enum Kind: Hashable, Sendable {
        /// A pointer (from an allocation call).
        case pointer
        /// A `struct kmem_cache *` (from `kmem_cache_create`).
        case cache
        /// A plain value (`n = ksize(p);`).
        case value
    }

    /// Each variable's kind.
    public var kinds: [String: Kind] = [:]

    /// Creates an empty table.
    public init() {}

    /// The kind of `name`, if it is declared.
    public subscript(name: String) -> Kind? {
        get { kinds[name] }
        set { kinds[name] = newValue }
    }
}
