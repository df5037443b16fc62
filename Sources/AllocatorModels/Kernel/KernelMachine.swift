/// One simulated x86_64 machine (4 KiB pages) whose buddy allocator feeds both the SLUB
/// kmalloc caches and vmalloc, modelled on Linux 6.18.
///
/// Every call runs on CPU 0; the CPU count only shapes slab geometry (`calculate_order`)
/// and the vmalloc lazy-purge threshold. Addresses are real-looking: slab objects and
/// pages are direct-map addresses (`PAGE_OFFSET` 0xffff888000000000 + pfn << 12, no
/// KASLR), vmalloc areas start at `VMALLOC_START` 0xffffc90000000000. The zone is
/// `ZONE_NORMAL` starting at 4 GiB (pfn 0x100000) unless configured otherwise.
///
/// After a fatal BUG (`KernelOutcome.bug`) the machine is dead: further calls return
/// `nil` pointers and no events.
public struct KernelMachine: Sendable {
    /// How the machine was booted.
    public struct Configuration: Hashable, Sendable {
        /// Present CPUs.
        public var cpus: Int
        /// Physical memory of the zone in bytes (rounded down to pages).
        public var memoryBytes: UInt64
        /// Boot with `slab_debug=F` (consistency checks): double frees and invalid pointers
        /// are reported by SLUB instead of corrupting the freelist silently.
        public var slabDebug: Bool
        /// First page frame of the zone (a multiple of 1024).
        public var zoneStartPfn: Int
        /// CONFIG_SLAB_FREELIST_RANDOM with this seed; `nil` (the default): off, fresh
        /// slabs hand out their slots in ascending order.
        public var freelistRandomSeed: UInt64? = nil
        /// The Linux release the machine follows (default 6.18).
        public var version: KernelVersion = .standard
        /// Boot with `slab_nomerge`: `kmem_cache_create` never merges caches.
        public var slabNomerge = false
        /// Run orders 0...3 and 9 through CPU 0's per-CPU page lists (`PerCPUPages`), as
        /// every real kernel does; `false` (the default): every order reaches the buddy free
        /// lists at once, so /proc/buddyinfo changes on every call.
        public var perCPULists = false

        /// Creates a configuration.
        public init(
            cpus: Int = 2, memoryBytes: UInt64 = 64 << 20, slabDebug: Bool = false,
            zoneStartPfn: Int = KernelLayout.defaultZoneStartPfn, freelistRandomSeed: UInt64? = nil
        ) {
            self.freelistRandomSeed = freelistRandomSeed
            self.cpus = cpus
            self.memoryBytes = memoryBytes
            self.slabDebug = slabDebug
            self.zoneStartPfn = zoneStartPfn
        }
    }

    /// A configuration the model cannot boot.
    public enum ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
        /// CPU count outside 1...8192.
        case cpus(Int)
        /// Memory outside 4 KiB...16 GiB.
        case memory(UInt64)
        /// Zone start not a multiple of 1024 pages.
        case zoneStart(Int)

