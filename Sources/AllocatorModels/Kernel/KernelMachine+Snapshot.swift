/// The machine as a `KernelSnapshot`, for diagrams.
extension KernelMachine {
    /// What the machine looks like now: free lists, the owner of every page (as runs),
    /// the caches that hold slabs and the vmalloc areas (busy and unpurged) in address
    /// order.
    public func snapshot() -> KernelSnapshot {
        let freeLists = (0..<KernelLayout.orderCount).map { buddy.freeList(order: $0) }
        var runs: [KernelSnapshot.PageRun] = []
        for index in 0..<buddy.pageCount {
            let owner: KernelSnapshot.PageOwner
            switch pageUse[index] {
            case .free: owner = .free
            case .perCPU: owner = .perCPUList
            case .slab: owner = .slab(cache: caches[slabs[Int(pageRef[index])].cache].name)
            case .kmallocLarge: owner = .kmallocLarge
            case .pages: owner = .pages
            case .vmalloc: owner = .vmalloc
            }
            let pfn = buddy.startPfn + index
            if let last = runs.last, last.owner == owner, last.pfn + last.count == pfn {
                runs[runs.count - 1].count += 1
            } else {
                runs.append(KernelSnapshot.PageRun(pfn: pfn, count: 1, owner: owner))
            }
        }
        var cacheViews: [KernelSnapshot.Cache] = []
        for (c, cache) in caches.enumerated() where cache.nrSlabs > 0 {
            let views = slabs.indices
                .filter { slabs[$0].state != .discarded && slabs[$0].cache == c }
                .sorted { slabs[$0].pfn < slabs[$1].pfn }
                .map { s -> KernelSnapshot.Slab in
                    let state: KernelSnapshot.Slab.State
                    switch slabs[s].state {
                    case .cpu: state = .cpu
                    case .cpuPartial, .nodePartial: state = .partial
                    case .full, .discarded: state = .full
                    }
                    return KernelSnapshot.Slab(pfn: slabs[s].pfn, used: slabs[s].live, state: state)
                }
            cacheViews.append(
                KernelSnapshot.Cache(
                    name: cache.name, objectSize: cache.geometry.size,
                    objectsPerSlab: cache.geometry.objectsPerSlab,
                    pagesPerSlab: cache.geometry.pagesPerSlab, slabs: views))
        }
        let areaIds = (vmalloc.busy + vmalloc.lazy).sorted {
            vmalloc.areas[Int($0)].start < vmalloc.areas[Int($1)].start
        }
        let areas = areaIds.map { id -> KernelSnapshot.VmallocArea in
            let area = vmalloc.areas[Int(id)]
            return KernelSnapshot.VmallocArea(
                address: area.start, size: area.size, pfns: area.pfns,
                state: area.state == .busy ? .busy : .unpurged)
        }
        return KernelSnapshot(
            totalPages: buddy.pageCount, freeLists: freeLists, pages: runs, caches: cacheViews,
            vmallocAreas: areas)
    }
}
