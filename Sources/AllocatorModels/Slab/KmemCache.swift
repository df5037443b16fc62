/// A handle to a slab cache of the machine (what `kmem_cache_create` returns).
public struct KmemCache: Hashable, Sendable {
    /// Index of the cache in the machine.
    let index: Int
    /// The name the lesson asked for.
    public let name: String
    /// The cache that actually serves it (differs when the new cache was merged).
    public let servedBy: String
}
