/// What the malloc model looks like at one moment, for diagrams and inspection.
///
/// Filled by the malloc model (`GlibcMalloc.snapshot()`), drawn by `Figures`.
/// Offsets are relative to the initial program break; addresses are absolute.
public struct MallocSnapshot: Hashable, Sendable {
    /// The state a heap chunk is in, as glibc's bins see it.
    public enum ChunkState: String, Hashable, Sendable, CaseIterable {
        /// The 0x290-byte `tcache_perthread_struct` made by the first call.
        case tcacheStruct
        /// Handed out to the program.
        case inUse
        /// Freed into a tcache bin (counts as in use for mallinfo2).
        case tcache
        /// Freed into a fastbin (counts as in use for its neighbours).
        case fastbin
        /// In the unsorted bin.
        case unsorted
        /// In a small bin.
        case smallbin
        /// In a large bin.
        case largebin
        /// The top chunk.
        case top
        /// A 16-byte fencepost left by a non-contiguous heap extension.
        case fencepost
    }

    /// One chunk of the brk heap.
    public struct Chunk: Hashable, Sendable {
        /// Offset of the chunk header from the initial break.
        public var offset: UInt64
        /// Chunk size without flag bits.
        public var size: UInt64
        /// Its state.
        public var state: ChunkState
        /// The bin index for binned chunks (tcache index for tcache), else `nil`.
        public var bin: Int?

        /// Creates a chunk.
        public init(offset: UInt64, size: UInt64, state: ChunkState, bin: Int? = nil) {
            self.offset = offset
            self.size = size
            self.state = state
            self.bin = bin
        }

        /// Offset of the pointer the program holds (header + 16).
        public var userOffset: UInt64 { offset + 16 }
    }

    /// One mmapped chunk.
    public struct MappedChunk: Hashable, Sendable {
        /// Absolute address of the mapping (the chunk header); the pointer is this + 16.
        public var address: UInt64
        /// Size of the mapping (page multiple).
        public var size: UInt64
        /// Pages of the mapping (offsets from `address`, page-aligned) that are resident.
        public var residentPages: [UInt64]

        /// Creates a mapped chunk.
        public init(address: UInt64, size: UInt64, residentPages: [UInt64] = []) {
            self.address = address
            self.size = size
            self.residentPages = residentPages
        }
    }

    /// A region of the process address space, for the address-space figure and `/proc/self/maps`.
    public struct Region: Hashable, Sendable {
        /// What a region is.
        public enum Kind: String, Hashable, Sendable {
            case text, data, bss, heap, mmapChunk, library, stack
        }
        /// Start address (absolute).
        public var start: UInt64
        /// End address (exclusive).
        public var end: UInt64
        /// Its kind.
        public var kind: Kind
        /// The name `/proc/self/maps` shows (`[heap]`, `[stack]`, a path, or empty).
        public var name: String

        /// Creates a region.
        public init(start: UInt64, end: UInt64, kind: Kind, name: String) {
            self.start = start
            self.end = end
            self.kind = kind
            self.name = name
        }
    }

    /// The initial program break (absolute).
    public var initialBreak: UInt64
    /// The program break minus the initial break.
    public var brk: UInt64
    /// Heap chunks in address order, covering `[0, brk)` exactly.
    public var heapChunks: [Chunk]
    /// Mmapped chunks in address order.
    public var mappedChunks: [MappedChunk]
    /// Address-space regions in address order.
    public var regions: [Region]
    /// Heap pages (as offsets from the initial break, page-aligned) that are resident.
    public var residentHeapPages: [UInt64]

    /// Creates a snapshot.
    public init(
        initialBreak: UInt64, brk: UInt64, heapChunks: [Chunk], mappedChunks: [MappedChunk],
        regions: [Region], residentHeapPages: [UInt64]
    ) {
        self.initialBreak = initialBreak
        self.brk = brk
        self.heapChunks = heapChunks
        self.mappedChunks = mappedChunks
        self.regions = regions
        self.residentHeapPages = residentHeapPages
    }
}
