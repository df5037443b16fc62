/// glibc 2.36's malloc (ptmalloc2, x86_64, main arena, one thread) on a modelled process.
///
/// Every header, footer and list link is written into the word-addressed shadow memory of
/// `space` exactly as glibc writes it, so the integrity checks of `free` (and the aborts they
/// raise) come out as on the real allocator, including for pointers into the middle of
/// chunks. Addresses follow `ProcessAddressSpace`'s conventions: the first user pointer is
/// `0x5555555592a0` (initial break + 0x2a0). See `../shared/specs/glibc-malloc-2.36.md`.
///
/// After a fatal outcome (`abort` or `segfault`) the process is dead and every further
/// call returns that same fatal outcome without doing anything.
public struct GlibcMalloc: Sendable {
    static let sizeSz: UInt64 = 8
    static let minSize: UInt64 = 32
    static let hdr: UInt64 = 16
    static let page: UInt64 = 4096
    static let tcacheStructSize: UInt64 = 640
    static let tcacheMaxSize: UInt64 = 0x410
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
    var maxMmappedMem: UInt64 = 0
    var sbrkBase: UInt64 = 0

    // main_arena
    var top: UInt64 = GlibcMalloc.binAt(1)
    var lastRemainder: UInt64 = 0
    var systemMem: UInt64 = 0
    var maxSystemMem: UInt64 = 0
    var haveFastchunks = false
    var contiguous = true
    var binmap: [UInt32] = [0, 0, 0, 0]
    var fastbins: [UInt64] = Array(repeating: 0, count: 10)
    var maxFast: UInt64 = 128
    var initialized = false

    // tcache
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
        // Each bin header links to itself.
        for i in 1..<128 {
            let b = Self.binAt(i)
            try? space.store(b + 16, b)
            try? space.store(b + 24, b)
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

    /// `mallopt(param, value)`: returns 1 on success, 0 when glibc rejects the value (M_MXFAST
    /// above 160).
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
        let size = UInt64(bitPattern: Int64(value))
        switch param {
        case .mxfast:
            guard size <= Self.maxFastSize else { return 0 }
            maxFast = size == 0 ? Self.minSize / 2 : (size + Self.sizeSz) & ~15
        case .trimThreshold:
            trimThreshold = size
            noDynThreshold = true
        case .topPad:
            topPad = size
            noDynThreshold = true
        case .mmapThreshold:
            mmapThreshold = size
            noDynThreshold = true
        case .mmapMax:
            nMmapsMax = value
            noDynThreshold = true
        }
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

    /// Runs a call, catching fatal errors and collecting events.
    mutating func perform(
        _ body: (inout GlibcMalloc) throws(MallocFatal) -> UInt64?
    ) -> MallocOutcome {
        if let termination { return MallocOutcome(fatal: termination) }
        events.removeAll(keepingCapacity: true)
        do {
            let pointer = try body(&self)
            return MallocOutcome(pointer: pointer, events: recordsEvents ? events : [])
        } catch {
            termination = error
            return MallocOutcome(events: recordsEvents ? events : [], fatal: error)
        }
    }

    @inline(__always)
    mutating func note(_ event: MallocEvent) {
        if recordsEvents { events.append(event) }
    }

    func ptmallocInitialized() -> Bool { initialized }

    mutating func ptmallocInit() {
        initialized = true
    }
}
