/// Where a slab sits in SLUB's lists (a model of `struct slab` plus its list links).
enum SlabListState: UInt8 {
    /// The current CPU slab (`c->slab`, frozen); its freelist is the CPU freelist.
    case cpu
    /// On the CPU partial list (`c->partial`).
    case cpuPartial
    /// On the node partial list (`n->partial`).
    case nodePartial
    /// On no list: every object is in use (or, with slab_debug, on no list either).
    case full
    /// Returned to the buddy allocator; the record is free for reuse.
    case discarded
}

/// One slab: a block of pages cut into object slots, with SLUB's in-object freelist.
struct SlabRecord {
    var cache: Int
    var pfn: Int
    var order: Int
    var objects: Int
    /// Head of the slab's freelist (`slab->freelist`, or `c->freelist` for the CPU slab), -1
    /// for NULL.
    var freeHead: Int32
    /// The free pointer stored inside each free object: the next free slot, -1 for NULL.
    var nextFree: [Int32]
    /// Model bookkeeping: which slots the program holds (not known to the real kernel).
    var live: [Bool]
    var liveCount: Int
    /// `slab->inuse` (meaningful while the slab is not the CPU slab).
    var inuse: Int
    var state: SlabListState
    var prevPartial: Int32 = -1
    var nextPartial: Int32 = -1
    /// Set when an undetected double free looped the freelist.
    var corrupted = false

    /// A fresh slab: without CONFIG_SLAB_FREELIST_RANDOM the freelist runs in ascending
    /// address order (slot 0, 1, 2, …).
    init(cache: Int, pfn: Int, order: Int, objects: Int) {
        self.cache = cache
        self.pfn = pfn
        self.order = order
        self.objects = objects
        freeHead = 0
        nextFree = (0..<objects).map { Int32($0 + 1 < objects ? $0 + 1 : -1) }
        live = Array(repeating: false, count: objects)
        liveCount = 0
        inuse = 0
        state = .full
    }

    /// Pops the freelist head.
    mutating func pop() -> Int? {
        guard freeHead >= 0 else { return nil }
        let index = Int(freeHead)
        freeHead = nextFree[index]
        return index
    }

    /// Pushes a slot at the freelist head (LIFO).
    mutating func push(_ index: Int) {
        nextFree[index] = freeHead
        freeHead = Int32(index)
    }

    /// Whether `index` is on the freelist (`on_freelist`, bounded by the object count).
    func isOnFreelist(_ index: Int) -> Bool {
        var i = freeHead
        var steps = 0
        while i >= 0 && steps <= objects {
            if Int(i) == index { return true }
            i = nextFree[Int(i)]
            steps += 1
        }
        return false
    }

    /// Number of distinct slots reachable on the freelist (bounded, loop-safe).
    func freelistLength() -> Int {
        var seen = Array(repeating: false, count: objects)
        var i = freeHead
        var n = 0
        while i >= 0 && !seen[Int(i)] {
            seen[Int(i)] = true
            n += 1
            i = nextFree[Int(i)]
        }
        return n
    }
}

/// A slab cache (`struct kmem_cache` with its one CPU and one node).
struct SlabCacheState {
    var name: String
    /// `object_size` as requested.
    var objectSize: Int
    var geometry: SlabGeometry
    var mergeable: Bool
    /// `c->slab`, -1 for none.
    var cpuSlab: Int32 = -1
    /// `c->partial` as a stack: the last element is the list head.
    var cpuPartial: [Int32] = []
    var nodePartialHead: Int32 = -1
    var nodePartialTail: Int32 = -1
    /// `n->nr_partial`.
    var nrPartial = 0
    /// `n->nr_slabs`.
    var nrSlabs = 0
    /// `n->total_objects`.
    var totalObjects = 0
    /// Lesson caches that were merged into this one (slabinfo shows only this name).
    var aliases: [String] = []
    /// Whether the cache was created by the lesson (kmem_cache_create).
    var isUserCache = false
    /// Its creation flags.
    var flags: SlabFlags = []
    /// `s->random_seq` as slot indices (CONFIG_SLAB_FREELIST_RANDOM), made on first use.
    var randomSequence: [Int32]?
    /// `s->refcount`: one per kmem_cache_create that returned this cache.
    var refcount = 1
    /// Unlinked by kmem_cache_destroy: gone from slabinfo and from merging (its slabs stay
    /// allocated when objects remained).
    var destroyed = false

    init(name: String, objectSize: Int, geometry: SlabGeometry, mergeable: Bool) {
        self.name = name
        self.objectSize = objectSize
        self.geometry = geometry
        self.mergeable = mergeable
    }
}
