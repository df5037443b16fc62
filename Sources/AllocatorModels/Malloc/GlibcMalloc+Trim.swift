/// `malloc_trim` (malloc.c 5037, 5095): `mtrim` on the main arena.
extension GlibcMalloc {
    /// `malloc_trim(pad)`: returns 1 when anything was released, else 0.
    ///
    /// It consolidates the fastbins, gives the whole pages inside every free chunk of the unsorted bin and of the large bins from the page's bin on back with
    /// `MADV_DONTNEED` (they stop being resident and read as zero), then trims top keeping `pad`
    /// bytes (`systrim`).
    ///
    /// Chunks in tcache, fastbins (consolidated first) and small bins below the page's bin are
    /// not scanned, as in glibc.
    public mutating func mallocTrim(_ pad: UInt64) -> (result: Int32, outcome: MallocOutcome) {
        var result: Int32 = 0
        let outcome = perform { (m: inout GlibcMalloc) throws(MallocFatal) in
            m.ptmallocInit()
            // main_arena, then each arena's next: the newest first.
            var index = 0
            repeat {
                m.loadArena(index)
                if try m.mtrim(pad) { result = 1 }
                index = m.arenaNext(index)
            } while index != 0
            return nil
        }
        return (outcome.fatal == nil ? result : 0, outcome)
    }

    /// `mtrim(av, pad)`.
    mutating func mtrim(_ pad: UInt64) throws(MallocFatal) -> Bool {
        try mallocConsolidate()
        let psm1 = Self.page - 1
        let chunkStruct: UInt64 = 48  // sizeof (struct malloc_chunk)
        let psindex = Self.binIndex(Self.page)
        var released = false
        var pages: UInt64 = 0
        for i in 1..<128 where i == 1 || i >= psindex {
            let bin = binAt(i)
            var p = try bk(bin)
            while p != bin {
                var size = try chunksize(p)
                if size > psm1 &+ chunkStruct {
                    let paligned = (p &+ chunkStruct &+ psm1) & ~psm1
                    size &-= paligned &- p
                    if size > psm1 {
                        space.madviseDontNeed(paligned, size & ~psm1)
                        pages &+= size / Self.page
                        released = true
                    }
                }
                p = try bk(p)
            }
        }
        if pages > 0 { note(.madvised(pages: pages)) }
        let trimmed = currentArena == 0 ? try systrim(pad) : false
        return released || trimmed
    }
}
