/// The aligned allocators (malloc.c 3513–3617, 4936, 5672): `memalign`/`aligned_alloc`,
/// `valloc`, `pvalloc`, `posix_memalign`, through `_mid_memalign` and `_int_memalign`.
///
/// In glibc 2.36 `aligned_alloc` is an alias of `memalign` (no power-of-two check; that came in
/// 2.38), and `_mid_memalign` neither looks in nor sets up the tcache: an aligned request is
/// carved by `_int_malloc` with worst-case padding, the leading and trailing space freed.
extension GlibcMalloc {
    /// `memalign(alignment, size)` (and `aligned_alloc`, its alias in glibc 2.36).
    public mutating func memalign(_ alignment: UInt64, _ size: UInt64) -> MallocOutcome {
        perform { (m: inout GlibcMalloc) throws(MallocFatal) in
            m.ptmallocInit()
            return try m.midMemalign(alignment, size)
        }
    }

    /// `valloc(size)`: page-aligned.
    public mutating func valloc(_ size: UInt64) -> MallocOutcome {
        memalign(Self.page, size)
    }

    /// `pvalloc(size)`: page-aligned, the size rounded as glibc 2.36 rounds it, with
    /// `& -(pagesize - 1)`, which keeps bit 0 of the sum: `pvalloc(0)` asks for 1 byte and
    /// `pvalloc(4096)` for 4097 (the chunk size comes out the same).
    public mutating func pvalloc(_ size: UInt64) -> MallocOutcome {
        perform { (m: inout GlibcMalloc) throws(MallocFatal) in
            m.ptmallocInit()
            let (sum, overflow) = size.addingReportingOverflow(Self.page - 1)
            if overflow {
                m.note(.failed)
                return nil
            }
            return try m.midMemalign(Self.page, sum & (0 &- (Self.page - 1)))
        }
    }

    /// `posix_memalign(&p, alignment, size)`: returns 0 (and the pointer), `EINVAL` (22) for an
    /// alignment that is not a power-of-two multiple of 8, or `ENOMEM` (12).
    public mutating func posixMemalign(_ alignment: UInt64, _ size: UInt64)
        -> (result: Int32, outcome: MallocOutcome)
    {
        var result: Int32 = 0
        let outcome = perform { (m: inout GlibcMalloc) throws(MallocFatal) in
            m.ptmallocInit()
            let words = alignment / Self.sizeSz
            if alignment % Self.sizeSz != 0 || words & (words &- 1) != 0 || alignment == 0 {
                result = 22
                return nil
            }
            guard let mem = try m.midMemalign(alignment, size) else {
                result = 12
                return nil
            }
            return mem
        }
        return (outcome.fatal == nil ? result : 0, outcome)
    }

    /// `_mid_memalign` on the main arena.
    mutating func midMemalign(_ requested: UInt64, _ bytes: UInt64) throws(MallocFatal)
        -> UInt64?
    {
        if requested <= 16 { return try libcMalloc(bytes) }
        var alignment = max(requested, Self.minSize)
        if alignment > UInt64.max / 2 + 1 {
            note(.failed)
            return nil
        }
        if alignment & (alignment - 1) != 0 {
            var a: UInt64 = 32
            while a < alignment { a <<= 1 }
            alignment = a
        }
        try arenaGet(bytes &+ alignment &+ Self.minSize)
        let p = try intMemalign(alignment, bytes)
        if p == nil { note(.failed) }
        return p
    }

    /// `_int_memalign`: malloc `nb + alignment + MINSIZE`, then give back the leader before the
    /// aligned spot and the spare room after `nb` through `_int_free`.
    mutating func intMemalign(_ alignment: UInt64, _ bytes: UInt64) throws(MallocFatal)
        -> UInt64?
    {
        guard let nb = Self.checkedRequest2size(bytes), alignment <= Self.ptrdiffMax else {
            return nil
        }
        guard let m = try intMalloc(nb &+ alignment &+ Self.minSize) else { return nil }
        var p = m &- 16
        var leader: UInt64 = 0
        if m % alignment != 0 {
            var brk = ((m &+ alignment &- 1) & (0 &- alignment)) &- 16
            if brk &- p < Self.minSize { brk &+= alignment }
            let newp = brk
            let leadsize = brk &- p
            let newsize = try chunksize(p) &- leadsize
            if try nomask(p) & 2 != 0 {
                try st(newp, try prevSize(p) &+ leadsize)
                try setHead(newp, newsize | 2)
                offsetMmapChunks[newp &- (try prevSize(newp))] = newp
                note(.aligned(leader: leadsize, trailer: 0))
                return newp &+ 16
            }
            try setHead(newp, newsize | 1 | nonMainBit)
            try setInuseBit(at: newp, newsize)
            try setHeadSize(p, leadsize)
            try intFree(p)
            p = newp
            leader = leadsize
        }
        var trailer: UInt64 = 0
        if try nomask(p) & 2 == 0 {
            let size = try chunksize(p)
            if size > nb &+ Self.minSize {
                let remainder = p &+ nb
                try setHead(remainder, (size &- nb) | 1 | nonMainBit)
                try setHeadSize(p, nb)
                try intFree(remainder)
                trailer = size &- nb
            }
        }
        note(.aligned(leader: leader, trailer: trailer))
        return p &+ 16
    }
}
