/// `_int_malloc` (malloc.c 3765): fastbin, smallbin, unsorted scan, large bins, binmap, top.
extension GlibcMalloc {
    /// Returns the user pointer, or `nil` for NULL.
    mutating func intMalloc(_ bytes: UInt64) throws(MallocFatal) -> UInt64? {
        guard let nb = Self.checkedRequest2size(bytes) else { return nil }
        var idx: Int

        // Fastbins.
        if nb <= maxFast {
            idx = Self.fastbinIndex(nb)
            let victim = fastbins[idx]
            if victim != 0 {
                if victim & 15 != 0 { throw abort("malloc(): unaligned fastbin chunk detected 2") }
                fastbins[idx] = Self.protect(victim &+ 16, try fd(victim))
                if Self.fastbinIndex(try chunksize(victim)) != idx {
                    throw abort("malloc(): memory corruption (fast)")
                }
                var moved = 0
                let tcIdx = Self.csize2tidx(nb)
                if tcache != 0, tcIdx < 64 {
                    let t = Int(tcIdx)
                    while tcacheCounts[t] < Self.tcacheFill, fastbins[idx] != 0 {
                        let tcVictim = fastbins[idx]
                        if tcVictim & 15 != 0 {
                            throw abort("malloc(): unaligned fastbin chunk detected 3")
                        }
                        fastbins[idx] = Self.protect(tcVictim &+ 16, try fd(tcVictim))
                        try tcachePut(tcVictim, t)
                        moved += 1
                    }
                }
                note(.fromFastbin(bin: idx, movedToTcache: moved))
                return victim &+ 16
            }
        }

        if Self.inSmallbinRange(nb) {
            idx = Self.smallbinIndex(nb)
            let bin = Self.binAt(idx)
            let victim = try bk(bin)
            if victim != bin {
                let bck = try bk(victim)
                if try fd(bck) != victim {
                    throw abort("malloc(): smallbin double linked list corrupted")
                }
                try setInuseBit(at: victim, nb)
                try setBk(bin, bck)
                try setFd(bck, bin)
                var moved = 0
                let tcIdx = Self.csize2tidx(nb)
                if tcache != 0, tcIdx < 64 {
                    let t = Int(tcIdx)
                    while tcacheCounts[t] < Self.tcacheFill {
                        let tcVictim = try bk(bin)
                        if tcVictim == bin { break }
                        if tcVictim != 0 {
                            let b2 = try bk(tcVictim)
                            try setInuseBit(at: tcVictim, nb)
                            try setBk(bin, b2)
                            try setFd(b2, bin)
                            try tcachePut(tcVictim, t)
                            moved += 1
                        }
                    }
                }
                note(.fromSmallbin(bin: idx, movedToTcache: moved))
                return victim &+ 16
            }
        } else {
            idx = Self.largebinIndex(nb)
            if haveFastchunks { try mallocConsolidate() }
        }

        var tcacheNb: UInt64 = 0
        let tcIdx = Int(truncatingIfNeeded: Self.csize2tidx(nb))
        if tcache != 0, Self.csize2tidx(nb) < 64 { tcacheNb = nb }
        var returnCached = false
        let unsorted = Self.binAt(1)

        while true {
            var iters = 0
            while true {
                let victim = try bk(unsorted)
                if victim == unsorted { break }
                var bck = try bk(victim)
                var size = try chunksize(victim)
                let next = victim &+ size
                if size <= Self.hdr || size > systemMem {
                    throw abort("malloc(): invalid size (unsorted)")
                }
                let nextHead = try nomask(next)
                if nextHead < Self.hdr || nextHead > systemMem {
                    throw abort("malloc(): invalid next size (unsorted)")
                }
                if try prevSize(next) & ~7 != size {
                    throw abort("malloc(): mismatching next->prev_size (unsorted)")
                }
                if try fd(bck) != victim {
                    throw abort("malloc(): unsorted double linked list corrupted")
                }
                if try fd(victim) != unsorted {
                    throw abort("malloc(): unsorted double linked list corrupted")
                }
                if nextHead & 1 != 0 {
                    throw abort("malloc(): invalid next->prev_inuse (unsorted)")
                }

                if Self.inSmallbinRange(nb), bck == unsorted, victim == lastRemainder,
                    size > nb &+ Self.minSize
                {
                    let remainderSize = size &- nb
                    let remainder = victim &+ nb
                    try setBk(unsorted, remainder)
                    try setFd(unsorted, remainder)
                    lastRemainder = remainder
                    try setBk(remainder, unsorted)
                    try setFd(remainder, unsorted)
                    try finishSplit(victim, nb, remainderSize)
                    note(.lastRemainderSplit(chunk: victim, remainder: remainderSize))
                    return victim &+ 16
                }

                if try fd(bck) != victim { throw abort("malloc(): corrupted unsorted chunks 3") }
                try setBk(unsorted, bck)
                try setFd(bck, unsorted)

                if size == nb {
                    try setInuseBit(at: victim, size)
                    if tcacheNb != 0, tcacheCounts[tcIdx] < Self.tcacheFill {
                        try tcachePut(victim, tcIdx)
                        returnCached = true
                        continue
                    }
                    note(.unsortedExactFit(chunk: victim, viaTcache: false))
                    return victim &+ 16
                }

                let victimIndex: Int
                var fwd: UInt64
                if Self.inSmallbinRange(size) {
                    victimIndex = Self.smallbinIndex(size)
                    bck = Self.binAt(victimIndex)
                    fwd = try fd(bck)
                } else {
                    victimIndex = Self.largebinIndex(size)
                    bck = Self.binAt(victimIndex)
                    fwd = try fd(bck)
                    if fwd != bck {
                        size |= 1
                        if try nomask(try bk(bck)) & 4 != 0 {
                            throw assertion("_int_malloc", "chunk_main_arena (bck->bk)")
                        }
                        if size < (try nomask(try bk(bck))) {
                            fwd = bck
                            bck = try bk(bck)
                            let ffd = try fd(fwd)
                            try setFdNext(victim, ffd)
                            try setBkNext(victim, try bkNext(ffd))
                            let vbn = try bkNext(victim)
                            try setBkNext(ffd, victim)
                            try setFdNext(vbn, victim)
                        } else {
                            if try nomask(fwd) & 4 != 0 {
                                throw assertion("_int_malloc", "chunk_main_arena (fwd)")
                            }
                            while size < (try nomask(fwd)) {
                                fwd = try fdNext(fwd)
                                if try nomask(fwd) & 4 != 0 {
                                    throw assertion("_int_malloc", "chunk_main_arena (fwd)")
                                }
                            }
                            if size == (try nomask(fwd)) {
                                fwd = try fd(fwd)
                            } else {
                                try setFdNext(victim, fwd)
                                try setBkNext(victim, try bkNext(fwd))
                                if try fdNext(try bkNext(fwd)) != fwd {
                                    throw abort(
                                        "malloc(): largebin double linked list corrupted (nextsize)"
                                    )
                                }
                                try setBkNext(fwd, victim)
                                try setFdNext(try bkNext(victim), victim)
                            }
                            bck = try bk(fwd)
                            if try fd(bck) != fwd {
                                throw abort("malloc(): largebin double linked list corrupted (bk)")
                            }
                        }
                    } else {
                        try setFdNext(victim, victim)
                        try setBkNext(victim, victim)
                    }
                }
                markBin(victimIndex)
                try setBk(victim, bck)
                try setFd(victim, fwd)
                try setBk(fwd, victim)
                try setFd(bck, victim)
                note(.binned(chunk: victim, size: size & ~7, bin: victimIndex))
                iters += 1
                if iters >= Self.maxIters { break }
            }

            if returnCached {
                let p = try tcacheGet(tcIdx)
                note(.unsortedExactFit(chunk: p &- 16, viaTcache: true))
                return p
            }

            if !Self.inSmallbinRange(nb) {
                let bin = Self.binAt(idx)
                var victim = try fd(bin)
                if victim != bin, try nomask(victim) >= nb {
                    victim = try bkNext(victim)
                    var size = try chunksize(victim)
                    while size < nb {
                        victim = try bkNext(victim)
                        size = try chunksize(victim)
                    }
                    if victim != (try bk(bin)) {
                        let following = try fd(victim)
                        if try nomask(victim) == (try nomask(following)) { victim = following }
                    }
                    return try takeFromBin(
                        victim, size, nb, bin: idx, ownBin: true,
                        message: "malloc(): corrupted unsorted chunks")
                }
            }

            // Binmap search of the next larger bins.
            idx += 1
            var block = idx >> 5
            var map = block < 4 ? binmap[block] : 0
            var bit: UInt32 = 1 << UInt32(idx & 31)
            var binIdx = idx
            while true {
                if bit > map || bit == 0 {
                    repeat {
                        block += 1
                        if block >= 4 { break }
                        map = binmap[block]
                    } while map == 0
                    if block >= 4 { break }
                    binIdx = block << 5
                    bit = 1
                }
                while bit & map == 0 {
                    binIdx += 1
                    bit <<= 1
                }
                let bin = Self.binAt(binIdx)
                let victim = try bk(bin)
                if victim == bin {
                    map &= ~bit
                    binmap[block] = map
                    binIdx += 1
                    bit <<= 1
                } else {
                    // A corrupted size field can make the chunk smaller than the bin says.
                    if try chunksize(victim) < nb {
                        throw assertion(
                            "_int_malloc", "(unsigned long) (size) >= (unsigned long) (nb)")
                    }
                    return try takeFromBin(
                        victim, try chunksize(victim), nb, bin: binIdx, ownBin: false,
                        message: "malloc(): corrupted unsorted chunks 2")
                }
            }

            // use_top
            let victim = top
            let size = try chunksize(victim)
            if size > systemMem { throw abort("malloc(): corrupted top size") }
            if size >= nb &+ Self.minSize {
                let remainder = victim &+ nb
                top = remainder
                try setHead(victim, nb | 1)
                try setHead(remainder, (size &- nb) | 1)
                note(.fromTop(chunk: victim, topSize: size &- nb))
                return victim &+ 16
            } else if haveFastchunks {
                try mallocConsolidate()
                idx = Self.binIndex(nb)
            } else {
                return try sysmalloc(nb)
            }
        }
    }

