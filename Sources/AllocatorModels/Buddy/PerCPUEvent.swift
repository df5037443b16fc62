/// What CPU 0's per-CPU page lists did during one page allocation or free.
public struct PerCPUEvent: Hashable, Sendable {
    /// Which operation.
    public enum Kind: Hashable, Sendable {
        /// A block was taken from the head of a list (`rmqueue_pcplist`); `pfn` is `nil` when
        /// the list stayed empty (the refill found nothing).
        case allocated
        /// A block was pushed on the head of a list (`free_unref_page_commit`).
        case freed
        /// Every list was given back to the buddy allocator (`drain_all_pages`).
        case drainedAll
    }

    /// Which operation.
    public var kind: Kind
    /// The block taken or pushed.
    public var pfn: Int?
    /// Its order.
    public var order: Int
    /// The blocks `rmqueue_bulk` moved from the buddy allocator to the empty list first.
    public var refill: [BuddyAllocation]
    /// How many blocks the refill asked for (`nr_pcp_alloc`), 0 when the list was not empty.
    public var asked: Int
    /// The blocks `free_pcppages_bulk` gave back to the buddy allocator, in order.
    public var drained: [BuddyRelease]
    /// `pcp->count` afterwards (pages).
    public var count: Int
    /// The high mark the free compared `count` with (`nr_pcp_high`), or `pcp->high` after
    /// an allocation.
    public var high: Int

    /// Creates an event.
    public init(
        kind: Kind, pfn: Int? = nil, order: Int, refill: [BuddyAllocation] = [], asked: Int = 0,
        drained: [BuddyRelease] = [], count: Int = 0, high: Int = 0
    ) {
        self.kind = kind
        self.pfn = pfn
        self.order = order
        self.refill = refill
        self.asked = asked
        self.drained = drained
        self.count = count
        self.high = high
    }
}
