/// The address space of the modelled process (x86_64, ASLR off), with a word-addressed
/// shadow memory for everything malloc writes.
///
/// Address conventions (stable, as `setarch -R` shows them for a small PIE on Debian 12):
/// - the program `/home/student/demo`: text and data from `0x555555554000`, bss ending at
///   `0x555555559000`, which is the **initial program break** (first user pointer
///   `0x5555555592a0`, "heap+0x2a0");
/// - `[heap]` from the initial break to the current break (`brk`/`sbrk`), shown once it moved;
/// - the mmap area grows down from `mmapBase = 0x7ffff7dd1000` (just below libc, which is
///   mapped at `0x7ffff7dd4000`), reusing the highest hole that fits, like the kernel's
///   top-down allocator;
/// - `main_arena` in libc's data at `0x7ffff7fa7c60` (so the unsorted bin's header, which
///   free chunks link to, is `0x7ffff7fa7cc0`, as a real process shows with ASLR off);
/// - `[stack]` at `0x7ffffffde000-0x7ffffffff000`.
///
/// Memory obtained from brk or mmap reads as zero. A page becomes resident when first
/// written (`touch` or a header store); trimming or unmapping releases it.
public struct ProcessAddressSpace: Sendable {
    /// The initial program break.
    public static let initialBreak: UInt64 = 0x5555_5555_9000
    /// The top of the mmap area (mappings are placed below it).
    public static let mmapBase: UInt64 = 0x7fff_f7dd_1000
    /// The lowest address the mmap area may use.
    static let mmapFloor: UInt64 = 0x7000_0000_0000
    /// Address of `main_arena` in libc's data segment, in the course's layout.
    static let defaultMainArena: UInt64 = 0x7fff_f7fa_7c60
    /// Address of `main_arena`: it moves with libc, by as much as the layout's `mmapTop`.
    var mainArena: UInt64 = defaultMainArena
    /// Words of `main_arena` that are modelled as memory (the bins overlay).
    static let arenaWords = 280
    /// Page size.
    static let page: UInt64 = 4096
    /// The largest single brk growth or mapping the model grants, as the kernel's default
    /// overcommit heuristic refuses one request larger than RAM plus swap: the modelled
    /// machine has 16 GiB and no swap (so `malloc(64G)` returns NULL, `malloc(1G)` succeeds).
    public static let commitLimit: UInt64 = 16 << 30

    /// One anonymous mapping.
    struct Mapping: Sendable {
        var start: UInt64
        var length: UInt64
        /// Non-zero words, by address.
        var words: [UInt64: UInt64]
        /// Resident pages, by page index within the mapping.
        var resident: Set<UInt64>
        /// The readable and writable part, `[start + rwLow, start + rwHigh)`; the rest is
        /// PROT_NONE (a non-main heap beyond its mprotect size, a thread stack's guard page).
        var rwLow: UInt64 = 0
        var rwHigh: UInt64
        /// Whether it is a thread stack, or the reservation of a non-main arena's heap.
        var isStack = false
        var isHeap = false
        var end: UInt64 { start &+ length }

        init(start: UInt64, length: UInt64) {
            self.start = start
            self.length = length
            self.words = [:]
            self.resident = []
            self.rwHigh = length
        }

        func accessible(_ address: UInt64) -> Bool {
            address &- start >= rwLow && address &- start < rwHigh
        }
    }

    /// Where mmap puts mappings; the course's layout unless a differential test gives the real
    /// process's (which moves with the size of /etc/ld.so.cache).
    public var layout = MmapLayout()

    /// The current program break.
    public private(set) var programBreak: UInt64 = initialBreak
    /// Bytes of heap below the break.
    var heapBytes: UInt64 = 0
    /// Per heap page: its slot in `pageStore`, or -1 while the page was never written (not
    /// resident; reads as zero).
    ///
    /// Sparse, so a 1 GiB malloc costs only its touched pages.
    var pageSlot: [Int32] = []
    /// 512 words per resident heap page.
    var pageStore: [UInt64] = []
    /// Released slots (zeroed), reused first.
    var freeSlots: [Int32] = []
    /// Shadow words of `main_arena`.
    var arena: [UInt64] = Array(repeating: 0, count: arenaWords)
    /// Mappings sorted by start address.
    var mappings: [Mapping] = []

    /// Creates an address space with nothing allocated.
    public init() {}

    // MARK: - Memory

    /// Reads the 8-byte word at `address` (any alignment).
    @inline(__always)
    func load(_ address: UInt64) throws(MallocFatal) -> UInt64 {
        let offset = address &- Self.initialBreak
        if offset & 7 == 0, offset < heapBytes {
            let slot = pageSlot[Int(truncatingIfNeeded: offset >> 12)]
            if slot < 0 { return 0 }
            return pageStore[
                Int(truncatingIfNeeded: slot) << 9 | Int(truncatingIfNeeded: (offset >> 3) & 511)]
        }
        return try loadSlow(address)
    }

