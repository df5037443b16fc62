/// `__libc_free`, `_int_free` (malloc.c 4416), `malloc_consolidate`, `munmap_chunk`, `systrim`.
extension GlibcMalloc {
    mutating func libcFree(_ mem: UInt64) throws(MallocFatal) {
        if mem == 0 { return }
        let p = mem &- 16
        let head = try space.load(p &+ 8)
        if head & 2 != 0 {
            var raisedMmap: UInt64?
            var raisedTrim: UInt64?
            if !noDynThreshold, head > mmapThreshold, head <= Self.mmapThresholdMax {
                mmapThreshold = head & ~7
                trimThreshold = 2 * mmapThreshold
                raisedMmap = mmapThreshold
                raisedTrim = trimThreshold
            }
            try munmapChunk(p, raisedMmap: raisedMmap, raisedTrim: raisedTrim)
        } else {
            try maybeInitTcache()
            loadArena(try arenaForChunk(head, p))
            try intFree(p)
        }
    }

    /// `arena_for_chunk`: the index of the chunk's arena.
    ///
    /// A header with NON_MAIN_ARENA (0x4) makes glibc read the `heap_info` at the chunk address
    /// rounded down to HEAP_MAX_SIZE (64 MiB): its `ar_ptr` names the arena. For a chunk of the main heap that memory is unmapped: SIGSEGV. (If it held
    /// something else glibc would use the garbage arena it names; the model then carries on with
    /// the main arena.)
    func arenaForChunk(_ head: UInt64, _ p: UInt64) throws(MallocFatal) -> Int {
        guard head & 4 != 0 else { return 0 }
        let arPtr = try ld(p & ~(Self.heapMaxSize - 1))
        return arenas.firstIndex { $0.base == arPtr } ?? 0
    }

    /// `_int_free(av, p, have_lock)`.
    mutating func intFree(_ chunk: UInt64) throws(MallocFatal) {
        let p = chunk
        var size = try chunksize(p)
        if p > 0 &- size || p & 15 != 0 { throw abort("free(): invalid pointer") }
        if size < Self.minSize || size & 15 != 0 { throw abort("free(): invalid size") }

        let tcIdx = Self.csize2tidx(size)
        if tcache != 0, tcIdx < 64 {
            let t = Int(tcIdx)
            let e = p &+ 16
            if try ld(e &+ 8) == Self.tcacheKey {
                var tmp = tcacheEntries[t]
                var count = 0
                while tmp != 0 {
                    if count >= Self.tcacheFill {
                        throw abort("free(): too many chunks detected in tcache")
                    }
                    if tmp & 15 != 0 { throw abort("free(): unaligned chunk detected in tcache 2") }
                    if tmp == e { throw abort("free(): double free detected in tcache 2") }
                    tmp = Self.protect(tmp, try ld(tmp))
                    count += 1
                }
            }
            if tcacheCounts[t] < Self.tcacheFill {
                try tcachePut(p, t)
                note(.freedToTcache(bin: t, count: tcacheCounts[t]))
                return
            }
        }

        if size <= maxFast {
            let next = p &+ size
            if try nomask(next) <= Self.hdr { throw abort("free(): invalid next size (fast)") }
            if try chunksize(next) >= systemMem { throw abort("free(): invalid next size (fast)") }
            try freePerturb(p, size)
            haveFastchunks = true
            let idx = Self.fastbinIndex(size)
            let old = fastbins[idx]
            if old == p { throw abort("double free or corruption (fasttop)") }
            try setFd(p, Self.protect(p &+ 16, old))
            fastbins[idx] = p
            note(.freedToFastbin(bin: idx))
            return
        }

        if try nomask(p) & 2 != 0 {
            try munmapChunk(p, raisedMmap: nil, raisedTrim: nil)
            return
        }

        let next = p &+ size
        if p == top { throw abort("double free or corruption (top)") }
        if contiguous, next >= top &+ (try chunksize(top)) {
            throw abort("double free or corruption (out)")
        }
        if try nomask(next) & 1 == 0 { throw abort("double free or corruption (!prev)") }
        let nextSize = try chunksize(next)
        if try nomask(next) <= Self.hdr || nextSize >= systemMem {
            throw abort("free(): invalid next size (normal)")
        }
        try freePerturb(p, size)

        let (merged, intoTop) = try coalesce(
            p, size, next: next, nextSize: nextSize,
            prevMessage: "corrupted size vs. prev_size while consolidating",
            unsortedCheck: "free(): corrupted unsorted chunks")
        size = merged.size
        note(
            intoTop
                ? .mergedIntoTop(topSize: size) : .freedToUnsorted(chunk: merged.chunk, size: size))

        if size >= Self.fastbinConsolidationThreshold {
            if haveFastchunks { try mallocConsolidate() }
            if currentArena == 0 {
                if try chunksize(top) >= trimThreshold { try systrim(topPad) }
            } else {
                try heapTrim(top & ~(Self.heapMaxSize - 1), topPad)
            }
        }
    }

