/// `mallinfo2`, `malloc_stats` and `malloc_usable_size`'s neighbours: read-only views.
extension GlibcMalloc {
    /// `mallinfo2()`: walks the fastbins and bins as `int_mallinfo` does.
    ///
    /// On a heap the program corrupted (see `write`) the walk stops where glibc's would fault;
    /// `checkedMallinfo2()` reports that fault instead.
    public func mallinfo2() -> MallInfo2 {
        (try? checkedMallinfo2()) ?? MallInfo2(arena: systemMem)
    }

    /// `mallinfo2()` as the real call behaves on a corrupted heap: a fastbin link to unmapped
    /// memory is a SIGSEGV, a misaligned one aborts with
    /// `int_mallinfo(): unaligned fastbin chunk detected`. (A cyclic bin list, on which glibc
    /// would loop for ever, is cut after as many steps as the heap has chunks.)
    public func checkedMallinfo2() throws(MallocFatal) -> MallInfo2 {
        var info = try loadedArenaMallinfo()
        for index in arenaList.dropFirst() {
            var other = self
            other.loadArena(index)
            let more = try other.loadedArenaMallinfo()
            info.smblks &+= more.smblks
            info.ordblks &+= more.ordblks
            info.fordblks &+= more.fordblks
            info.uordblks &+= more.uordblks
            info.arena &+= more.arena
            info.fsmblks &+= more.fsmblks
        }
        return info
    }

    /// The arenas in list order: main_arena, then the newest first.
    var arenaList: [Int] { [0] + (1..<arenas.count).reversed() }

    /// `int_mallinfo` of the loaded arena (hblks, hblkhd and keepcost as for main_arena).
    func loadedArenaMallinfo() throws(MallocFatal) -> MallInfo2 {
        var info = MallInfo2()
        let topSize = try chunksize(top)
        var avail = topSize
        var nblocks: UInt64 = 1
        var nfast: UInt64 = 0
        var fastavail: UInt64 = 0
        let limit = (space.heapBytes + mmappedMem) / 16 + 16
        for i in 0..<10 {
            var p = fastbins[i]
            while p != 0, nfast <= limit {
                if p & 15 != 0 { throw abort("int_mallinfo(): unaligned fastbin chunk detected") }
                nfast += 1
                fastavail &+= try chunksize(p)
                p = Self.protect(p &+ 16, try fd(p))
            }
        }
        avail &+= fastavail
        for i in 1..<128 {
            let b = binAt(i)
            var p = try bk(b)
            var steps: UInt64 = 0
            while p != b, steps <= limit {
                nblocks += 1
                avail &+= try chunksize(p)
                p = try bk(p)
                steps += 1
            }
        }
        info.smblks = nfast
        info.ordblks = nblocks
        info.fordblks = avail
        info.uordblks = systemMem &- avail
        info.arena = systemMem
        info.fsmblks = fastavail
        info.hblks = UInt64(UInt32(bitPattern: nMmaps))
        info.hblkhd = mmappedMem
        info.keepcost = topSize
        return info
    }

    /// The exact text `malloc_stats()` writes to standard error: every arena in list order.
    public func mallocStats() -> String {
        func field(_ value: some BinaryInteger) -> String {
            let text = String(value)
            return String(repeating: " ", count: max(0, 10 - text.count)) + text
        }
        var text = ""
        var arena: UInt32 = 0
        var inUse: UInt32 = 0
        for (number, index) in arenaList.enumerated() {
            var other = self
            other.loadArena(index)
            let info = (try? other.loadedArenaMallinfo()) ?? MallInfo2(arena: other.systemMem)
            let system = UInt32(truncatingIfNeeded: info.arena)
            let used = UInt32(truncatingIfNeeded: info.uordblks)
            text += "Arena \(number):\nsystem bytes     = \(field(system))\n"
            text += "in use bytes     = \(field(used))\n"
            arena &+= system
            inUse &+= used
        }
        let mmapped = UInt32(truncatingIfNeeded: mmappedMem)
        return text + """
            Total (incl. mmap):
            system bytes     = \(field(mmapped &+ arena))
            in use bytes     = \(field(mmapped &+ inUse))
            max mmap regions = \(field(UInt32(bitPattern: maxNMmaps)))
            max mmap bytes   = \(field(maxMmappedMem))

            """
    }
}

extension GlibcMalloc {
    /// The raw header word at `address - 8` (size with flag bits), 0 if unmapped.
    public func headerWord(of address: UInt64) -> UInt64 {
        (try? space.load(address &- 8)) ?? 0
    }
}
