/// `__libc_malloc`, `__libc_calloc`, `__libc_realloc`, `_int_realloc`, `mremap_chunk`.
extension GlibcMalloc {
    mutating func libcMalloc(_ bytes: UInt64) throws(MallocFatal) -> UInt64? {
        ptmallocInit()
        guard let tbytes = Self.checkedRequest2size(bytes) else {
            note(.failed)
            return nil
        }
        let tcIdx = Self.csize2tidx(tbytes)
        try maybeInitTcache()
        if tcIdx < 64, tcache != 0, tcacheCounts[Int(tcIdx)] > 0 {
            let p = try tcacheGet(Int(tcIdx))
            note(.fromTcache(bin: Int(tcIdx), left: tcacheCounts[Int(tcIdx)]))
            return p
        }
        try arenaGet(bytes)
        let p = try intMalloc(bytes)
        if p == nil { note(.failed) }
        return p
    }

    mutating func libcCalloc(_ n: UInt64, _ elemSize: UInt64) throws(MallocFatal) -> UInt64? {
        let (product, overflow) = n.multipliedReportingOverflow(by: elemSize)
        if overflow || product > Self.ptrdiffMax {
            note(.failed)
            return nil
        }
        ptmallocInit()
        try maybeInitTcache()
        try arenaGet(product)
        let oldTop = top
        // malloc.c 3654 raises oldtopsize to `sbrk_base + max_system_mem - oldtop` (memory given
        // back by a trim and grown again would be cleared), but Debian's libc.so.6 2.36 has no
        // such code for the main arena (objdump of __libc_calloc: it compares only with the
        // heap_info of a non-main arena), and mincore() on the real process agrees: after a trim,
        // calloc clears only the old top (and 8 bytes past it), not the regrown pages.
        var oldTopSize = try chunksize(top)
        if currentArena != 0 {
            let heap = oldTop & ~(Self.heapMaxSize - 1)
            let mprotectEnd = heap &+ (try ld(heap &+ 24))
            if oldTopSize < mprotectEnd &- oldTop { oldTopSize = mprotectEnd &- oldTop }
        }
        guard let mem = try intMalloc(product) else {
            note(.failed)
            return nil
        }
        let p = mem &- 16
        if try nomask(p) & 2 != 0 {
            if perturbByte != 0 { try space.fill(mem, product, 0) }
            return mem
        }
        var csz = try chunksize(p)
        if perturbByte == 0, p == oldTop, csz > oldTopSize { csz = oldTopSize }
        try space.zero(mem, csz &- Self.sizeSz)
        return mem
    }

    mutating func libcRealloc(_ oldmem: UInt64, _ bytes: UInt64) throws(MallocFatal) -> UInt64? {
        ptmallocInit()
        if bytes == 0, oldmem != 0 {
            try libcFree(oldmem)
            return nil
        }
        if oldmem == 0 { return try libcMalloc(bytes) }
        let oldp = oldmem &- 16
        let oldHead = try nomask(oldp)
        let oldsize = oldHead & ~7
        let mmapped = oldHead & 2 != 0
        if !mmapped {
            try maybeInitTcache()
            loadArena(try arenaForChunk(oldHead, oldp))
        }
        if oldp > 0 &- oldsize || oldp & 15 != 0 { throw abort("realloc(): invalid pointer") }
        guard let nb = Self.checkedRequest2size(bytes) else {
            note(.failed)
            return nil
        }
        if mmapped {
            if let newp = try mremapChunk(oldp, nb) { return newp &+ 16 }
            if oldsize &- Self.sizeSz >= nb { return oldmem }
            guard let newmem = try libcMalloc(bytes) else { return nil }
            try space.copy(from: oldmem, to: newmem, oldsize &- Self.hdr)
            try munmapChunk(oldp, raisedMmap: nil, raisedTrim: nil)
            return newmem
        }
        return try intRealloc(oldp, oldsize, nb)
    }

    /// `_int_realloc`.
    mutating func intRealloc(_ oldp: UInt64, _ oldsize: UInt64, _ nb: UInt64)
        throws(MallocFatal) -> UInt64?
    {
        if try nomask(oldp) <= Self.hdr || oldsize >= systemMem {
            throw abort("realloc(): invalid old size")
        }
        let next = oldp &+ oldsize
        let nextSize = try chunksize(next)
        if try nomask(next) <= Self.hdr || nextSize >= systemMem {
            throw abort("realloc(): invalid next size")
        }
        var newp = oldp
        var newsize = oldsize
        if oldsize < nb {
            if next == top, oldsize &+ nextSize >= nb &+ Self.minSize {
                newsize = oldsize &+ nextSize
                try setHeadSize(oldp, nb)
                top = oldp &+ nb
                try setHead(top, (newsize &- nb) | 1)
                note(.reallocInPlace(size: nb))
                note(.fromTop(chunk: oldp, topSize: newsize &- nb))
                return oldp &+ 16
            } else if next != top, try !inuseBit(at: next, nextSize),
                oldsize &+ nextSize >= nb
            {
                newsize = oldsize &+ nextSize
                try unlinkChunk(next)
            } else {
                guard let newmem = try intMalloc(nb &- 15) else { return nil }
                newp = newmem &- 16
                newsize = try chunksize(newp)
                if newp == next {
                    newsize &+= oldsize
                    newp = oldp
                } else {
                    try space.copy(from: oldp &+ 16, to: newmem, oldsize &- Self.sizeSz)
                    try intFree(oldp)
                    note(.reallocMoved)
                    return newmem
                }
            }
        }
        let remainderSize = newsize &- nb
        if remainderSize < Self.minSize {
            try setHeadSize(newp, newsize)
            try setInuseBit(at: newp, newsize)
            note(.reallocInPlace(size: newsize))
        } else {
            let remainder = newp &+ nb
            try setHeadSize(newp, nb)
            try setHead(remainder, remainderSize | 1 | nonMainBit)
            try setInuseBit(at: remainder, remainderSize)
            note(.reallocInPlace(size: nb))
            try intFree(remainder)
        }
        return newp &+ 16
    }

    /// `mremap_chunk`: `nil` when mremap fails.
    mutating func mremapChunk(_ p: UInt64, _ nb: UInt64) throws(MallocFatal) -> UInt64? {
        let offset = try prevSize(p)
        let size = try chunksize(p)
        let block = p &- offset
        let mem = p &+ 16
        let total = offset &+ size
        let low = mem & (Self.page - 1)
        if (block | total) & (Self.page - 1) != 0 || low & (low &- 1) != 0 {
            throw abort("mremap_chunk(): invalid pointer")
        }
        let newSize = (nb &+ offset &+ Self.sizeSz &+ Self.page &- 1) & ~(Self.page - 1)
        if total == newSize {
            note(.mremapped(oldSize: total, newSize: newSize, address: block))
            return p
        }
        guard let cp = space.mremap(block, total, newSize) else { return nil }
        let np = cp &+ offset
        try setHead(np, (newSize &- offset) | 2)
        offsetMmapChunks[block] = nil
        if offset != 0 { offsetMmapChunks[cp] = np }
        mmappedMem = mmappedMem &+ newSize &- size &- offset
        maxMmappedMem = max(maxMmappedMem, mmappedMem)
        note(.mremapped(oldSize: total, newSize: newSize, address: cp))
        return np
    }
}
