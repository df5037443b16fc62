/// Something the allocator did while serving one call, in the order it happened.
public enum MallocEvent: Hashable, Sendable {
    /// The first call allocated the 0x290-byte tcache structure at this chunk address.
    case tcacheCreated(chunk: UInt64)
    /// Served from tcache bin `bin` (chunk size `16 * bin + 32`); `left` entries remain.
    case fromTcache(bin: Int, left: Int)
    /// Served from fastbin `bin`; `movedToTcache` further chunks of the bin went to tcache.
    case fromFastbin(bin: Int, movedToTcache: Int)
    /// Served from small bin `bin` (its oldest chunk); `movedToTcache` others went to tcache.
    case fromSmallbin(bin: Int, movedToTcache: Int)
    /// An unsorted chunk of exactly the right size was found (`viaTcache`: parked in tcache
    /// first, then handed out from there).
    case unsortedExactFit(chunk: UInt64, viaTcache: Bool)
    /// The unsorted scan sorted a chunk into small or large bin `bin`.
    case binned(chunk: UInt64, size: UInt64, bin: Int)
    /// The last remainder was split; the rest (`remainder` bytes) stays in the unsorted bin.
    case lastRemainderSplit(chunk: UInt64, remainder: UInt64)
    /// Served by a chunk of `size` bytes taken from bin `bin`, the remainder (0 if none)
    /// going to the unsorted bin. `ownBin` is true for the best fit in the request's own large bin.
    case splitFromBin(bin: Int, size: UInt64, remainder: UInt64, ownBin: Bool)
    /// Carved from the low end of top; `topSize` bytes of top remain.
    case fromTop(chunk: UInt64, topSize: UInt64)
    /// `sbrk` grew the heap by `bytes`; the break is now `newBreak`.
    case brkGrown(bytes: UInt64, newBreak: UInt64)
    /// Served by its own mapping of `size` bytes at `address` (pointer = address + 16).
    case mmapped(address: UInt64, size: UInt64)
    /// `malloc_consolidate` emptied the fastbins.
    case consolidated
    /// The call returned NULL (ENOMEM).
    case failed
    /// The chunk went into tcache bin `bin`, which now holds `count` chunks.
    case freedToTcache(bin: Int, count: Int)
    /// The chunk went into fastbin `bin`.
    case freedToFastbin(bin: Int)
    /// After merging with free neighbours the chunk (`size` bytes at `chunk`) went to the
    /// head of the unsorted bin.
    case freedToUnsorted(chunk: UInt64, size: UInt64)
    /// The chunk merged into top, which is now `topSize` bytes.
    case mergedIntoTop(topSize: UInt64)
    /// `systrim` gave `bytes` back with `sbrk`; the break is now `newBreak`.
    case trimmed(bytes: UInt64, newBreak: UInt64)
    /// An mmapped chunk of `size` bytes was unmapped. When the dynamic threshold moved,
    /// `raisedMmapThreshold` / `raisedTrimThreshold` give the new values.
    case munmapped(size: UInt64, raisedMmapThreshold: UInt64?, raisedTrimThreshold: UInt64?)
    /// realloc kept the chunk in place with a new chunk size.
    case reallocInPlace(size: UInt64)
    /// realloc moved the data to a new chunk and freed the old one.
    case reallocMoved
    /// realloc of an mmapped chunk: `mremap` from `oldSize` to `newSize` bytes (or the same
    /// mapping when the page count did not change).
    case mremapped(oldSize: UInt64, newSize: UInt64, address: UInt64)
    /// `_int_memalign` gave back `leader` bytes before the aligned chunk and `trailer` bytes
    /// after it (0 when none) through `_int_free`, whose events come first.
    case aligned(leader: UInt64, trailer: UInt64)
    /// `malloc_trim`: `MADV_DONTNEED` on `pages` whole free pages inside free chunks
    /// (`mtrim`), before the top trim.
    case madvised(pages: UInt64)
    /// `pthread_create` took the stack at `stack` (and its DTV) from nptl's stack cache.
    case stackReused(stack: UInt64)
    /// `pthread_create` made thread `name` (its DTV calloc'ed first) with its stack at `stack`.
    case threadCreated(name: String, stack: UInt64)
    /// `_int_new_arena`: arena `arena` on a new heap at `heap`, `size` bytes accessible.
    case arenaCreated(arena: Int, heap: UInt64, size: UInt64)
    /// `reused_arena`: the thread shares arena `arena` (the arena limit is reached).
    case arenaReused(arena: Int)
    /// `get_free_list`: the thread takes arena `arena`, which a thread that exited left free.
    case arenaFromFreeList(arena: Int)
    /// A thread exited: `tcache_thread_shutdown` freed `chunks` tcache chunks and the tcache
    /// itself into their arenas; `freedArena` is the arena put on the free list (its last
    /// thread left), if any; `stack` went to nptl's stack cache when the main thread joined.
    case threadExited(name: String, chunks: Int, freedArena: Int?, stack: UInt64)
    /// nptl's stack cache grew above 40 MiB: the oldest cached stack at `stack` was unmapped
    /// and its DTV freed by the joining thread (`__nptl_free_stacks`).
    case stackUnmapped(stack: UInt64)
    /// A non-main heap grew (`grow_heap`, mprotect) or shrank (`shrink_heap`, MADV_DONTNEED) to
    /// `size` bytes, or a new heap at `heap` was added to the arena.
    case heapResized(heap: UInt64, size: UInt64)
    /// `heap_trim` unmapped the heap at `heap`.
    case heapUnmapped(heap: UInt64)
}