    func loadSlow(_ address: UInt64) throws(MallocFatal) -> UInt64 {
        if address & 7 != 0 {
            let low = try loadAligned(address & ~7)
            let high = try loadAligned((address & ~7) &+ 8)
            let shift = (address & 7) * 8
            return (low >> shift) | (high << (64 - shift))
        }
        return try loadAligned(address)
    }

    func loadAligned(_ address: UInt64) throws(MallocFatal) -> UInt64 {
        let offset = address &- Self.initialBreak
        if offset < heapBytes {
            let slot = pageSlot[Int(offset >> 12)]
            return slot < 0 ? 0 : pageStore[Int(slot) << 9 | Int((offset >> 3) & 511)]
        }
        let arenaOffset = address &- mainArena
        if arenaOffset < UInt64(Self.arenaWords * 8) { return arena[Int(arenaOffset >> 3)] }
        if let index = mappingIndex(containing: address), mappings[index].accessible(address) {
            return mappings[index].words[address] ?? 0
        }
        throw .segfault
    }

    /// Writes the 8-byte word at the 8-aligned `address`.
    @inline(__always)
    mutating func store(_ address: UInt64, _ value: UInt64) throws(MallocFatal) {
        let offset = address &- Self.initialBreak
        if offset < heapBytes {
            let page = Int(truncatingIfNeeded: offset >> 12)
            var slot = pageSlot[page]
            if slot < 0 { slot = residentSlot(page) }
            pageStore[
                Int(truncatingIfNeeded: slot) << 9 | Int(truncatingIfNeeded: (offset >> 3) & 511)] =
                value
            return
        }
        try storeSlow(address, value)
    }

    /// Gives heap page `page` a (zeroed) storage slot: the page becomes resident.
    mutating func residentSlot(_ page: Int) -> Int32 {
        let slot: Int32
        if let reused = freeSlots.popLast() {
            slot = reused
        } else {
            slot = Int32(pageStore.count >> 9)
            pageStore.append(contentsOf: [UInt64](repeating: 0, count: 512))
        }
        pageSlot[page] = slot
        return slot
    }

    mutating func storeSlow(_ address: UInt64, _ value: UInt64) throws(MallocFatal) {
        let arenaOffset = address &- mainArena
        if arenaOffset < UInt64(Self.arenaWords * 8) {
            arena[Int(arenaOffset >> 3)] = value
            return
        }
        if let index = mappingIndex(containing: address), mappings[index].accessible(address) {
            let start = mappings[index].start
            if value == 0 {
                mappings[index].words[address] = nil
            } else {
                mappings[index].words[address] = value
            }
            mappings[index].resident.insert((address - start) / Self.page)
            return
        }
        throw .segfault
    }

    /// Zeroes `[address, address + length)` (8-aligned bounds), as memset does.
    mutating func zero(_ address: UInt64, _ length: UInt64) throws(MallocFatal) {
        var a = address
        while a < address &+ length {
            try store(a, 0)
            a &+= 8
        }
    }

    /// Sets the bytes of `[address, address + length)` to `byte`, as memset does (any bounds).
    mutating func fill(_ address: UInt64, _ length: UInt64, _ byte: UInt8) throws(MallocFatal) {
        guard length > 0 else { return }
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        let end = address &+ length
        var word = address & ~7
        while word < end {
            let low = word < address ? (address - word) * 8 : 0
            let high = end - word < 8 ? (end - word) * 8 : 64
            let mask = (high == 64 ? UInt64.max : (1 << high) - 1) & ~((1 << low) - 1)
            if mask == UInt64.max {
                try store(word, pattern)
            } else {
                try store(word, (try loadAligned(word) & ~mask) | (pattern & mask))
            }
            word &+= 8
        }
    }

    /// Copies `length` bytes (multiple of 8) from `source` to `destination`.
    mutating func copy(from source: UInt64, to destination: UInt64, _ length: UInt64)
        throws(MallocFatal)
    {
        // memcpy reads every source page: a never-written one maps the zero page, which
        // mincore() counts as resident.
        try touch(source, length)
        var i: UInt64 = 0
        while i < length {
            try store(destination &+ i, try load(source &+ i))
            i &+= 8
        }
    }

