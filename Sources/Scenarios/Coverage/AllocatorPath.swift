/// A path through an allocator that a scenario step can take: `malloc.tcache.hit`,
/// `kernel.slab.cpu-partial`, `kernel.buddy.split.order-3`.
///
/// The models report what they did as events; ``MallocPaths`` and ``KernelPaths`` turn the
/// events of one step into path hits. The catalogs list every path the models can report, so
/// that a coverage report can name the ones no scenario reaches.
public struct AllocatorPath: Hashable, Sendable, Comparable {
    /// The stable id (`malloc.fastbin.hit`), used in the JSON report.
    public var id: String
    /// What the path is, for students (`a chunk reused from a fastbin`).
    public var summary: String
    /// The group it is listed under in reports (`tcache`, `buddy`).
    public var group: String

    /// Creates a path.
    public init(_ id: String, group: String, _ summary: String) {
        self.id = id
        self.group = group
        self.summary = summary
    }

    /// Orders paths by id.
    public static func < (a: AllocatorPath, b: AllocatorPath) -> Bool {
        a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
    }
}

/// One path taken by one step, with the step's particulars in the model's own words.
public struct PathHit: Hashable, Sendable {
    /// The path.
    public var path: AllocatorPath
    /// What happened on it (`the 48-byte chunk came from tcache bin 1`).
    public var detail: String
    /// Words an expected text would use for this path (`tcache`, `fastbin`), lowercase.
    public var keywords: [String]

    /// Creates a hit.
    public init(_ path: AllocatorPath, _ detail: String, keywords: [String] = []) {
        self.path = path
        self.detail = detail
        self.keywords = keywords
    }
}
