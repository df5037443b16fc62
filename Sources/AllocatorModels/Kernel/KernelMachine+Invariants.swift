/// Whole-machine consistency checks, meant to run after every step in tests.
extension KernelMachine {
    /// Checks the whole machine.
    ///
    /// Every page must be free in exactly one buddy block or owned by exactly one
    /// user (a slab, a large kmalloc, an alloc_pages block, a vmalloc area), that slab
    /// counts add up and list states agree, and that vmalloc mappings point at frames the
    /// area owns. Slabs whose freelist an undetected double free has looped are exempt
    /// from the count checks (the real kernel's counters are wrong too).
    public func checkInvariants() throws(KernelInvariantError) {
        try buddy.checkInvariants()
        try checkPageOwners()
        try checkPerCPULists()
        try checkSlabs()
        try checkVmalloc()
    }

    /// Every block on a per-CPU list is allocated at its order in the buddy allocator, marked
    /// `.perCPU` page by page, on one list only; `count` is the pages on the lists, never at
    /// or above the high mark after a free, and every `.perCPU` page is on a list.
    func checkPerCPULists() throws(KernelInvariantError) {
        guard let lists = perCPU else { return }
        var pages = 0
        var seen = [Bool](repeating: false, count: buddy.pageCount)
        for (pfn, order) in lists.blocks() {
            let index = pfn - buddy.startPfn
            guard index >= 0, index < buddy.pageCount, !seen[index],
                buddy.isAllocated(pfn: pfn, order: order)
            else {
                throw KernelInvariantError(
                    "per-CPU block at pfn \(pfn) order \(order) is listed twice or not allocated")
            }
            seen[index] = true
            for i in index..<(index + (1 << order)) where pageUse[i] != .perCPU {
                throw KernelInvariantError("per-CPU block at pfn \(pfn) has a page in use")
            }
            pages += 1 << order
        }
        guard pages == lists.count else {
            throw KernelInvariantError("pcp count \(lists.count) but \(pages) pages are listed")
        }
        // clamp(high, high_min, high_max) is min(max(high, high_min), high_max): on a tiny
        // zone high_max can be below high_min, and high then sits between the two.
        let bounds = (
            min(lists.tuning.highMin, lists.tuning.highMax),
            max(lists.tuning.highMin, lists.tuning.highMax)
        )
        guard lists.high >= bounds.0, lists.high <= bounds.1 else {
            throw KernelInvariantError("pcp high \(lists.high) outside its bounds")
        }
        var index = 0
        while index < buddy.pageCount {
            let order = max(Int(buddy.freeOrder[index]), Int(buddy.usedOrder[index]), 0)
            if pageUse[index] == .perCPU && !seen[index] {
                throw KernelInvariantError(
                    "pfn \(buddy.startPfn + index) is marked per-CPU but on no list")
            }
            index += 1 << order
        }
    }

