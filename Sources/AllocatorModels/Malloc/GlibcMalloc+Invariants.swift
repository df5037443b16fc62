/// `checkInvariants()` and the bin membership both it and `snapshot()` need.
extension GlibcMalloc {
    /// Where every free-listed chunk is, by chunk address.
    struct Membership {
        /// (chunk address, state, bin), sorted by address.
        var entries: [(address: UInt64, state: MallocSnapshot.ChunkState, bin: Int)] = []

        /// The entry for `address`, by binary search.
        func find(_ address: UInt64) -> (state: MallocSnapshot.ChunkState, bin: Int)? {
            var low = 0
            var high = entries.count
            while low < high {
                let mid = (low + high) / 2
                if entries[mid].address < address { low = mid + 1 } else { high = mid }
            }
            guard low < entries.count, entries[low].address == address else { return nil }
            return (entries[low].state, entries[low].bin)
        }
    }

    /// Collects the chunks of tcache, fastbins and bins (in bin order); fails on a broken list.
    func membership() throws(MallocInvariantError) -> Membership {
        var m = Membership()
        func add(_ p: UInt64, _ s: MallocSnapshot.ChunkState, _ bin: Int) {
            m.entries.append((p, s, bin))
        }
        for t in 0..<64 {
            var e = tcacheEntries[t]
            var count = 0
            while e != 0 {
                let p = e - 16
                guard let size = try? chunksize(p), let next = try? ld(e) else {
                    throw MallocInvariantError("tcache bin \(t) links to unmapped memory")
                }
                if size != UInt64(t) * 16 + 32 {
                    throw MallocInvariantError("tcache bin \(t) holds a chunk of size \(size)")
                }
                add(p, .tcache, t)
                count += 1
                if count > 7 { throw MallocInvariantError("tcache bin \(t) has more than 7") }
                e = Self.protect(e, next)
            }
            if count != tcacheCounts[t] {
                throw MallocInvariantError(
                    "tcache bin \(t) count \(tcacheCounts[t]) but \(count) listed")
            }
        }
        for i in 0..<10 {
            var p = fastbins[i]
            while p != 0 {
                guard let size = try? chunksize(p), let link = try? fd(p) else {
                    throw MallocInvariantError("fastbin \(i) links to unmapped memory")
                }
                if Self.fastbinIndex(size) != i {
                    throw MallocInvariantError("fastbin \(i) holds a chunk of size \(size)")
                }
                add(p, .fastbin, i)
                p = Self.protect(p + 16, link)
            }
        }
        for i in 1..<127 {
            let b = binAt(i)
            var prev = b
            var p = (try? fd(b)) ?? b
            var lastSize = UInt64.max
            while p != b {
                guard let size = try? chunksize(p), let back = try? bk(p), let next = try? fd(p)
                else { throw MallocInvariantError("bin \(i) links to unmapped memory") }
                if back != prev {
                    throw MallocInvariantError("bin \(i): bk of 0x\(String(p, radix: 16)) is wrong")
                }
                if i >= 2 {
                    if Self.binIndex(size) != i {
                        throw MallocInvariantError("bin \(i) holds a chunk of size \(size)")
                    }
                    if i >= 64, size > lastSize {
                        throw MallocInvariantError("large bin \(i) is not sorted")
                    }
                }
                lastSize = size
                add(p, i == 1 ? .unsorted : (i < 64 ? .smallbin : .largebin), i)
                prev = p
                p = next
            }
        }
        m.entries.sort { $0.address < $1.address }
        for k in m.entries.indices.dropFirst()
        where m.entries[k].address == m.entries[k - 1].address {
            throw MallocInvariantError(
                "chunk 0x\(String(m.entries[k].address, radix: 16)) is listed twice")
        }
        return m
    }

    /// The other arenas: each top inside an accessible heap whose heap_info names the arena,
    /// every heap of HEAP_MAX_SIZE aligned to it, and the thread's arena valid.
    func checkArenas() throws(MallocInvariantError) {
        for (index, arena) in arenas.enumerated().dropFirst() {
            let top = index == currentArena ? self.top : arena.top
            let heap = top & ~(Self.heapMaxSize - 1)
            guard let arPtr = try? ld(heap), arPtr == arena.base,
                let size = try? ld(heap + 16), top < heap + size
            else {
                throw MallocInvariantError("arena \(index): top outside its heap")
            }
        }
        for m in space.mappings where m.isHeap {
            if m.start & (Self.heapMaxSize - 1) != 0 || m.length != Self.heapMaxSize {
                throw MallocInvariantError("heap at 0x\(String(m.start, radix: 16)) misplaced")
            }
        }
        for t in threads {
            if let a = t.arena, a >= arenas.count {
                throw MallocInvariantError("thread \(t.name) has no arena \(a)")
            }
        }
    }