    /// Marks the pages of `[address, address + length)` resident (a memset by the program).
    ///
    /// Throws `segfault` if any byte is unmapped.
    public mutating func touch(_ address: UInt64, _ length: UInt64) throws(MallocFatal) {
        guard length > 0 else { return }
        var page = address & ~(Self.page - 1)
        // Counted in pages (without overflow), so that a range that wraps past the top of the
        // address space faults at its first unmapped page, as memset does, instead of
        // touching nothing.
        let span = length - 1
        var remaining =
            span / Self.page + ((address & (Self.page - 1)) + span % Self.page) / Self.page + 1
        while remaining > 0 {
            remaining -= 1
            let offset = page &- Self.initialBreak
            if offset < heapBytes {
                if pageSlot[Int(offset / Self.page)] < 0 {
                    _ = residentSlot(Int(offset / Self.page))
                }
            } else if let index = mappingIndex(containing: page), mappings[index].accessible(page) {
                mappings[index].resident.insert((page - mappings[index].start) / Self.page)
            } else if page < Self.initialBreak, page >= 0x5555_5555_8000 {
                // The program's own data/bss: already resident.
            } else {
                throw .segfault
            }
            page &+= Self.page
        }
    }

    // MARK: - System calls

    /// `sbrk(increment)`: returns the old break, or `nil` when the kernel refuses.
    mutating func sbrk(_ increment: Int64) -> UInt64? {
        let old = programBreak
        if increment >= 0 {
            let grow = UInt64(increment)
            guard grow <= Self.commitLimit else { return nil }
            let newBreak = old + grow
            if let first = mappings.first, newBreak > first.start { return nil }
            programBreak = newBreak
            heapBytes += grow
            let pages = Int((heapBytes + Self.page - 1) / Self.page)
            if pages > pageSlot.count {
                pageSlot.append(contentsOf: repeatElement(-1, count: pages - pageSlot.count))
            }
        } else {
            let shrink = min(increment.magnitude, old - Self.initialBreak)
            programBreak = old - shrink
            heapBytes -= shrink
            let pages = Int((heapBytes + Self.page - 1) / Self.page)
            for page in pages..<pageSlot.count where pageSlot[page] >= 0 {
                let slot = Int(pageSlot[page])
                pageStore.withUnsafeMutableBufferPointer {
                    UnsafeMutableBufferPointer(rebasing: $0[slot << 9..<(slot + 1) << 9])
                        .update(repeating: 0)
                }
                freeSlots.append(Int32(slot))
            }
            pageSlot.removeLast(pageSlot.count - pages)
        }
        return old
    }

    /// `madvise(address, length, MADV_DONTNEED)` on page-aligned bounds: the pages stop being
    /// resident and read as zero afterwards.
    mutating func madviseDontNeed(_ address: UInt64, _ length: UInt64) {
        var page = address
        while page < address &+ length {
            let offset = page &- Self.initialBreak
            if offset < heapBytes {
                let index = Int(offset / Self.page)
                let slot = Int(pageSlot[index])
                if slot >= 0 {
                    pageStore.withUnsafeMutableBufferPointer {
                        UnsafeMutableBufferPointer(rebasing: $0[slot << 9..<(slot + 1) << 9])
                            .update(repeating: 0)
                    }
                    freeSlots.append(Int32(slot))
                    pageSlot[index] = -1
                }
            } else if let index = mappingIndex(containing: page) {
                // The rest of the range inside this mapping, at once.
                let m = mappings[index]
                let end = min(address &+ length, m.end)
                mappings[index].words = m.words.filter { $0.key < page || $0.key >= end }
                let first = (page - m.start) / Self.page
                let last = (end - m.start) / Self.page
                mappings[index].resident = m.resident.filter { $0 < first || $0 >= last }
                page = end
                continue
            }
            page &+= Self.page
        }
    }

    /// `mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS)`: the highest gap
    /// that fits, first in the layout's hole above libc (a small program has
    /// `7ffff7fb6000-7ffff7fc0000` free there, so a mapping of at most 40 KiB goes there), then
    /// below libc.
    mutating func mmap(_ length: UInt64) -> UInt64? {
        guard length > 0, length <= Self.commitLimit, length % Self.page == 0 else { return nil }
        if let start = highestGap(length, ceiling: layout.holeHigh, floor: layout.holeLow) {
            return insertMapping(start, length)
        }
        let floor = max(Self.mmapFloor, programBreak)
        guard let start = highestGap(length, ceiling: layout.mmapTop, floor: floor) else {
            return nil
        }
        return insertMapping(start, length)
    }

    /// The start of the highest free range of `length` bytes in `[floor, ceiling)`.
    func highestGap(_ length: UInt64, ceiling top: UInt64, floor: UInt64) -> UInt64? {
        var ceiling = top
        // Mappings are sorted by address; walk those below `top` from the highest down.
        var i = mappings.count - 1
        while i >= 0, mappings[i].start >= top { i -= 1 }
        while i >= 0, mappings[i].end > floor {
            if ceiling >= mappings[i].end, ceiling - mappings[i].end >= length { break }
            ceiling = mappings[i].start
            i -= 1
        }
        let low = i >= 0 ? max(mappings[i].end, floor) : floor
        guard ceiling >= length, ceiling - length >= low else { return nil }
        return ceiling - length
    }

