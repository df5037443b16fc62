/// `mallinfo2`, `malloc_stats` and `malloc_usable_size`'s neighbours: read-only views.
extension GlibcMalloc {
    /// `mallinfo2()`: walks the fastbins and bins as `int_mallinfo` does.
    public func mallinfo2() -> MallInfo2 {
        var info = MallInfo2()
        guard let topSize = try? chunksize(top) else { return info }
        var avail = topSize
        var nblocks: UInt64 = 1
        var nfast: UInt64 = 0
        var fastavail: UInt64 = 0
        for i in 0..<10 {
            var p = fastbins[i]
            while p != 0, let size = try? chunksize(p), let link = try? fd(p) {
                nfast += 1
                fastavail &+= size
                p = Self.protect(p &+ 16, link)
            }
        }
        avail &+= fastavail
        for i in 1..<128 {
            let b = Self.binAt(i)
            var p = (try? bk(b)) ?? b
            while p != b, let size = try? chunksize(p) {
                nblocks += 1
                avail &+= size
                p = (try? bk(p)) ?? b
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

    /// The exact text `malloc_stats()` writes to standard error.
    public func mallocStats() -> String {
        let info = mallinfo2()
        let arena = UInt32(truncatingIfNeeded: info.arena)
        let inUse = UInt32(truncatingIfNeeded: info.uordblks)
        let mmapped = UInt32(truncatingIfNeeded: mmappedMem)
        func field(_ value: some BinaryInteger) -> String {
            let text = String(value)
            return String(repeating: " ", count: max(0, 10 - text.count)) + text
        }
        return """
            Arena 0:
            system bytes     = \(field(arena))
            in use bytes     = \(field(inUse))
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
