/// `sysmalloc` (malloc.c 2541): the mmap path and heap growth with brk.
extension GlibcMalloc {
    static let mmapAsMorecoreSize: UInt64 = 1 << 20

    /// `sysmalloc_mmap`: a chunk in its own mapping, or `nil` (MAP_FAILED).
    mutating func sysmallocMmap(_ nb: UInt64) throws(MallocFatal) -> UInt64? {
        let size = (nb &+ Self.sizeSz &+ Self.page &- 1) & ~(Self.page - 1)
        if size <= nb { return nil }
        guard let mm = space.mmap(size) else { return nil }
        try st(mm, 0)
        try setHead(mm, size | 2)
        nMmaps += 1
        maxNMmaps = max(maxNMmaps, nMmaps)
        mmappedMem &+= size
        maxMmappedMem = max(maxMmappedMem, mmappedMem)
        note(.mmapped(address: mm, size: size))
        return mm &+ 16
    }

    mutating func sysmalloc(_ nb: UInt64) throws(MallocFatal) -> UInt64? {
        let triedMmap = nb >= mmapThreshold && nMmaps < nMmapsMax
        if triedMmap {
            if let mem = try sysmallocMmap(nb) { return mem }
        }
        if currentArena != 0 {
            if try !sysmallocGrowNonMain(nb), !triedMmap { return try sysmallocMmap(nb) }
            return try carveTop(nb)
        }
        let oldTop = top
        var oldSize = try chunksize(oldTop)
        let oldEnd = oldTop &+ oldSize
        var brk: UInt64? = nil
        var sndBrk: UInt64? = nil

        var size = nb &+ topPad &+ Self.minSize
        if contiguous { size &-= oldSize }
        size = (size &+ Self.page &- 1) & ~(Self.page - 1)
        if Int64(bitPattern: size) > 0 {
            brk = space.sbrk(Int64(bitPattern: size))
        }
        if brk == nil {
            // sysmalloc_mmap_fallback
            var fallback = size
            if contiguous { fallback = (fallback &+ oldSize &+ Self.page &- 1) & ~(Self.page - 1) }
            if fallback < Self.mmapAsMorecoreSize { fallback = Self.mmapAsMorecoreSize }
            if fallback > nb, let mbrk = space.mmap(fallback) {
                contiguous = false
                size = fallback
                brk = mbrk
                sndBrk = mbrk &+ size
            }
        }
        if let brk {
            if sbrkBase == 0 { sbrkBase = brk }
            systemMem &+= size
            if brk == oldEnd, sndBrk == nil {
                try setHead(oldTop, (size &+ oldSize) | 1)
                note(.brkGrown(bytes: size, newBreak: space.programBreak))
            } else if contiguous, oldSize != 0, brk < oldEnd {
                throw abort("break adjusted to free malloc space")
            } else {
                var correction: UInt64 = 0
                var alignedBrk = brk
                if contiguous {
                    if oldSize != 0 { systemMem &+= brk &- oldEnd }
                    let frontMisalign = (brk &+ 16) & 15
                    if frontMisalign > 0 {
                        correction = 16 - frontMisalign
                        alignedBrk &+= correction
                    }
                    correction &+= oldSize
                    let endMisalign = brk &+ size &+ correction
                    correction &+=
                        ((endMisalign &+ Self.page &- 1) & ~(Self.page - 1)) &- endMisalign
                    if let second = space.sbrk(Int64(bitPattern: correction)) {
                        sndBrk = second
                    } else {
                        correction = 0
                        sndBrk = space.programBreak
                    }
                    note(.brkGrown(bytes: space.programBreak &- brk, newBreak: space.programBreak))
                } else if sndBrk == nil {
                    sndBrk = space.programBreak
                }
                if let sndBrk {
                    top = alignedBrk
                    try setHead(top, (sndBrk &- alignedBrk &+ correction) | 1)
                    systemMem &+= correction
                    if oldSize != 0 {
                        oldSize = (oldSize &- 2 &* Self.hdr) & ~15
                        try setHead(oldTop, oldSize | 1)
                        try setHead(oldTop &+ oldSize, Self.hdr | 1)
                        try setHead(oldTop &+ oldSize &+ Self.hdr, Self.hdr | 1)
                        if oldSize >= Self.minSize { try intFree(oldTop) }
                    }
                }
            }
        }
        return try carveTop(nb)
    }

    /// The end of sysmalloc: the new max_system_mem, then `nb` bytes from top (or NULL).
    mutating func carveTop(_ nb: UInt64) throws(MallocFatal) -> UInt64? {
        if systemMem > maxSystemMem { maxSystemMem = systemMem }
        let p = top
        let topSize = try chunksize(p)
        if topSize >= nb &+ Self.minSize {
            let remainder = p &+ nb
            top = remainder
            try setHead(p, nb | 1 | nonMainBit)
            try setHead(remainder, (topSize &- nb) | 1)
            note(.fromTop(chunk: p, topSize: topSize &- nb))
            return p &+ 16
        }
        note(.failed)
        return nil
    }
}
