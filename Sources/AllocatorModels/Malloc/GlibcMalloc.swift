/// glibc 2.36's malloc (ptmalloc2, x86_64, main arena, one thread) on a modelled process.
///
/// Every header, footer and list link is written into the word-addressed shadow memory of
/// `space` exactly as glibc writes it, so the integrity checks of `free` (and the aborts they
/// raise) come out as on the real allocator, including for pointers into the middle of
/// chunks. Addresses follow `ProcessAddressSpace`'s conventions: the first user pointer is
/// `0x5555555592a0` (initial break + 0x2a0). The reference is glibc 2.36's `malloc/malloc.c`
/// (Debian: `apt-get install glibc-source`, then the tarball under `/usr/src/glibc`).
///
/// After a fatal outcome (`abort` or `segfault`) the process is dead and every further
/// call returns that same fatal outcome without doing anything.
public struct GlibcMalloc: Sendable {
    static let sizeSz: UInt64 = 8
    static let minSize: UInt64 = 32
    static let hdr: UInt64 = 16
    static let page: UInt64 = 4096
    static let tcacheStructSize: UInt64 = 640
    static let tcacheFill: Int = 7
    static let minLargeSize: UInt64 = 1024
    static let fastbinConsolidationThreshold: UInt64 = 65536
    static let mmapThresholdMax: UInt64 = 32 << 20
    static let heapMaxSize: UInt64 = 64 << 20
    static let maxFastSize: UInt64 = 160
    static let maxIters = 10000
    /// The model's `tcache_key` (glibc draws a random one; any value the program never
    /// writes behaves the same).
    static let tcacheKey: UInt64 = 0x6d2b_79f5_a1c3_e847
    static let ptrdiffMax: UInt64 = UInt64(Int64.max)

    /// The modelled process: break, mappings, shadow memory, resident pages.
    public internal(set) var space = ProcessAddressSpace()

    // mp_
    var topPad: UInt64 = 131072
    var mmapThreshold: UInt64 = 131072
    var trimThreshold: UInt64 = 131072
    var nMmapsMax: Int32 = 65536
    var noDynThreshold = false
    var nMmaps: Int32 = 0
    var maxNMmaps: Int32 = 0
    var mmappedMem: UInt64 = 0
    /// Mapping start → chunk, for the mmapped chunks memalign placed inside their mapping
    /// (prev_size = offset); the invariant checks use it.
    var offsetMmapChunks: [UInt64: UInt64] = [:]
    var maxMmappedMem: UInt64 = 0
    var sbrkBase: UInt64 = 0
    var arenaTest: UInt64 = 8
    var arenaMax: UInt64 = 0
    /// `perturb_byte` (M_PERTURB): 0 is off.
    var perturbByte: Int32 = 0
    /// Set by `_int_malloc` when it returns a chunk through the tcache (`return_cached`), which
    /// glibc does not perturb.
    var servedCached = false

    // The loaded arena (main_arena unless a call is working on another one).
    var arenaBase: UInt64 = ProcessAddressSpace.defaultMainArena
    var currentArena = 0
    var top: UInt64 = ProcessAddressSpace.defaultMainArena + 96
    var lastRemainder: UInt64 = 0
    var systemMem: UInt64 = 0
    var maxSystemMem: UInt64 = 0
    var haveFastchunks = false
    var contiguous = true
    var binmap: [UInt32] = [0, 0, 0, 0]
    var fastbins: [UInt64] = Array(repeating: 0, count: 10)
    var maxFast: UInt64 = 128
    var initialized = false

    // Every arena (index 0 is main_arena; the loaded one's registers live in the fields above)
    // and every thread (index 0 is the main thread).
    var arenas: [ArenaState] = [
        ArenaState(base: ProcessAddressSpace.defaultMainArena, contiguous: true)
    ]
    var threads: [ThreadState] = [ThreadState(name: "main", arena: 0)]
    var currentThread = 0
    /// `narenas_limit` (computed once), `next_to_use` of reused_arena, `aligned_heap_area`.
    var narenasLimit: UInt64 = 0
    var nextToUse: Int?
    var alignedHeapArea: UInt64?
    /// arena.c `free_list`: arenas whose last thread exited, the head last.
    var freeArenas: [Int] = []
    /// nptl's stack cache (`dl_stack_cache`): stacks of joined threads with their DTVs,
    /// newest first.
    var stackCache: [(stack: UInt64, dtv: UInt64)] = []
    /// `tcache_shutting_down` of the thread running `tcache_thread_shutdown`.
    var tcacheShuttingDown = false
    /// The processor count `__get_nprocs` reports (for the arena limit, 8 per CPU).
    public var cpus = 2

