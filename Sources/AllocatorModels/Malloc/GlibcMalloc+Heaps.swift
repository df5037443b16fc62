/// The heaps of non-main arenas (arena.c 530–690, malloc.c 2645): `grow_heap`, `shrink_heap`,
/// `heap_trim`, and sysmalloc's growth of a non-main arena.
///
/// A heap is a HEAP_MAX_SIZE (64 MiB) reservation whose first `size` bytes are accessible;
/// its `heap_info` (ar_ptr, prev, size, mprotect_size, pagesize) is at its start, in the shadow
/// memory.
extension GlibcMalloc {
    /// `grow_heap(h, diff)`: true on success.
    mutating func growHeap(_ h: UInt64, _ diff: UInt64) throws(MallocFatal) -> Bool {
        let grow = (diff &+ Self.page &- 1) & ~(Self.page - 1)
        let newSize = (try ld(h &+ 16)) &+ grow
        if newSize > Self.heapMaxSize { return false }
        if newSize > (try ld(h &+ 24)) {
            space.setAccessible(h, newSize)
            try st(h &+ 24, newSize)
        }
        try st(h &+ 16, newSize)
        note(.heapResized(heap: h, size: newSize))
        return true
    }

    /// `shrink_heap(h, diff)` with `/proc/sys/vm/overcommit_memory` not 2: MADV_DONTNEED of the
    /// tail, which stays accessible.
    mutating func shrinkHeap(_ h: UInt64, _ diff: UInt64) throws(MallocFatal) -> Bool {
        let size = try ld(h &+ 16)
        guard diff <= size, size &- diff >= Self.heapInfoSize else { return false }
        let newSize = size &- diff
        space.madviseDontNeed(h &+ newSize, diff)
        try st(h &+ 16, newSize)
        note(.heapResized(heap: h, size: newSize))
        return true
    }

    /// `heap_trim(heap, pad)`: unmaps whole heaps that only hold top (keeping the previous
    /// heap's fencepost chunk as the new top), then shrinks the last one as systrim would.
    @discardableResult
    mutating func heapTrim(_ start: UInt64, _ pad: UInt64) throws(MallocFatal) -> Bool {
        var heap = start
        var topChunk = top
        let maxSize = Self.heapMaxSize
        while topChunk == heap &+ Self.heapInfoSize {
            let prevHeap = try ld(heap &+ 8)
            guard prevHeap != 0 else { break }
            let prevHeapSize = try ld(prevHeap &+ 16)
            let prevSize = prevHeapSize &- (Self.minSize &- 16)
            var p = prevHeap &+ prevSize
            let misalign = p & 15
            p = prevHeap &+ prevSize &- misalign
            // p is the fencepost; the chunk before it is the old top's remnant.
            p = p &- (try prevSizeField(p))
            var newSize = (try chunksize(p)) &+ (Self.minSize &- 16) &+ misalign
            let prevInUse = try nomask(p) & 1 != 0
            if !prevInUse { newSize &+= try prevSizeField(p) }
            if newSize &+ (maxSize &- prevHeapSize) < pad &+ Self.minSize &+ Self.page { break }
            systemMem &-= try ld(heap &+ 16)
            if heap &+ maxSize == alignedHeapArea { alignedHeapArea = nil }
            space.munmap(heap, maxSize)
            note(.heapUnmapped(heap: heap))
            heap = prevHeap
            if !prevInUse {
                p = p &- (try prevSizeField(p))
                try unlinkChunk(p)
            }
            top = p
            topChunk = p
            try setHead(topChunk, newSize | 1)
        }
        let topSize = try chunksize(topChunk)
        if topSize < trimThreshold { return false }
        let topArea = Int64(bitPattern: topSize &- Self.minSize &- 1)
        if topArea < 0 || UInt64(topArea) <= pad { return false }
        let extra = (UInt64(topArea) &- pad) & ~(Self.page - 1)
        if extra == 0 { return false }
        guard try shrinkHeap(heap, extra) else { return false }
        systemMem &-= extra
        try setHead(topChunk, (topSize &- extra) | 1)
        return true
    }

    @inline(__always) func prevSizeField(_ p: UInt64) throws(MallocFatal) -> UInt64 {
        try ld(p)
    }

    /// sysmalloc for a non-main arena: grow the current heap (by what the request lacks, no
    /// top_pad), else start a new heap, fencing off and freeing the old top.
    ///
    /// Returns false when neither works (the caller then tries mmap).
    mutating func sysmallocGrowNonMain(_ nb: UInt64) throws(MallocFatal) -> Bool {
        let oldTop = top
        var oldSize = try chunksize(oldTop)
        let oldHeap = oldTop & ~(Self.heapMaxSize - 1)
        let oldHeapSize = try ld(oldHeap &+ 16)
        let diff = Int64(bitPattern: Self.minSize &+ nb &- oldSize)
        if diff > 0, try growHeap(oldHeap, UInt64(diff)) {
            let newHeapSize = try ld(oldHeap &+ 16)
            systemMem &+= newHeapSize &- oldHeapSize
            try setHead(oldTop, (oldHeap &+ newHeapSize &- oldTop) | 1)
            return true
        }
        guard let heap = try newHeap(nb &+ Self.minSize &+ Self.heapInfoSize, topPad) else {
            return false
        }
        let heapSize = try ld(heap &+ 16)
        try st(heap, arenaBase)
        try st(heap &+ 8, oldHeap)
        systemMem &+= heapSize
        top = heap &+ Self.heapInfoSize
        try setHead(top, (heapSize &- Self.heapInfoSize) | 1)
        note(.heapResized(heap: heap, size: heapSize))
        oldSize = (oldSize &- Self.minSize) & ~15
        try setHead(oldTop &+ oldSize &+ 16, 0 | 1)
        if oldSize >= Self.minSize {
            try setHead(oldTop &+ oldSize, 16 | 1)
            try setFoot(oldTop &+ oldSize, 16)
            try setHead(oldTop, oldSize | 1 | 4)
            try intFree(oldTop)
        } else {
            try setHead(oldTop, (oldSize &+ 16) | 1)
            try setFoot(oldTop, oldSize &+ 16)
        }
        return true
    }
}