        /// Lowercase message, no trailing period.
        public var description: String {
            switch self {
            case .cpus(let n): return "cpu count \(n) is outside 1...8192"
            case .memory(let b): return "memory size \(b) is outside 4K...16G"
            case .zoneStart(let p): return "zone start pfn \(p) is not a multiple of 1024"
            }
        }
    }

    /// What a page of the zone is used for (stored for every page of a block).
    enum PageUse: UInt8 {
        case free, slab, kmallocLarge, pages, vmalloc
        /// On a per-CPU page list: free for the page allocator, allocated for the buddy lists.
        case perCPU
    }

    /// The configuration.
    public let configuration: Configuration
    /// The buddy allocator of the zone.
    public internal(set) var buddy: BuddyAllocator
    /// CPU 0's per-CPU page lists, when `configuration.perCPULists` is on.
    public internal(set) var perCPU: PerCPUPages?
    /// The zone's watermarks and per-CPU list sizes, as the kernel computes them at boot.
    public let zoneTuning: ZoneTuning
    var pageUse: [PageUse]
    /// Slab id, or vmalloc area id, per page.
    var pageRef: [Int32]
    var slabs: [SlabRecord] = []
    var freeSlabIds: [Int32] = []
    var caches: [SlabCacheState] = []
    /// Cache indices by family (`KmallocType.rawValue`) and `kmalloc_index` (1 = 96,
    /// 2 = 192, 3…13 = 8…8k): `kmalloc_caches[type][index]`.
    var kmallocCacheIndex: [[Int]] = Array(
        repeating: Array(repeating: -1, count: 14), count: KmallocType.allCases.count)
    var vmapAreaCache = -1
    var vmalloc: VmallocSpace
    /// Large kmalloc blocks by first pfn.
    var largeKmalloc: Set<Int> = []
    /// alloc_pages blocks by first pfn.
    var pageBlocks: Set<Int> = []
    var warnedOnce: Set<String> = []
    /// The model's stand-in for the CRNG when CONFIG_SLAB_FREELIST_RANDOM is on.
    var freelistRandom: PrandomState?
    var taintBadPage = false
    var taintWarn = false
    /// Whether a fatal BUG has happened.
    public private(set) var isDead = false

    /// Boots a machine with `cpus` CPUs and `memoryBytes` of memory.
    public init(
        cpus: Int = 2, memoryBytes: UInt64 = 64 << 20, slabDebug: Bool = false,
        freelistRandomSeed: UInt64? = nil
    ) throws(ConfigurationError) {
        try self.init(
            Configuration(
                cpus: cpus, memoryBytes: memoryBytes, slabDebug: slabDebug,
                freelistRandomSeed: freelistRandomSeed))
    }

    /// Boots a machine from a configuration.
    public init(_ configuration: Configuration) throws(ConfigurationError) {
        guard configuration.cpus >= 1, configuration.cpus <= 8192 else {
            throw .cpus(configuration.cpus)
        }
        guard configuration.memoryBytes >= 4096, configuration.memoryBytes <= 16 << 30 else {
            throw .memory(configuration.memoryBytes)
        }
        guard configuration.zoneStartPfn >= 0, configuration.zoneStartPfn % 1024 == 0 else {
            throw .zoneStart(configuration.zoneStartPfn)
        }
        self.configuration = configuration
        let pages = Int(configuration.memoryBytes / KernelLayout.pageSize)
        buddy = BuddyAllocator(startPfn: configuration.zoneStartPfn, pageCount: pages)
        zoneTuning = ZoneTuning(
            managedPages: pages, cpus: configuration.cpus, version: configuration.version)
        if configuration.perCPULists {
            perCPU = PerCPUPages(tuning: zoneTuning, version: configuration.version)
        }
        pageUse = Array(repeating: .free, count: pages)
        pageRef = Array(repeating: -1, count: pages)
        vmalloc = VmallocSpace(
            cpus: configuration.cpus, nodes: configuration.version.hasVmapNodes)
        freelistRandom = configuration.freelistRandomSeed.map { PrandomState(seed: $0) }
        // mm/slab_common.c:create_kmalloc_caches (6.18): for each type in enum order, 96 and
        // 192 first, then 8 … 8k. None of them is mergeable: KMALLOC_NORMAL caches get
        // SLAB_NO_MERGE under CONFIG_MEMCG, and every kmalloc cache is created with
        // usersize = size, which slab_unmergeable() refuses under CONFIG_HARDENED_USERCOPY
        // (the real kernel's /sys/kernel/slab/kmalloc-cg-64/aliases reads 0).
        for type in KmallocType.allCases {
            for index in [1, 2] + Array(3...13) {
                let size = Self.kmallocSizes[index]
                let name = type.cacheName(Self.kmallocSuffixes[index])
                let cache = addCache(name: name, objectSize: size, mergeable: false)
                caches[cache].flags = type.slabFlags
                kmallocCacheIndex[type.rawValue][index] = cache
            }
        }
        // vmalloc_init: KMEM_CACHE(vmap_area, SLAB_PANIC), 72-byte objects.
        vmapAreaCache = addCache(name: "vmap_area", objectSize: 72, mergeable: true)
        // init_freelist_randomization: one sequence per cache, in creation order.
        if freelistRandom != nil {
            for c in caches.indices { _ = randomSequence(cache: c) }
        }
    }

    /// Slot sizes by kmalloc index.
    static let kmallocSizes = [0, 96, 192, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]
    /// Cache name suffixes by kmalloc index (`kmalloc_info`).
    static let kmallocSuffixes = [
        "", "96", "192", "8", "16", "32", "64", "128", "256", "512", "1k", "2k", "4k", "8k",
    ]

    /// `kmalloc_index(size)`.
    ///
    /// For 1...8192: 3...13 for the power-of-two classes, 1 for
    /// kmalloc-96, 2 for kmalloc-192. 0 for size 0; `nil` above 8192.
    public static func kmallocIndex(_ size: Int) -> Int? {
        if size == 0 { return 0 }
        guard size > 0, size <= KernelLayout.kmallocMaxCacheSize else { return nil }
        if size <= 8 { return 3 }
        if size > 64 && size <= 96 { return 1 }
        if size > 128 && size <= 192 { return 2 }
        return fls(size - 1)
    }

    /// The kmalloc cache name serving `size` bytes, or `nil` for 0 and above 8192.
    public static func kmallocCacheName(
        forSize size: Int, type: KmallocType = .normal
    ) -> String? {
        guard let index = kmallocIndex(size), index > 0 else { return nil }
        return type.cacheName(kmallocSuffixes[index])
    }

    mutating func addCache(name: String, objectSize: Int, mergeable: Bool) -> Int {
        let slotSize = (objectSize + 7) & ~7
        let geometry = SlabGeometry(size: slotSize, cpus: configuration.cpus)
        caches.append(
            SlabCacheState(
                name: name, objectSize: objectSize, geometry: geometry, mergeable: mergeable))
        return caches.count - 1
    }

    /// Direct-map page index of an address inside the zone, or `nil`.
    func pageIndex(of address: UInt64) -> Int? {
        guard let pfn = KernelLayout.pfn(ofAddress: address) else { return nil }
        let index = pfn - buddy.startPfn
        return index >= 0 && index < buddy.pageCount ? index : nil
    }

    /// Takes a block from the page allocator and records its use; every page refers to
    /// `ref` (a slab or vmalloc area id), or to the block's first page when `ref` is `nil`.
    ///
    /// With per-CPU lists on, allowed orders come from CPU 0's list (`bulk`: one page of
    /// `__alloc_pages_bulk`). When nothing is free and `gfp` may reclaim directly, the lists
    /// are drained first and the allocation retried once, as
    /// `__alloc_pages_direct_reclaim` does (`drain_all_pages`).
    mutating func takePages(
        order: Int, use: PageUse, ref: Int32?, events: inout [KernelEvent], bulk: Bool = false,
        gfp: GFP = .kernel
    ) -> Int? {
        var pfn = allocateBlock(order: order, bulk: bulk, events: &events)
        if pfn == nil, gfp.allowsBlocking, let lists = perCPU, lists.count > 0 {
            let released = perCPU?.drain(&buddy) ?? []
            for release in released { markFree(release) }
            events.append(.perCPU(PerCPUEvent(kind: .drainedAll, order: order, drained: released)))
            pfn = allocateBlock(order: order, bulk: bulk, events: &events)
        }
        guard let pfn else { return nil }
        let first = pfn - buddy.startPfn
        let value = ref ?? Int32(first)
        for i in first..<(first + (1 << order)) {
            pageUse[i] = use
            pageRef[i] = value
        }
        return pfn
    }

    private mutating func allocateBlock(
        order: Int, bulk: Bool, events: inout [KernelEvent]
    ) -> Int? {
        if perCPU != nil, PerCPUPages.allowed(order: order) {
            guard let taken = perCPU?.allocate(order: order, bulk: bulk, buddy: &buddy) else {
                return nil
            }
            for a in taken.refill {
                let first = a.block.pfn - buddy.startPfn
                for i in first..<(first + (1 << order)) { pageUse[i] = .perCPU }
            }
            guard let pfn = taken.pfn else {
                if !taken.refill.isEmpty || taken.asked > 0 {
                    events.append(
                        .perCPU(
                            PerCPUEvent(
                                kind: .allocated, order: order, refill: taken.refill,
                                asked: taken.asked)))
                }
                return nil
            }
            events.append(
                .perCPU(
                    PerCPUEvent(
                        kind: .allocated, pfn: pfn, order: order, refill: taken.refill,
                        asked: taken.asked, count: perCPU?.count ?? 0, high: perCPU?.high ?? 0)))
            return pfn
        }
        guard let allocation = buddy.allocate(order: order) else { return nil }
        events.append(.buddyAllocated(allocation))
        return allocation.block.pfn
    }

    /// Gives a block back to the page allocator: CPU 0's per-CPU list for allowed orders
    /// when the lists are on, the buddy allocator otherwise.
    mutating func releasePages(pfn: Int, order: Int, events: inout [KernelEvent]) {
        let first = pfn - buddy.startPfn
        let onList = perCPU != nil && PerCPUPages.allowed(order: order)
        for i in first..<(first + (1 << order)) {
            pageUse[i] = onList ? .perCPU : .free
            pageRef[i] = -1
        }
        guard onList, let put = perCPU?.free(pfn: pfn, order: order, buddy: &buddy) else {
            events.append(.buddyFreed(buddy.free(pfn: pfn, order: order)))
            return
        }
        for release in put.drained { markFree(release) }
        events.append(
            .perCPU(
                PerCPUEvent(
                    kind: .freed, pfn: pfn, order: order, drained: put.drained,
                    count: perCPU?.count ?? 0, high: put.highSeen)))
    }

    /// A block drained from a per-CPU list is free in the buddy allocator again.
    mutating func markFree(_ release: BuddyRelease) {
        let first = release.block.pfn - buddy.startPfn
        for i in first..<(first + (1 << release.block.order)) { pageUse[i] = .free }
    }

    /// `drain_all_pages`: CPU 0's per-CPU lists back to the buddy allocator.
    public mutating func drainPerCPULists() -> KernelOutcome {
        guard !isDead, perCPU != nil else { return KernelOutcome() }
        let released = perCPU?.drain(&buddy) ?? []
        for release in released { markFree(release) }
        return KernelOutcome(events: [
            .perCPU(PerCPUEvent(kind: .drainedAll, order: 0, drained: released))
        ])
    }

    /// Marks the machine dead after a fatal report.
    mutating func die(_ report: String, events: inout [KernelEvent]) {
        isDead = true
        events.append(.bug(report))
    }

    /// `/proc/buddyinfo`.
    public func buddyinfo() -> String {
        buddy.buddyinfo()
    }
}
