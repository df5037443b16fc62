/// A pointer a kernel call returned, with what the lesson needs to explain it.
public enum KernelPointer: Hashable, Sendable {
    /// `NULL`: the call failed.
    case null
    /// `ZERO_SIZE_PTR` (0x10), from `kmalloc(0)`.
    case zeroSize
    /// An object of a slab cache.
    case slabObject(SlabObjectInfo)
    /// A block from the page allocator (`alloc_pages`, or kmalloc above 8 KiB).
    case pages(PagesInfo)
    /// A vmalloc area.
    case vmalloc(VmallocAreaInfo)

    /// The address as the C code sees it (0 for NULL).
    public var address: UInt64 {
        switch self {
        case .null: return 0
        case .zeroSize: return KernelLayout.zeroSizePointer
        case .slabObject(let info): return info.address
        case .pages(let info): return info.address
        case .vmalloc(let info): return info.address
        }
    }
}

/// One slab object: where it lives and the geometry of its cache.
public struct SlabObjectInfo: Hashable, Sendable {
    /// The object's address (direct map).
    public var address: UInt64
    /// The cache's name as /proc/slabinfo prints it.
    public var cache: String
    /// Slot size (`<objsize>`).
    public var objectSize: Int
    /// Objects per slab (`<objperslab>`).
    public var objectsPerSlab: Int
    /// Pages per slab (`<pagesperslab>`).
    public var pagesPerSlab: Int
    /// First page frame of the slab holding the object.
    public var slabPfn: Int
    /// The object's slot index in its slab (0 = lowest address).
    public var index: Int

    /// Creates an object description.
    public init(
        address: UInt64, cache: String, objectSize: Int, objectsPerSlab: Int, pagesPerSlab: Int,
        slabPfn: Int, index: Int
    ) {
        self.address = address
        self.cache = cache
        self.objectSize = objectSize
        self.objectsPerSlab = objectsPerSlab
        self.pagesPerSlab = pagesPerSlab
        self.slabPfn = slabPfn
        self.index = index
    }
}

/// A block of pages handed out by the page allocator.
public struct PagesInfo: Hashable, Sendable {
    /// Direct-map address of the first page.
    public var address: UInt64
    /// The block's order.
    public var order: Int
    /// First page frame number.
    public var pfn: Int

    /// Creates a description.
    public init(address: UInt64, order: Int, pfn: Int) {
        self.address = address
        self.order = order
        self.pfn = pfn
    }
}

/// A vmalloc area.
public struct VmallocAreaInfo: Hashable, Sendable {
    /// Start address.
    public var address: UInt64
    /// Reserved size including the guard page, as /proc/vmallocinfo prints it.
    public var size: UInt64
    /// The frame behind each mapped page, in virtual order.
    public var pfns: [Int]

    /// Creates a description.
    public init(address: UInt64, size: UInt64, pfns: [Int]) {
        self.address = address
        self.size = size
        self.pfns = pfns
    }
}

/// Something that happened inside the machine during one call, in order.
public enum KernelEvent: Hashable, Sendable {
    /// The buddy allocator handed out a block (with the splits `expand` made).
    case buddyAllocated(BuddyAllocation)
    /// The buddy allocator took a block back (with the merges `__free_one_page` made).
    case buddyFreed(BuddyRelease)
    /// CPU 0's per-CPU page lists served an allocation, took a free, or were drained.
    case perCPU(PerCPUEvent)
    /// A slab cache took a new slab from the buddy allocator.
    case newSlab(cache: String, pfn: Int, order: Int, objects: Int)
    /// A slab cache handed out an object; `source` says where `slab_alloc_node` found it.
    case slabAllocated(cache: String, source: SlabAllocationSource)
    /// A slab cache took an object back; `path` says what `slab_free` did with its slab.
    case slabFreed(cache: String, path: SlabFreePath)
    /// An empty slab went back to the buddy allocator (`discard_slab`).
    case slabDiscarded(cache: String, pfn: Int, order: Int)
    /// `kmem_cache_create` made a new cache.
    case cacheCreated(name: String, geometry: SlabGeometry)
    /// `kmem_cache_create` returned an existing compatible cache (slab merging).
    case cacheMerged(name: String, into: String)
    /// A vmalloc area was reserved.
    case areaReserved(address: UInt64, size: UInt64)
    /// vfree unmapped an area; its range stays reserved (`unpurged vm_area`) until a purge.
    case areaUnpurged(address: UInt64, size: UInt64)
    /// A lazy purge released these ranges (address, size) for reuse.
    case purged([VmallocRange])
    /// A double free went undetected: the object is now on its freelist twice (a loop).
    case freelistCorrupted(cache: String, address: UInt64)
    /// An object already in use was handed out again (because of an earlier corruption).
    case handedOutTwice(cache: String, address: UInt64)
    /// A kernel warning or slab_debug report; the run continues.
    case warning(String)
    /// A fatal kernel BUG/oops; the run ends.
    case bug(String)
    /// The call does something the model cannot follow (it describes what the kernel would
    /// do); nothing changed.
    case unsupported(String)
}

/// A range of kernel virtual addresses.
public struct VmallocRange: Hashable, Sendable {
    /// Start address.
    public var address: UInt64
    /// Size in bytes (guard page included).
    public var size: UInt64

    /// Creates a range.
    public init(address: UInt64, size: UInt64) {
        self.address = address
        self.size = size
    }
}

/// What one call did: the pointer it returned (if it returns one) and the events.
public struct KernelOutcome: Hashable, Sendable {
    /// The returned pointer, or `nil` for calls that return nothing (kfree, vfree, …).
    public var pointer: KernelPointer?
    /// What happened, in order.
    public var events: [KernelEvent]
    /// For `ksize`: the usable size.
    public var size: UInt64?

    /// Creates an outcome.
    public init(pointer: KernelPointer? = nil, events: [KernelEvent] = [], size: UInt64? = nil) {
        self.pointer = pointer
        self.events = events
        self.size = size
    }

    /// The fatal report, if the call hit a kernel BUG (the machine is dead afterwards).
    public var bug: String? {
        for case .bug(let text) in events { return text }
        return nil
    }

    /// The warnings and slab_debug reports printed by the call.
    public var warnings: [String] {
        events.compactMap { if case .warning(let text) = $0 { return text } else { return nil } }
    }
}
