/// A block of `1 << order` pages starting at page frame `pfn`.
public struct BuddyBlock: Hashable, Sendable {
    /// First page frame number.
    public var pfn: Int
    /// The block's order.
    public var order: Int

    /// Creates a block.
    public init(pfn: Int, order: Int) {
        self.pfn = pfn
        self.order = order
    }
}

/// What one `alloc_pages` did inside the buddy allocator.
public struct BuddyAllocation: Hashable, Sendable {
    /// The block handed out (the lowest-addressed part of `source`).
    public var block: BuddyBlock
    /// The free block taken from the head of its list (`__rmqueue_smallest`).
    public var source: BuddyBlock
    /// Upper halves put at the heads of the free lists by `expand`, largest first.
    public var splits: [BuddyBlock]

    /// Creates an allocation record.
    public init(block: BuddyBlock, source: BuddyBlock, splits: [BuddyBlock]) {
        self.block = block
        self.source = source
        self.splits = splits
    }
}

/// What one `__free_pages` did inside the buddy allocator.
public struct BuddyRelease: Hashable, Sendable {
    /// The block given back.
    public var block: BuddyBlock
    /// The free buddies merged with it, in merge order.
    public var merged: [BuddyBlock]
    /// The block finally put on a free list.
    public var result: BuddyBlock
    /// Whether it went to the list tail (`buddy_merge_likely`) rather than the head.
    public var toTail: Bool

    /// Creates a release record.
    public init(block: BuddyBlock, merged: [BuddyBlock], result: BuddyBlock, toTail: Bool) {
        self.block = block
        self.merged = merged
        self.result = result
        self.toTail = toTail
    }
}