    /// Unlinks a bin chunk of `size` bytes and hands out all of it (remainder < 32) or its front
    /// `nb` bytes, the rest going to the unsorted bin (and, from a larger bin for a small request,
    /// becoming `last_remainder`).
    ///
    /// Returns the user pointer.
    mutating func takeFromBin(
        _ victim: UInt64, _ size: UInt64, _ nb: UInt64, bin: Int, ownBin: Bool, message: String
    ) throws(MallocFatal) -> UInt64 {
        let remainderSize = size &- nb
        try unlinkChunk(victim)
        if remainderSize < Self.minSize {
            try setInuseBit(at: victim, size)
        } else {
            try splitToUnsorted(
                victim, nb, remainderSize, message: message,
                setLastRemainder: !ownBin && Self.inSmallbinRange(nb))
        }
        note(
            .splitFromBin(
                bin: bin, size: size, remainder: remainderSize < Self.minSize ? 0 : remainderSize,
                ownBin: ownBin))
        return victim &+ 16
    }

    /// Splits `victim` at `nb` and puts the remainder at the head of the unsorted bin.
    mutating func splitToUnsorted(
        _ victim: UInt64, _ nb: UInt64, _ remainderSize: UInt64, message: String,
        setLastRemainder: Bool
    ) throws(MallocFatal) {
        let remainder = victim &+ nb
        let bck = Self.binAt(1)
        let fwd = try fd(bck)
        if try bk(fwd) != bck { throw abort(message) }
        try setBk(remainder, bck)
        try setFd(remainder, fwd)
        try setFd(bck, remainder)
        try setBk(fwd, remainder)
        if setLastRemainder { lastRemainder = remainder }
        try finishSplit(victim, nb, remainderSize)
    }

    /// The headers of a split: `victim` keeps `nb` bytes, the linked remainder after it gets
    /// its head and foot (and cleared nextsize links when it is large).
    mutating func finishSplit(_ victim: UInt64, _ nb: UInt64, _ remainderSize: UInt64)
        throws(MallocFatal)
    {
        let remainder = victim &+ nb
        if !Self.inSmallbinRange(remainderSize) {
            try setFdNext(remainder, 0)
            try setBkNext(remainder, 0)
        }
        try setHead(victim, nb | 1)
        try setHead(remainder, remainderSize | 1)
        try setFoot(remainder, remainderSize)
    }
}