    func checkPageOwners() throws(KernelInvariantError) {
        // Which busy area maps each frame (one pass, so the check stays linear).
        var mappedBy = [Int32](repeating: -1, count: buddy.pageCount)
        for (a, area) in vmalloc.areas.enumerated() where area.state == .busy {
            for pfn in area.pfns {
                let i = pfn - buddy.startPfn
                if i >= 0 && i < buddy.pageCount { mappedBy[i] = Int32(a) }
            }
        }
        var index = 0
        while index < buddy.pageCount {
            let pfn = buddy.startPfn + index
            let free = Int(buddy.freeOrder[index])
            let order = free >= 0 ? free : Int(buddy.usedOrder[index])
            let use = pageUse[index]
            for i in index..<(index + (1 << order)) {
                guard pageUse[i] == use, pageRef[i] == pageRef[index] else {
                    throw KernelInvariantError(
                        "block at pfn \(pfn) has pages with different owners")
                }
            }
            switch use {
            case .free:
                guard free >= 0 else {
                    throw KernelInvariantError("allocated pfn \(pfn) has no owner")
                }
            case .perCPU:
                guard free < 0, perCPU != nil, pageRef[index] == -1 else {
                    throw KernelInvariantError("pfn \(pfn) is marked per-CPU but is not on a list")
                }
            case .slab:
                let s = Int(pageRef[index])
                guard free < 0, s >= 0, s < slabs.count, slabs[s].state != .discarded,
                    slabs[s].pfn == pfn, slabs[s].order == order
                else { throw KernelInvariantError("slab pages at pfn \(pfn) have no slab") }
            case .kmallocLarge:
                guard free < 0, largeKmalloc.contains(pfn), Int(pageRef[index]) == index else {
                    throw KernelInvariantError("large kmalloc at pfn \(pfn) is not recorded")
                }
            case .pages:
                guard free < 0, pageBlocks.contains(pfn), Int(pageRef[index]) == index else {
                    throw KernelInvariantError("alloc_pages block at pfn \(pfn) is not recorded")
                }
            case .vmalloc:
                let a = Int(pageRef[index])
                guard free < 0, order == 0, a >= 0, a < vmalloc.areas.count,
                    vmalloc.areas[a].state == .busy, mappedBy[index] == Int32(a)
                else {
                    throw KernelInvariantError("vmalloc frame \(pfn) is not mapped by its area")
                }
            }
            index += 1 << order
        }
        for pfn in largeKmalloc
        where
            !(pageIndex(of: KernelLayout.address(ofPfn: pfn)).map { pageUse[$0] == .kmallocLarge }
            ?? false)
        {
            throw KernelInvariantError("recorded large kmalloc at pfn \(pfn) is not allocated")
        }
        for pfn in pageBlocks
        where
            !(pageIndex(of: KernelLayout.address(ofPfn: pfn)).map { pageUse[$0] == .pages } ?? false)
        {
            throw KernelInvariantError("recorded alloc_pages block at pfn \(pfn) is not allocated")
        }
    }

    func checkSlabs() throws(KernelInvariantError) {
        var slabCount = Array(repeating: 0, count: caches.count)
        var objectCount = Array(repeating: 0, count: caches.count)
        for (s, slab) in slabs.enumerated() where slab.state != .discarded {
            let cache = caches[slab.cache]
            slabCount[slab.cache] += 1
            objectCount[slab.cache] += slab.objects
            guard slab.objects == (Int(KernelLayout.pageSize) << slab.order) / cache.geometry.size
            else {
                throw KernelInvariantError("slab at pfn \(slab.pfn) has a wrong object count")
            }
            let isCpu = cache.cpuSlab == Int32(s)
            guard isCpu == (slab.state == .cpu) else {
                throw KernelInvariantError(
                    "slab at pfn \(slab.pfn) disagrees about being the CPU slab")
            }
            if slab.state == .cpuPartial && !cache.cpuPartial.contains(Int32(s)) {
                throw KernelInvariantError("slab at pfn \(slab.pfn) is not on the CPU partial list")
            }
            guard !slab.corrupted else { continue }
            let free = slab.freelistLength()
            guard free + slab.liveCount == slab.objects,
                slab.live.filter({ $0 }).count == slab.liveCount
            else {
                throw KernelInvariantError(
                    "\(cache.name) slab at pfn \(slab.pfn): \(free) free + \(slab.liveCount) live != \(slab.objects)"
                )
            }
            if slab.state != .cpu && slab.inuse != slab.liveCount {
                throw KernelInvariantError(
                    "\(cache.name) slab at pfn \(slab.pfn): inuse \(slab.inuse) but \(slab.liveCount) live"
                )
            }
            if slab.state == .full && free != 0 {
                throw KernelInvariantError(
                    "\(cache.name) slab at pfn \(slab.pfn) is full with free objects")
            }
            if slab.state == .cpuPartial && free == 0 {
                throw KernelInvariantError(
                    "\(cache.name) slab at pfn \(slab.pfn) is on the CPU partial list with no free object"
                )
            }
        }
        for (c, cache) in caches.enumerated() {
            guard cache.nrSlabs == slabCount[c], cache.totalObjects == objectCount[c] else {
                throw KernelInvariantError(
                    "\(cache.name): counters \(cache.nrSlabs)/\(cache.totalObjects), slabs \(slabCount[c])/\(objectCount[c])"
                )
            }
            var n = 0
            var id = cache.nodePartialHead
            var last: Int32 = -1
            while id >= 0 {
                n += 1
                guard n <= slabs.count, slabs[Int(id)].state == .nodePartial,
                    slabs[Int(id)].cache == c,
                    slabs[Int(id)].prevPartial == last
                else { throw KernelInvariantError("\(cache.name): node partial list is broken") }
                last = id
                id = slabs[Int(id)].nextPartial
            }
            guard n == cache.nrPartial, cache.nodePartialTail == last else {
                throw KernelInvariantError(
                    "\(cache.name): nr_partial \(cache.nrPartial) but \(n) listed")
            }
            for id in cache.cpuPartial
            where slabs[Int(id)].state != .cpuPartial || slabs[Int(id)].cache != c {
                throw KernelInvariantError(
                    "\(cache.name): CPU partial list holds a slab in another state")
            }
            if configuration.slabDebug && (cache.cpuSlab >= 0 || !cache.cpuPartial.isEmpty) {
                throw KernelInvariantError("\(cache.name): slab_debug cache has CPU slabs")
            }
        }
    }

