/// Why the modelled process died.
///
/// After a fatal outcome every further operation is refused.
public enum MallocFatal: Error, Hashable, Sendable {
    /// glibc's `malloc_printerr`: the message it writes to standard error, then SIGABRT.
    case abort(String)
    /// A read or write of unmapped memory (for example a second free of an munmapped chunk).
    case segfault
}

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
}

/// The result of one malloc-family call.
public struct MallocOutcome: Hashable, Sendable {
    /// The pointer returned (malloc, calloc, realloc), `nil` for NULL or for free.
    public var pointer: UInt64?
    /// What happened, in order (empty when event recording is off).
    public var events: [MallocEvent]
    /// Set when the call killed the process (or the process was already dead).
    public var fatal: MallocFatal?

    /// Creates an outcome.
    public init(pointer: UInt64? = nil, events: [MallocEvent] = [], fatal: MallocFatal? = nil) {
        self.pointer = pointer
        self.events = events
        self.fatal = fatal
    }
}

/// The `mallopt` parameters the model supports.
public enum MalloptParam: String, Hashable, Sendable, CaseIterable {
    /// `M_MXFAST` (1): largest request served by fastbins, at most 160.
    case mxfast = "M_MXFAST"
    /// `M_TRIM_THRESHOLD` (-1).
    case trimThreshold = "M_TRIM_THRESHOLD"
    /// `M_TOP_PAD` (-2).
    case topPad = "M_TOP_PAD"
    /// `M_MMAP_THRESHOLD` (-3).
    case mmapThreshold = "M_MMAP_THRESHOLD"
    /// `M_MMAP_MAX` (-4).
    case mmapMax = "M_MMAP_MAX"

    /// The constant glibc's `<malloc.h>` gives it.
    public var number: Int32 {
        switch self {
        case .mxfast: 1
        case .trimThreshold: -1
        case .topPad: -2
        case .mmapThreshold: -3
        case .mmapMax: -4
        }
    }
}

/// `struct mallinfo2`, field for field.
public struct MallInfo2: Hashable, Sendable {
    /// Bytes obtained with brk (`system_mem`).
    public var arena: UInt64
    /// Free chunks in the regular bins, plus one for top.
    public var ordblks: UInt64
    /// Chunks in fastbins.
    public var smblks: UInt64
    /// Mmapped chunks.
    public var hblks: UInt64
    /// Bytes in mmapped chunks.
    public var hblkhd: UInt64
    /// Always 0.
    public var usmblks: UInt64
    /// Bytes in fastbin chunks.
    public var fsmblks: UInt64
    /// Bytes in use (`arena - fordblks`).
    public var uordblks: UInt64
    /// Free bytes (top, bins, fastbins).
    public var fordblks: UInt64
    /// Size of top.
    public var keepcost: UInt64

    /// Creates a value.
    public init(
        arena: UInt64 = 0, ordblks: UInt64 = 0, smblks: UInt64 = 0, hblks: UInt64 = 0,
        hblkhd: UInt64 = 0, usmblks: UInt64 = 0, fsmblks: UInt64 = 0, uordblks: UInt64 = 0,
        fordblks: UInt64 = 0, keepcost: UInt64 = 0
    ) {
        self.arena = arena
        self.ordblks = ordblks
        self.smblks = smblks
        self.hblks = hblks
        self.hblkhd = hblkhd
        self.usmblks = usmblks
        self.fsmblks = fsmblks
        self.uordblks = uordblks
        self.fordblks = fordblks
        self.keepcost = keepcost
    }
}

/// A broken model invariant, found by `GlibcMalloc.checkInvariants()`.
public struct MallocInvariantError: Error, Hashable, Sendable {
    /// What is wrong, with addresses.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }
}
