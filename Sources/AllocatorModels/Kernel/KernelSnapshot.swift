/// What the simulated kernel looks like at one moment, for diagrams and inspection.
///
/// Filled by the kernel model (`KernelMachine.snapshot()`), drawn by `Figures`.
public struct KernelSnapshot: Hashable, Sendable {
    /// Who owns a physical page.
    public enum PageOwner: Hashable, Sendable {
        /// Free in the buddy allocator.
        case free
        /// Free, parked on a per-CPU page list (not on the buddy free lists).
        case perCPUList
        /// Reserved at boot (never handed to the buddy allocator).
        case reserved
        /// A slab of the named cache.
        case slab(cache: String)
        /// A kmalloc request above 8 KiB, served by the page allocator.
        case kmallocLarge
        /// `alloc_pages` by the scenario.
        case pages
        /// A page backing a vmalloc area.
        case vmalloc
    }

    /// A run of consecutive pages with one owner.
    public struct PageRun: Hashable, Sendable {
        /// First page frame number.
        public var pfn: Int
        /// Number of pages.
        public var count: Int
        /// The owner.
        public var owner: PageOwner

        /// Creates a run.
        public init(pfn: Int, count: Int, owner: PageOwner) {
            self.pfn = pfn
            self.count = count
            self.owner = owner
        }
    }

    /// One slab: a block of pages cut into object slots.
    public struct Slab: Hashable, Sendable {
        /// Where a slab sits in SLUB's lists.
        public enum State: String, Hashable, Sendable {
            case cpu, partial, full
        }
        /// First page frame number of the slab.
        public var pfn: Int
        /// Which slots hold a live object, in address order.
        public var used: [Bool]
        /// Its list.
        public var state: State

        /// Creates a slab.
        public init(pfn: Int, used: [Bool], state: State) {
            self.pfn = pfn
            self.used = used
            self.state = state
        }
    }

    /// One slab cache (kmalloc-32, or a lesson's own cache).
    public struct Cache: Hashable, Sendable {
        /// Name as `/proc/slabinfo` shows it.
        public var name: String
        /// Slot size in bytes.
        public var objectSize: Int
        /// Objects per slab.
        public var objectsPerSlab: Int
        /// Pages per slab.
        public var pagesPerSlab: Int
        /// The slabs, in address order.
        public var slabs: [Slab]

        /// Creates a cache view.
        public init(
            name: String, objectSize: Int, objectsPerSlab: Int, pagesPerSlab: Int, slabs: [Slab]
        ) {
            self.name = name
            self.objectSize = objectSize
            self.objectsPerSlab = objectsPerSlab
            self.pagesPerSlab = pagesPerSlab
            self.slabs = slabs
        }
    }

    /// One vmalloc area.
    public struct VmallocArea: Hashable, Sendable {
        /// Busy, or freed but not yet purged (its range still reserved).
        public enum State: String, Hashable, Sendable {
            case busy, unpurged
        }
        /// Start address.
        public var address: UInt64
        /// Size including the guard page.
        public var size: UInt64
        /// The frame behind each mapped page, in virtual order (empty once unpurged).
        public var pfns: [Int]
        /// Its state.
        public var state: State

        /// Creates an area view.
        public init(address: UInt64, size: UInt64, pfns: [Int], state: State) {
            self.address = address
            self.size = size
            self.pfns = pfns
            self.state = state
        }
    }

    /// Number of page frames in the zone.
    public var totalPages: Int
    /// Free blocks per order 0...10, each list head first, as first page frame numbers.
    public var freeLists: [[Int]]
    /// Every page of the zone, as runs in pfn order.
    public var pages: [PageRun]
    /// Slab caches that have been used, in creation order.
    public var caches: [Cache]
    /// vmalloc areas in address order.
    public var vmallocAreas: [VmallocArea]

    /// First page frame number of the zone.
    public var zoneStartPfn: Int { pages.first?.pfn ?? 0 }

    /// Creates a snapshot.
    public init(
        totalPages: Int, freeLists: [[Int]], pages: [PageRun], caches: [Cache],
        vmallocAreas: [VmallocArea]
    ) {
        self.totalPages = totalPages
        self.freeLists = freeLists
        self.pages = pages
        self.caches = caches
        self.vmallocAreas = vmallocAreas
    }
}