    func checkVmalloc() throws(KernelInvariantError) {
        var ranges: [(UInt64, UInt64)] = []
        var lazyPages = 0
        for id in vmalloc.busy {
            let area = vmalloc.areas[Int(id)]
            guard area.state == .busy,
                area.size == UInt64(area.pfns.count + 1) * KernelLayout.pageSize
            else {
                throw KernelInvariantError(
                    "vmalloc area at \(hex(area.start)) has \(area.pfns.count) pages for size \(area.size)"
                )
            }
            for pfn in area.pfns {
                guard let index = pageIndex(of: KernelLayout.address(ofPfn: pfn)),
                    pageUse[index] == .vmalloc,
                    pageRef[index] == id, buddy.isAllocated(pfn: pfn, order: 0)
                else {
                    throw KernelInvariantError(
                        "vmalloc area at \(hex(area.start)) maps pfn \(pfn), which it does not own")
                }
            }
            ranges.append((area.start, area.size))
        }
        for id in vmalloc.lazy {
            let area = vmalloc.areas[Int(id)]
            guard area.state == .unpurged, area.pfns.isEmpty else {
                throw KernelInvariantError("unpurged area at \(hex(area.start)) still maps pages")
            }
            lazyPages += Int(area.size / KernelLayout.pageSize)
            ranges.append((area.start, area.size))
        }
        guard lazyPages == vmalloc.lazyPages, lazyPages <= vmalloc.lazyMaxPages else {
            throw KernelInvariantError(
                "lazy page count \(vmalloc.lazyPages) but \(lazyPages) listed")
        }
        for pool in vmalloc.pools {
            for id in pool {
                let area = vmalloc.areas[Int(id)]
                guard area.state == .pooled, area.pfns.isEmpty else {
                    throw KernelInvariantError("pooled area at \(hex(area.start)) is not idle")
                }
                ranges.append((area.start, area.size))
            }
        }
        for i in vmalloc.freeStarts.indices {
            ranges.append((vmalloc.freeStarts[i], vmalloc.freeEnds[i] - vmalloc.freeStarts[i]))
        }
        ranges.sort { $0.0 < $1.0 }
        var cursor = KernelLayout.vmallocStart
        for (start, size) in ranges {
            guard start == cursor, size > 0 else {
                throw KernelInvariantError("vmalloc ranges overlap or leave a gap at \(hex(start))")
            }
            cursor = start + size
        }
        guard cursor == KernelLayout.vmallocEnd &+ 1 else {
            throw KernelInvariantError("vmalloc ranges do not end at VMALLOC_END")
        }
        var used = 0
        for page in pageUse where page == .vmalloc { used += 1 }
        let mapped = vmalloc.busy.reduce(0) { $0 + vmalloc.areas[Int($1)].pfns.count }
        guard used == mapped else {
            throw KernelInvariantError("\(used) vmalloc frames but \(mapped) mapped")
        }
    }
}