    /// `free_perturb(chunk2mem(p), size - CHUNK_HDR_SZ)`.
    mutating func freePerturb(_ p: UInt64, _ size: UInt64) throws(MallocFatal) {
        if perturbByte != 0 {
            try space.fill(p &+ 16, size &- Self.hdr, UInt8(truncatingIfNeeded: perturbByte))
        }
    }

    /// The merge shared by `_int_free` and `malloc_consolidate`: coalesces chunk `p` with a free
    /// previous chunk and a free next chunk (or top), then puts it at the head of the unsorted bin
    /// or makes it the new top.
    ///
    /// `unsortedCheck` is `_int_free`'s message for a corrupted unsorted head (malloc_consolidate
    /// does not check). Returns the merged chunk and whether it became top.
    mutating func coalesce(
        _ chunk: UInt64, _ chunkSize: UInt64, next: UInt64, nextSize: UInt64,
        prevMessage: String, unsortedCheck: String?
    ) throws(MallocFatal) -> ((chunk: UInt64, size: UInt64), Bool) {
        var p = chunk
        var size = chunkSize
        if try nomask(p) & 1 == 0 {
            let prev = try prevSize(p)
            size &+= prev
            p = p &- prev
            if try chunksize(p) != prev { throw abort(prevMessage) }
            try unlinkChunk(p)
        }
        if next == top {
            size &+= nextSize
            try setHead(p, size | 1)
            top = p
            return ((p, size), true)
        }
        if try !inuseBit(at: next, nextSize) {
            try unlinkChunk(next)
            size &+= nextSize
        } else {
            try clearInuseBit(at: next, 0)
        }
        let bck = binAt(1)
        let fwd = try fd(bck)
        if let unsortedCheck, try bk(fwd) != bck { throw abort(unsortedCheck) }
        try setFd(p, fwd)
        try setBk(p, bck)
        if !Self.inSmallbinRange(size) {
            try setFdNext(p, 0)
            try setBkNext(p, 0)
        }
        try setFd(bck, p)
        try setBk(fwd, p)
        try setHead(p, size | 1)
        try setFoot(p, size)
        return ((p, size), false)
    }

    /// `malloc_consolidate`.
    mutating func mallocConsolidate() throws(MallocFatal) {
        haveFastchunks = false
        var any = false
        for fb in 0..<10 {
            var p = fastbins[fb]
            fastbins[fb] = 0
            while p != 0 {
                any = true
                if p & 15 != 0 {
                    throw abort("malloc_consolidate(): unaligned fastbin chunk detected")
                }
                if Self.fastbinIndex(try chunksize(p)) != fb {
                    throw abort("malloc_consolidate(): invalid chunk size")
                }
                let nextp = Self.protect(p &+ 16, try fd(p))
                let size = try chunksize(p)
                let next = p &+ size
                let nextSize = try chunksize(next)
                _ = try coalesce(
                    p, size, next: next, nextSize: nextSize,
                    prevMessage: "corrupted size vs. prev_size in fastbins", unsortedCheck: nil)
                p = nextp
            }
        }
        if any { note(.consolidated) }
    }

    /// `munmap_chunk`.
    mutating func munmapChunk(_ p: UInt64, raisedMmap: UInt64?, raisedTrim: UInt64?)
        throws(MallocFatal)
    {
        let size = try chunksize(p)
        let mem = p &+ 16
        let prev = try prevSize(p)
        let block = p &- prev
        let total = prev &+ size
        let low = mem & (Self.page - 1)
        if (block | total) & (Self.page - 1) != 0 || low & (low &- 1) != 0 {
            throw abort("munmap_chunk(): invalid pointer")
        }
        nMmaps &-= 1
        mmappedMem &-= total
        space.munmap(block, total)
        offsetMmapChunks[block] = nil
        note(
            .munmapped(
                size: total, raisedMmapThreshold: raisedMmap, raisedTrimThreshold: raisedTrim))
    }

    /// `systrim(pad)`: gives whole pages at the end of top back with a negative sbrk; true when
    /// it released any.
    @discardableResult
    mutating func systrim(_ pad: UInt64) throws(MallocFatal) -> Bool {
        let topSize = try chunksize(top)
        // C compares the signed top_area with the unsigned pad as unsigned.
        let topArea = topSize &- Self.minSize &- 1
        if topArea <= pad { return false }
        let extra = (topArea &- pad) & ~(Self.page - 1)
        if extra == 0 { return false }
        let current = space.programBreak
        guard current == top &+ topSize else { return false }
        _ = space.sbrk(Int64(bitPattern: 0 &- extra))
        let released = current &- space.programBreak
        if released != 0 {
            systemMem &-= released
            try setHead(top, (topSize &- released) | 1)
            note(.trimmed(bytes: released, newBreak: space.programBreak))
            return true
        }
        return false
    }
}
