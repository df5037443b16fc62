/// Threads and arenas (arena.c of glibc 2.36): a thread's first call sets up its tcache from an
/// arena `arena_get2` gives it, a new one (`_int_new_arena`, on a 64 MiB-aligned heap reserved
/// with mmap and made accessible with mprotect) while under the arena limit, else the next one
/// in the list (`reused_arena`). A thread that exits (`exitThread`) gives its tcache back and
/// puts its arena on the free list when it was the last one attached (GlibcMalloc+ThreadExit).
///
/// The model keeps one arena's `malloc_state` registers and one thread's tcache in its working
/// fields; `loadArena` and `loadThread` swap them with the saved copies, as a context switch.
extension GlibcMalloc {
    /// A saved `malloc_state` (the fields the model keeps outside the shadow memory).
    struct ArenaState: Sendable {
        var base: UInt64
        var top: UInt64
        var lastRemainder: UInt64 = 0
        var systemMem: UInt64 = 0
        var maxSystemMem: UInt64 = 0
        var haveFastchunks = false
        var contiguous: Bool
        var binmap: [UInt32] = [0, 0, 0, 0]
        var fastbins: [UInt64] = Array(repeating: 0, count: 10)
        var attachedThreads = 1

        init(base: UInt64, contiguous: Bool) {
            self.base = base
            self.top = base + 80 + 16
            self.contiguous = contiguous
        }
    }

    /// A saved thread: its name, tcache and `thread_arena` (nil until its first call), its
    /// stack and DTV (0 for the main thread), and whether it has exited.
    struct ThreadState: Sendable {
        var name: String
        var tcache: UInt64 = 0
        var tcacheCounts: [Int] = Array(repeating: 0, count: 64)
        var tcacheEntries: [UInt64] = Array(repeating: 0, count: 64)
        var arena: Int?
        var stack: UInt64 = 0
        var dtv: UInt64 = 0
        var exited = false
    }

    static let heapInfoSize: UInt64 = 48
    static let arenaStructSize: UInt64 = 2200
    static let heapMinSize: UInt64 = 32 * 1024
    /// The main thread's stack mapping is the kernel's; a new thread's is mmapped: the default
    /// 8 MiB (RLIMIT_STACK, which glibc-replay sets explicitly) plus a 4 KiB guard page.
    static let threadStackSize: UInt64 = (8 << 20) + 4096

    /// The number of arenas, the main one included.
    public var arenaCount: Int { arenas.count }

    // MARK: context switches

    mutating func saveArena() {
        arenas[currentArena] = ArenaState(
            saving: self)
    }

    mutating func loadArena(_ index: Int) {
        guard index != currentArena else { return }
        saveArena()
        let a = arenas[index]
        currentArena = index
        arenaBase = a.base
        top = a.top
        lastRemainder = a.lastRemainder
        systemMem = a.systemMem
        maxSystemMem = a.maxSystemMem
        haveFastchunks = a.haveFastchunks
        contiguous = a.contiguous
        binmap = a.binmap
        fastbins = a.fastbins
    }

    mutating func loadThread(_ index: Int) {
        guard index != currentThread else { return }
        threads[currentThread].tcache = tcache
        threads[currentThread].tcacheCounts = tcacheCounts
        threads[currentThread].tcacheEntries = tcacheEntries
        currentThread = index
        tcache = threads[index].tcache
        tcacheCounts = threads[index].tcacheCounts
        tcacheEntries = threads[index].tcacheEntries
    }

    /// `arena_get(ar_ptr, size)`: the current thread's arena, a new or reused one on its first
    /// call; loads it.
    mutating func arenaGet(_ size: UInt64) throws(MallocFatal) {
        if let a = threads[currentThread].arena {
            loadArena(a)
            return
        }
        let a = try arenaGet2(size)
        threads[currentThread].arena = a
        loadArena(a)
    }

    /// `arena_get2(size, NULL)`: an arena from the free list (`get_free_list`), else a new
    /// one under the limit, else `reused_arena`.
    mutating func arenaGet2(_ size: UInt64) throws(MallocFatal) -> Int {
        if let a = freeArenas.popLast() {
            arenas[a].attachedThreads = 1
            note(.arenaFromFreeList(arena: a))
            return a
        }
        if narenasLimit == 0 {
            if arenaMax != 0 {
                narenasLimit = arenaMax
            } else if UInt64(arenas.count) > arenaTest {
                narenasLimit = 8 * UInt64(max(cpus, 1))
            }
        }
        if UInt64(arenas.count) <= narenasLimit &- 1, let a = try newArena(size) {
            return a
        }
        return reusedArena()
    }

    /// `reused_arena(NULL)`: one thread runs at a time, so every trylock succeeds and the next
    /// arena in the list (main, then the newest first) is taken.
    mutating func reusedArena() -> Int {
        let result = nextToUse ?? 0
        // remove_from_free_list: an arena picked up from the free list leaves it.
        freeArenas.removeAll { $0 == result }
        arenas[result].attachedThreads += 1
        nextToUse = arenaNext(result)
        note(.arenaReused(arena: result))
        return result
    }

    /// `ar_ptr->next`: main_arena.next is the newest arena, each arena's next the one created
    /// before it, the first one's next main_arena.
    func arenaNext(_ index: Int) -> Int {
        index == 0 ? arenas.count - 1 : index - 1
    }

