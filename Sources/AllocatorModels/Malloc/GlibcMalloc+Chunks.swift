/// Chunk and bin accessors on the shadow memory: glibc's macros, one for one.
extension GlibcMalloc {
    /// `bin_at(av, i)`: the fake chunk whose fd/bk overlay `av->bins[2(i-1)]` of the loaded
    /// arena.
    @inline(__always)
    func binAt(_ i: Int) -> UInt64 {
        arenaBase &+ 80 &+ 16 &* UInt64(i)
    }

    /// `set_non_main_arena(p)` when the loaded arena is not the main one.
    @inline(__always) mutating func setNonMainArena(_ p: UInt64) throws(MallocFatal) {
        if currentArena != 0 { try st(p &+ 8, try ld(p &+ 8) | 4) }
    }

    /// NON_MAIN_ARENA (0x4) when the loaded arena is not the main one.
    @inline(__always) var nonMainBit: UInt64 { currentArena == 0 ? 0 : 4 }

    @inline(__always) func ld(_ a: UInt64) throws(MallocFatal) -> UInt64 { try space.load(a) }
    @inline(__always) mutating func st(_ a: UInt64, _ v: UInt64) throws(MallocFatal) {
        try space.store(a, v)
    }

    @inline(__always) func chunksize(_ p: UInt64) throws(MallocFatal) -> UInt64 {
        try ld(p &+ 8) & ~7
    }
    @inline(__always) func nomask(_ p: UInt64) throws(MallocFatal) -> UInt64 { try ld(p &+ 8) }
    @inline(__always) func prevSize(_ p: UInt64) throws(MallocFatal) -> UInt64 { try ld(p) }
    @inline(__always) func fd(_ p: UInt64) throws(MallocFatal) -> UInt64 { try ld(p &+ 16) }
    @inline(__always) func bk(_ p: UInt64) throws(MallocFatal) -> UInt64 { try ld(p &+ 24) }
    @inline(__always) func fdNext(_ p: UInt64) throws(MallocFatal) -> UInt64 { try ld(p &+ 32) }
    @inline(__always) func bkNext(_ p: UInt64) throws(MallocFatal) -> UInt64 { try ld(p &+ 40) }
    @inline(__always) mutating func setFd(_ p: UInt64, _ v: UInt64) throws(MallocFatal) {
        try st(p &+ 16, v)
    }
    @inline(__always) mutating func setBk(_ p: UInt64, _ v: UInt64) throws(MallocFatal) {
        try st(p &+ 24, v)
    }
    @inline(__always) mutating func setFdNext(_ p: UInt64, _ v: UInt64) throws(MallocFatal) {
        try st(p &+ 32, v)
    }
    @inline(__always) mutating func setBkNext(_ p: UInt64, _ v: UInt64) throws(MallocFatal) {
        try st(p &+ 40, v)
    }
    @inline(__always) mutating func setHead(_ p: UInt64, _ v: UInt64) throws(MallocFatal) {
        try st(p &+ 8, v)
    }
    @inline(__always) mutating func setHeadSize(_ p: UInt64, _ s: UInt64) throws(MallocFatal) {
        try st(p &+ 8, (try ld(p &+ 8) & 7) | s)
    }
    @inline(__always) mutating func setFoot(_ p: UInt64, _ s: UInt64) throws(MallocFatal) {
        try st(p &+ s, s)
    }
    @inline(__always) func inuseBit(at p: UInt64, _ s: UInt64) throws(MallocFatal) -> Bool {
        try ld(p &+ s &+ 8) & 1 != 0
    }
    @inline(__always) mutating func setInuseBit(at p: UInt64, _ s: UInt64) throws(MallocFatal) {
        try st(p &+ s &+ 8, try ld(p &+ s &+ 8) | 1)
    }
    @inline(__always) mutating func clearInuseBit(at p: UInt64, _ s: UInt64) throws(MallocFatal) {
        try st(p &+ s &+ 8, try ld(p &+ s &+ 8) & ~1)
    }

    /// `request2size`; `nil` when the request exceeds PTRDIFF_MAX (`checked_request2size`).
    @inline(__always)
    static func checkedRequest2size(_ req: UInt64) -> UInt64? {
        if req > ptrdiffMax { return nil }
        return req + 8 + 15 < 32 ? 32 : (req + 8 + 15) & ~15
    }

    @inline(__always) static func inSmallbinRange(_ s: UInt64) -> Bool { s < minLargeSize }
    @inline(__always) static func smallbinIndex(_ s: UInt64) -> Int { Int(s >> 4) }
    @inline(__always) static func fastbinIndex(_ s: UInt64) -> Int {
        Int(UInt32(truncatingIfNeeded: s) >> 4) - 2
    }
    @inline(__always) static func csize2tidx(_ s: UInt64) -> UInt64 { (s &- 32 &+ 15) / 16 }