    /// Checks the model's state: bins consistent with headers, the heap covered exactly by
    /// chunks with no overlap, flags and footers right, accounting that adds up.
    public func checkInvariants() throws(MallocInvariantError) {
        guard termination == nil else { return }
        let m = try membership()
        try checkArenas()
        let info = (try? loadedArenaMallinfo()) ?? MallInfo2(arena: systemMem)
        if info.arena != systemMem || info.uordblks &+ info.fordblks != info.arena {
            throw MallocInvariantError("mallinfo2 does not add up")
        }
        if contiguous, systemMem != space.programBreak - initialBreak {
            throw MallocInvariantError("system_mem \(systemMem) differs from the break")
        }
        // Chunk mappings only: thread stacks and non-main heaps are not malloc's mmapped chunks.
        let chunkMappings = space.mappings.filter { !$0.isStack && !$0.isHeap }
        let mappedTotal = chunkMappings.reduce(UInt64(0)) { $0 + $1.length }
        if mappedTotal != mmappedMem || chunkMappings.count != Int(nMmaps) {
            throw MallocInvariantError(
                "mmapped accounting: \(mappedTotal) bytes mapped, \(mmappedMem) counted")
        }
        for (low, high) in zip(space.mappings, space.mappings.dropFirst())
        where low.end > high.start {
            throw MallocInvariantError("mappings at 0x\(String(low.start, radix: 16)) overlap")
        }
        if let first = space.mappings.first, first.start < space.programBreak {
            throw MallocInvariantError("a mapping overlaps the heap")
        }
        for m in chunkMappings {
            // memalign puts the chunk `offset` bytes into its mapping, with prev_size = offset.
            let chunk = offsetMmapChunks[m.start] ?? m.start
            guard let head = try? nomask(chunk), let offset = try? prevSize(chunk) else {
                throw MallocInvariantError("mapping at 0x\(String(m.start, radix: 16)) unreadable")
            }
            if head != (m.end - chunk) | 2 || offset != chunk - m.start {
                throw MallocInvariantError(
                    "mmapped chunk at 0x\(String(m.start, radix: 16)) has header 0x\(String(head, radix: 16))"
                )
            }
        }
        guard sbrkBase != 0 else { return }
        var p = sbrkBase
        var seenFree = 0
        var previousFree = false
        while p != top {
            guard let head = try? nomask(p), p < top else {
                throw MallocInvariantError("heap walk overran top at 0x\(String(p, radix: 16))")
            }
            let size = head & ~7
            if size < 16 || size & 15 != 0 {
                throw MallocInvariantError("bad chunk size \(size) at 0x\(String(p, radix: 16))")
            }
            let nextHead = (try? nomask(p + size)) ?? 0
            let state = m.find(p)?.state
            let isBinned = state == .unsorted || state == .smallbin || state == .largebin
            if isBinned {
                seenFree += 1
                if nextHead & 1 != 0 {
                    throw MallocInvariantError(
                        "free chunk 0x\(String(p, radix: 16)) has next PREV_INUSE set")
                }
                if (try? prevSize(p + size)) != size {
                    throw MallocInvariantError(
                        "free chunk 0x\(String(p, radix: 16)) has a wrong footer")
                }
                if previousFree {
                    throw MallocInvariantError(
                        "two adjacent free chunks at 0x\(String(p, radix: 16))")
                }
            } else if size >= 32, nextHead & 1 == 0 {
                throw MallocInvariantError(
                    "chunk 0x\(String(p, radix: 16)) in use but next PREV_INUSE clear")
            }
            if head & 1 == 0, !previousFree {
                throw MallocInvariantError(
                    "chunk 0x\(String(p, radix: 16)) has PREV_INUSE clear after a used chunk")
            }
            previousFree = isBinned
            p += size
        }
        let binned = m.entries.filter {
            $0.state == .unsorted || $0.state == .smallbin || $0.state == .largebin
        }
        if binned.count != seenFree {
            throw MallocInvariantError(
                "\(binned.count) chunks in bins but \(seenFree) free in the heap")
        }
        guard let topHead = try? nomask(top) else { throw MallocInvariantError("top unmapped") }
        if topHead & 1 == 0 { throw MallocInvariantError("top has PREV_INUSE clear") }
        if contiguous, top + (topHead & ~7) != space.programBreak {
            throw MallocInvariantError("top does not end at the break")
        }
    }
}