    /// `_int_new_arena(size)`; `nil` when no heap can be mapped.
    mutating func newArena(_ size: UInt64) throws(MallocFatal) -> Int? {
        let overhead = Self.heapInfoSize + Self.arenaStructSize + 16
        var heap = try newHeap(size &+ overhead, topPad)
        if heap == nil { heap = try newHeap(overhead, topPad) }
        guard let h = heap else { return nil }
        let base = h + Self.heapInfoSize
        var state = ArenaState(base: base, contiguous: false)
        let heapSize = try ld(h + 16)
        state.systemMem = heapSize
        state.maxSystemMem = heapSize
        var ptr = base + Self.arenaStructSize
        let misalign = (ptr + 16) & 15
        if misalign > 0 { ptr += 16 - misalign }
        state.top = ptr
        try st(h, base)  // heap->ar_ptr
        try setHead(ptr, (h + heapSize - ptr) | 1)
        // Each bin header links to itself (malloc_init_state).
        for i in 1..<128 {
            let b = base + 80 + 16 * UInt64(i)
            try st(b + 16, b)
            try st(b + 24, b)
        }
        arenas.append(state)
        let index = arenas.count - 1
        note(.arenaCreated(arena: index, heap: h, size: heapSize))
        return index
    }

    /// `new_heap(size, top_pad)` (alloc_new_heap): reserves HEAP_MAX_SIZE bytes aligned to
    /// HEAP_MAX_SIZE (an mmap of twice that, trimmed) and makes the first `size + top_pad`
    /// bytes (at least 32 KiB, page-rounded) accessible; returns the heap_info address.
    mutating func newHeap(_ requested: UInt64, _ pad: UInt64) throws(MallocFatal) -> UInt64? {
        let maxSize = Self.heapMaxSize
        var size = requested
        if size &+ pad < Self.heapMinSize {
            size = Self.heapMinSize
        } else if size &+ pad <= maxSize {
            size &+= pad
        } else if size > maxSize {
            return nil
        } else {
            size = maxSize
        }
        size = (size + Self.page - 1) & ~(Self.page - 1)
        var p2: UInt64?
        if let hint = alignedHeapArea {
            alignedHeapArea = nil
            if let p = space.mmap(maxSize, hint: hint) {
                if p & (maxSize - 1) == 0 {
                    p2 = p
                } else {
                    space.munmap(p, maxSize)
                }
            }
        }
        if p2 == nil {
            if let p1 = space.mmap(maxSize << 1) {
                let aligned = (p1 + maxSize - 1) & ~(maxSize - 1)
                let ul = aligned - p1
                space.unmapRange(p1, maxSize << 1, keeping: aligned, maxSize)
                if ul == 0 { alignedHeapArea = aligned + maxSize }
                p2 = aligned
            } else if let p = space.mmap(maxSize) {
                guard p & (maxSize - 1) == 0 else {
                    space.munmap(p, maxSize)
                    return nil
                }
                p2 = p
            }
        }
        guard let h = p2 else { return nil }
        space.setAccessible(h, size)
        space.markHeap(h)
        try st(h + 8, 0)  // prev
        try st(h + 16, size)  // size
        try st(h + 24, size)  // mprotect_size
        try st(h + 32, Self.page)  // pagesize
        return h
    }

    /// `pthread_create` in the main thread: `allocate_dtv` callocs the new thread's DTV (17
    /// entries of 16 bytes) from the main thread's arena, and `allocate_stack` mmaps its stack.
    ///
    /// A stack left in nptl's cache by a thread that exited is reused instead
    /// (`get_cached_stack`, the newest of the same size): no mmap and no calloc, its DTV is
    /// cleared in place.
    mutating func createThread(_ name: String) throws(MallocFatal) -> Int {
        let caller = currentThread
        loadThread(0)
        var state = ThreadState(name: name)
        if let cached = stackCache.first {
            stackCache.removeFirst()
            state.stack = cached.stack
            state.dtv = cached.dtv
            note(.stackReused(stack: cached.stack))
        } else {
            state.dtv = try libcCalloc(17, 16) ?? 0
            guard let stack = space.mmap(Self.threadStackSize) else {
                throw MallocFatal.abort("pthread_create: cannot map the thread's stack")
            }
            space.markStack(stack, Self.threadStackSize)
            state.stack = stack
        }
        let stack = state.stack
        threads.append(state)
        loadThread(caller)
        note(.threadCreated(name: name, stack: stack))
        return threads.count - 1
    }

    /// Runs the next calls on thread `name` (`main` is the main thread).
    ///
    /// The main thread creates the thread on first use.
    public mutating func switchThread(to name: String) -> MallocOutcome {
        if let index = threads.firstIndex(where: { $0.name == name && !$0.exited }) {
            loadThread(index)
            return MallocOutcome()
        }
        return perform { (m: inout GlibcMalloc) throws(MallocFatal) in
            m.ptmallocInit()
            let index = try m.createThread(name)
            m.loadArena(0)
            m.loadThread(index)
            return nil
        }
    }

    /// The arena of the chunk at user pointer `pointer` (0 for main), `nil` when it is mmapped
    /// or unreadable.
    public func arenaIndex(of pointer: UInt64) -> Int? {
        guard let head = try? ld(pointer &- 8), head & 2 == 0 else { return nil }
        return try? arenaForChunk(head, pointer &- 16)
    }

    /// The name of the thread that runs the next calls.
    public var currentThreadName: String { threads[currentThread].name }
}

extension GlibcMalloc.ArenaState {
    init(saving m: GlibcMalloc) {
        self = m.arenas[m.currentArena]
        top = m.top
        lastRemainder = m.lastRemainder
        systemMem = m.systemMem
        maxSystemMem = m.maxSystemMem
        haveFastchunks = m.haveFastchunks
        contiguous = m.contiguous
        binmap = m.binmap
        fastbins = m.fastbins
    }
}