    /// `largebin_index_64`.
    static func largebinIndex(_ s: UInt64) -> Int {
        if s >> 6 <= 48 { return 48 + Int(s >> 6) }
        if s >> 9 <= 20 { return 91 + Int(s >> 9) }
        if s >> 12 <= 10 { return 110 + Int(s >> 12) }
        if s >> 15 <= 4 { return 119 + Int(s >> 15) }
        if s >> 18 <= 2 { return 124 + Int(s >> 18) }
        return 126
    }

    @inline(__always) static func binIndex(_ s: UInt64) -> Int {
        inSmallbinRange(s) ? smallbinIndex(s) : largebinIndex(s)
    }

    /// `PROTECT_PTR(pos, ptr)`.
    @inline(__always) static func protect(_ pos: UInt64, _ ptr: UInt64) -> UInt64 {
        (pos >> 12) ^ ptr
    }

    mutating func markBin(_ i: Int) { binmap[i >> 5] |= 1 << UInt32(i & 31) }

    func abort(_ message: String) -> MallocFatal { .abort(message) }

    /// A failed `assert` of malloc.c, which glibc 2.36 keeps in release builds: it aborts
    /// with `Fatal glibc error: malloc assertion failure in FUNCTION: ASSERTION`.
    func assertion(_ function: String, _ text: String) -> MallocFatal {
        .abort("Fatal glibc error: malloc assertion failure in \(function): \(text)")
    }

    // MARK: tcache

    mutating func tcachePut(_ chunk: UInt64, _ idx: Int) throws(MallocFatal) {
        let e = chunk &+ 16
        try st(e &+ 8, Self.tcacheKey)
        try st(e, Self.protect(e, tcacheEntries[idx]))
        tcacheEntries[idx] = e
        tcacheCounts[idx] += 1
        try mirrorTcache(idx)
    }

    mutating func tcacheGet(_ idx: Int) throws(MallocFatal) -> UInt64 {
        let e = tcacheEntries[idx]
        if e & 15 != 0 { throw abort("malloc(): unaligned tcache chunk detected") }
        tcacheEntries[idx] = Self.protect(e, try ld(e))
        tcacheCounts[idx] -= 1
        try st(e &+ 8, 0)
        try mirrorTcache(idx)
        return e
    }

    /// Writes counts[idx] and entries[idx] into the tcache_perthread_struct in the heap.
    mutating func mirrorTcache(_ idx: Int) throws(MallocFatal) {
        let base = tcache
        let word = base &+ UInt64(idx / 4) * 8
        let shift = UInt64(idx % 4) * 16
        let old = try ld(word)
        let count = UInt64(UInt16(truncatingIfNeeded: tcacheCounts[idx]))
        try st(word, (old & ~(0xffff << shift)) | (count << shift))
        try st(base &+ 128 &+ UInt64(idx) * 8, tcacheEntries[idx])
    }

    mutating func maybeInitTcache() throws(MallocFatal) {
        guard tcache == 0, !tcacheShuttingDown else { return }
        try arenaGet(Self.tcacheStructSize)
        guard let victim = try intMalloc(Self.tcacheStructSize) else { return }
        tcache = victim
        try space.zero(victim, Self.tcacheStructSize)
        note(.tcacheCreated(chunk: victim - 16))
    }

    // MARK: unlink

    /// `unlink_chunk`.
    mutating func unlinkChunk(_ p: UInt64) throws(MallocFatal) {
        let size = try chunksize(p)
        if size != (try prevSize(p &+ size)) { throw abort("corrupted size vs. prev_size") }
        let f = try fd(p)
        let b = try bk(p)
        if try bk(f) != p { throw abort("corrupted double-linked list") }
        if try fd(b) != p { throw abort("corrupted double-linked list") }
        try setBk(f, b)
        try setFd(b, f)
        if !Self.inSmallbinRange(try nomask(p)), try fdNext(p) != 0 {
            let pfn = try fdNext(p)
            let pbn = try bkNext(p)
            if try bkNext(pfn) != p { throw abort("corrupted double-linked list (not small)") }
            if try fdNext(pbn) != p { throw abort("corrupted double-linked list (not small)") }
            if try fdNext(f) == 0 {
                if pfn == p {
                    try setFdNext(f, f)
                    try setBkNext(f, f)
                } else {
                    try setFdNext(f, pfn)
                    try setBkNext(f, pbn)
                    try setBkNext(pfn, f)
                    try setFdNext(pbn, f)
                }
            } else {
                try setBkNext(pfn, pbn)
                try setFdNext(pbn, pfn)
            }
        }
    }
}