    // tcache of the running thread
    var tcache: UInt64 = 0
    var tcacheCounts: [Int] = Array(repeating: 0, count: 64)
    var tcacheEntries: [UInt64] = Array(repeating: 0, count: 64)

    /// Set once the process died.
    public private(set) var termination: MallocFatal?
    /// Whether calls record `MallocEvent`s (turn off for speed).
    public var recordsEvents = true
    var events: [MallocEvent] = []

    /// Creates a fresh process that has not called malloc yet.
    public init() {
        linkMainArenaBins()
    }

    /// Each bin header of main_arena links to itself (`malloc_init_state`).
    mutating func linkMainArenaBins() {
        for i in 1..<128 {
            let b = space.mainArena + 80 + 16 * UInt64(i)
            try? space.store(b + 16, b)
            try? space.store(b + 24, b)
        }
    }

    /// Where mmap puts mappings (set it before the first call).
    ///
    /// libc, and `main_arena` in its
    /// data, move with the layout's `mmapTop` (the mapping below libc): a chunk's `fd`/`bk`
    /// into a bin reads as the real process's address.
    public var layout: MmapLayout {
        get { space.layout }
        set {
            space.layout = newValue
            guard !initialized else { return }
            let base =
                ProcessAddressSpace.defaultMainArena &+ newValue.mmapTop
                &- MmapLayout().mmapTop
            guard base != space.mainArena else { return }
            for i in 1..<128 {
                let b = space.mainArena + 80 + 16 * UInt64(i)
                try? space.store(b + 16, 0)
                try? space.store(b + 24, 0)
            }
            space.mainArena = base
            arenaBase = base
            top = base + 96
            arenas[0] = ArenaState(base: base, contiguous: true)
            linkMainArenaBins()
        }
    }

    /// The initial program break (absolute).
    public var initialBreak: UInt64 { ProcessAddressSpace.initialBreak }
    /// The current program break (absolute).
    public var programBreak: UInt64 { space.programBreak }
    /// The current mmap threshold (dynamic unless set by mallopt).
    public var currentMmapThreshold: UInt64 { mmapThreshold }
    /// The current trim threshold.
    public var currentTrimThreshold: UInt64 { trimThreshold }

    // MARK: - Public calls

    /// `malloc(size)`.
    public mutating func malloc(_ size: UInt64) -> MallocOutcome {
        perform { (m: inout GlibcMalloc) throws(MallocFatal) in try m.libcMalloc(size) }
    }

    /// `calloc(n, size)`.
    public mutating func calloc(_ n: UInt64, _ size: UInt64) -> MallocOutcome {
        perform { (m: inout GlibcMalloc) throws(MallocFatal) in try m.libcCalloc(n, size) }
    }

    /// `realloc(address, size)`; `nil` is NULL.
    public mutating func realloc(_ address: UInt64?, _ size: UInt64) -> MallocOutcome {
        perform { (m: inout GlibcMalloc) throws(MallocFatal) in
            try m.libcRealloc(address ?? 0, size)
        }
    }

    /// `free(address)`; 0 is NULL.
    public mutating func free(_ address: UInt64) -> MallocOutcome {
        perform { (m: inout GlibcMalloc) throws(MallocFatal) in
            try m.libcFree(address)
            return nil
        }
    }