    mutating func insertMapping(_ start: UInt64, _ length: UInt64) -> UInt64 {
        let index = mappings.firstIndex { $0.start > start } ?? mappings.count
        mappings.insert(Mapping(start: start, length: length), at: index)
        return start
    }

    /// `mmap(hint, length, …)` without MAP_FIXED: the kernel takes the hint when the range is
    /// free, else searches as for `mmap(NULL, …)`.
    mutating func mmap(_ length: UInt64, hint: UInt64) -> UInt64? {
        let free =
            hint & (Self.page - 1) == 0 && hint >= max(Self.mmapFloor, programBreak)
            && hint &+ length <= layout.mmapTop
            && !mappings.contains { $0.start < hint &+ length && hint < $0.end }
        return free ? insertMapping(hint, length) : mmap(length)
    }

    /// Unmaps all of the mapping at `start` (`length` bytes) except `[keep, keep + keepLength)`.
    mutating func unmapRange(
        _ start: UInt64, _ length: UInt64, keeping keep: UInt64, _ keepLength: UInt64
    ) {
        munmap(start, length)
        _ = insertMapping(keep, keepLength)
    }

    /// `mprotect` of a mapping: `[start, start + length)` becomes readable and writable, the
    /// rest of it PROT_NONE.
    mutating func setAccessible(_ start: UInt64, _ length: UInt64) {
        guard let index = mappingIndex(containing: start) else { return }
        mappings[index].rwLow = start - mappings[index].start
        mappings[index].rwHigh = start - mappings[index].start + length
    }

    /// Marks the mapping at `start` as a non-main heap.
    mutating func markHeap(_ start: UInt64) {
        guard let index = mappingIndex(containing: start) else { return }
        mappings[index].isHeap = true
    }

    /// Marks the mapping at `start` as a thread stack with its guard page at the bottom.
    mutating func markStack(_ start: UInt64, _ length: UInt64) {
        guard let index = mappingIndex(containing: start) else { return }
        mappings[index].isStack = true
        mappings[index].rwLow = Self.page
        mappings[index].rwHigh = length
    }

    /// `munmap(address, length)` of a whole mapping.
    ///
    /// Unknown ranges are ignored (the kernel returns 0 for a range with nothing mapped).
    mutating func munmap(_ address: UInt64, _ length: UInt64) {
        if let index = mappings.firstIndex(where: { $0.start == address && $0.length == length }) {
            mappings.remove(at: index)
        }
    }

    /// `mremap(address, old, new, MREMAP_MAYMOVE)`: grows in place when the space below the
    /// next mapping is free, otherwise moves; shrinks in place.
    mutating func mremap(_ address: UInt64, _ oldLength: UInt64, _ newLength: UInt64) -> UInt64? {
        guard let index = mappings.firstIndex(where: { $0.start == address }),
            newLength <= Self.commitLimit
        else { return nil }
        var mapping = mappings[index]
        if newLength <= oldLength {
            mapping.length = newLength
            mapping.words = mapping.words.filter { $0.key < address + newLength }
            mapping.resident = mapping.resident.filter { $0 < newLength / Self.page }
            mappings[index] = mapping
            return address
        }
        let top = address >= layout.holeLow ? layout.holeHigh : layout.mmapTop
        let limit = index + 1 < mappings.count ? min(mappings[index + 1].start, top) : top
        if address + newLength <= limit {
            mappings[index].length = newLength
            return address
        }
        // Like the kernel: the new area is found while the old mapping still exists.
        guard let start = mmap(newLength),
            let oldIndex = mappings.firstIndex(where: { $0.start == address })
        else { return nil }
        mappings.remove(at: oldIndex)
        guard let moved = mappingIndex(containing: start) else { return nil }
        var words: [UInt64: UInt64] = [:]
        for (key, value) in mapping.words { words[key - address + start] = value }
        mappings[moved].words = words
        mappings[moved].resident = mapping.resident
        return start
    }

    /// The index of the mapping holding `address`.
    func mappingIndex(containing address: UInt64) -> Int? {
        var low = 0
        var high = mappings.count
        while low < high {
            let mid = (low + high) / 2
            if mappings[mid].end <= address {
                low = mid + 1
            } else {
                high = mid
            }
        }
        if low < mappings.count, mappings[low].start <= address { return low }
        return nil
    }

    /// How many heap pages are resident.
    public var residentHeapPageCount: Int {
        var count = 0
        for slot in pageSlot where slot >= 0 { count += 1 }
        return count
    }

    /// Heap pages (offsets from the initial break) that are resident.
    public var residentHeapPages: [UInt64] {
        pageSlot.indices.filter { pageSlot[$0] >= 0 }.map { UInt64($0) * Self.page }
    }
}
