import AllocatorModels

/// A parsed glibc trace: one operation per non-empty line, pointers named by IDs.
///
/// Grammar (`#` starts a comment; fields separated by spaces or tabs):
/// `malloc ID SIZE`, `calloc ID NMEMB SIZE`, `realloc ID SIZE`, `free ID`, `free ID+OFFSET`,
/// `mallopt NAME VALUE`, `memalign ID ALIGN SIZE`, `aligned_alloc ID ALIGN SIZE`,
/// `posix_memalign ID ALIGN SIZE`, `valloc ID SIZE`, `pvalloc ID SIZE`,
/// `malloc_usable_size ID[+OFFSET]`, `malloc_trim PAD`, and the extensions
/// `write ID+OFFSET VALUE` (the program stores the 8-byte VALUE at pointer + OFFSET, a multiple
/// of 8: how lessons show an overflow) and `read ID+OFFSET` (the program loads that word).
/// Any operation may be prefixed with `thread NAME:` to run it on thread NAME (created by the
/// main thread just before its first operation); `thread main:` or no prefix is the main thread.
/// `thread NAME: exit` ends thread NAME (the main thread joins it at once); a later operation
/// on NAME starts a new thread of that name. IDs are letters, digits and `_`. Sizes and offsets are decimal or
/// `0x` hexadecimal, optionally followed by `K`, `M` or `G` (powers of 1024). `free` and
/// `realloc` need an ID assigned by an earlier line. A mallopt VALUE is a C `int`.
public struct GlibcTrace: Hashable, Sendable {
    /// One operation.
    ///
    /// `slot` indexes `slotNames`.
    public enum Operation: Hashable, Sendable {
        /// `malloc ID SIZE`.
        case malloc(slot: Int, size: UInt64)
        /// `calloc ID NMEMB SIZE`.
        case calloc(slot: Int, count: UInt64, size: UInt64)
        /// `realloc ID SIZE`.
        case realloc(slot: Int, size: UInt64)
        /// `free ID` or `free ID+OFFSET`.
        case free(slot: Int, offset: UInt64)
        /// `mallopt NAME VALUE`.
        case mallopt(MalloptParam, Int32)
        /// `write ID+OFFSET VALUE`.
        case write(slot: Int, offset: UInt64, value: UInt64)
        /// `memalign`, `aligned_alloc`, `posix_memalign ID ALIGN SIZE`; `valloc`, `pvalloc ID SIZE`
        /// (alignment 4096).
        case aligned(slot: Int, AlignedAllocator, alignment: UInt64, size: UInt64)
        /// `malloc_usable_size ID` or `malloc_usable_size ID+OFFSET`.
        case usableSize(slot: Int, offset: UInt64)
        /// `malloc_trim PAD`.
        case trim(pad: UInt64)
        /// `read ID+OFFSET` (OFFSET a multiple of 8).
        case read(slot: Int, offset: UInt64)
        /// `thread NAME: exit`: the thread returns (glibc frees its tcache and may put its
        /// arena on the free list) and the main thread joins it.
        case exitThread
    }

    /// The operations in order.
    public var operations: [Operation]
    /// The 1-based source line of each operation.
    public var lines: [Int]
    /// The ID names, by slot.
    public var slotNames: [String]
    /// The thread of each operation (an index into `threadNames`), or empty when every
    /// operation runs on the main thread.
    public var threads: [Int] = []
    /// The thread names in order of first use; index 0 is `main`.
    public var threadNames: [String] = ["main"]

    /// Creates a trace.
    public init(
        operations: [Operation], lines: [Int], slotNames: [String], threads: [Int] = [],
        threadNames: [String] = ["main"]
    ) {
        self.operations = operations
        self.lines = lines
        self.slotNames = slotNames
        self.threads = threads
        self.threadNames = threadNames
    }

    /// Parses a whole trace; returns every error found when any line is malformed.
    public static func parse(_ text: String) -> Result<GlibcTrace, TraceErrorList> {
        var text = text
        return text.withUTF8 { GlibcTraceParser(bytes: $0).parse() }
    }
}

/// Every malformed line of a trace.
public struct TraceErrorList: Error, Hashable, Sendable {
    /// The errors, in line order.
    public var errors: [TraceError]

    /// Creates a list.
    public init(errors: [TraceError]) {
        self.errors = errors
    }
}