    /// `mallopt(param, value)` (malloc.c 5448): 1 on success, 0 when glibc rejects the value.
    ///
    /// Only M_MXFAST outside 0...160 is rejected. M_ARENA_TEST and M_ARENA_MAX ignore a value ≤ 0 but
    /// still return 1.
    ///
    /// Always runs `malloc_consolidate` first, as glibc does.
    @discardableResult
    public mutating func mallopt(_ param: MalloptParam, _ value: Int32) -> Int32 {
        guard termination == nil else { return 0 }
        ptmallocInit()
        do {
            try mallocConsolidate()
        } catch {
            termination = error
            return 0
        }
        // glibc passes the int to size_t helpers: a negative value wraps.
        let size = UInt64(bitPattern: Int64(value))
        switch param {
        case .mxfast:
            guard value >= 0, size <= Self.maxFastSize else { return 0 }
            maxFast = size == 0 ? Self.minSize / 2 : (size + Self.sizeSz) & ~15
        case .trimThreshold: trimThreshold = size
        case .topPad: topPad = size
        case .mmapThreshold: mmapThreshold = size
        case .mmapMax: nMmapsMax = value
        case .checkAction: break
        case .perturb: perturbByte = value
        case .arenaTest: if value > 0 { arenaTest = size }
        case .arenaMax: if value > 0 { arenaMax = size }
        }
        if param.fixesThresholds { noDynThreshold = true }
        return 1
    }

    /// `mallopt` with a 64-bit value, truncated to C's `int` as the call does.
    @discardableResult
    public mutating func mallopt(_ param: MalloptParam, _ value: Int64) -> Int32 {
        mallopt(param, Int32(truncatingIfNeeded: value))
    }

    /// `malloc_usable_size(address)`; 0 for NULL.
    public func usableSize(_ address: UInt64) -> UInt64 {
        guard address != 0, let head = try? space.load(address &- 8) else { return 0 }
        let size = head & ~7
        if head & 2 != 0 { return size &- Self.hdr }
        guard let next = try? space.load(address &- 16 &+ size &+ 8), next & 1 != 0 else {
            return 0
        }
        return size &- Self.sizeSz
    }

    /// The program writes `length` bytes at `address` (memset): the pages become resident.
    ///
    /// Returns `segfault` (and kills the process) when the range is not mapped.
    @discardableResult
    public mutating func touch(_ address: UInt64, _ length: UInt64) -> MallocFatal? {
        if let termination { return termination }
        do {
            try space.touch(address, length)
            return nil
        } catch {
            termination = error
            return error
        }
    }

    /// The program stores the 8-byte `value` at the 8-aligned `address` (an overflow, for example).
    ///
    /// Returns `segfault` (and kills the process) when the address is not mapped.
    @discardableResult
    public mutating func write(_ address: UInt64, _ value: UInt64) -> MallocFatal? {
        if let termination { return termination }
        do throws(MallocFatal) {
            guard address & 7 == 0 else { throw MallocFatal.segfault }
            try space.store(address, value)
            return nil
        } catch {
            termination = error
            return error
        }
    }

    /// The program loads the 8-byte word at the 8-aligned `address` (a `read` trace step); its
    /// page counts as resident afterwards, as mincore() reports a page read through the zero
    /// page.
    ///
    /// Returns `segfault` (and kills the process) when the address is not mapped.
    public mutating func read(_ address: UInt64) -> (value: UInt64, fatal: MallocFatal?) {
        if let termination { return (0, termination) }
        do throws(MallocFatal) {
            guard address & 7 == 0 else { throw MallocFatal.segfault }
            let value = try space.load(address)
            // Reading a never-written page maps the shared zero page, which mincore() counts
            // as resident (checked on the real system).
            try space.touch(address, 8)
            return (value, nil)
        } catch {
            termination = error
            return (0, error)
        }
    }

    /// Runs a call, catching fatal errors and collecting events.
    mutating func perform(
        _ body: (inout GlibcMalloc) throws(MallocFatal) -> UInt64?
    ) -> MallocOutcome {
        if let termination { return MallocOutcome(fatal: termination) }
        events.removeAll(keepingCapacity: true)
        do {
            let pointer = try body(&self)
            loadArena(0)
            return MallocOutcome(pointer: pointer, events: recordsEvents ? events : [])
        } catch {
            termination = error
            loadArena(0)
            return MallocOutcome(events: recordsEvents ? events : [], fatal: error)
        }
    }

    @inline(__always)
    mutating func note(_ event: MallocEvent) {
        if recordsEvents { events.append(event) }
    }

    mutating func ptmallocInit() {
        initialized = true
    }
}
