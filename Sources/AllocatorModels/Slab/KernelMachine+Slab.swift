/// SLUB's allocation and free paths (mm/slub.c, Linux 6.18, one CPU doing all the work).
///
/// Default boot (no slab_debug): `___slab_alloc` takes the CPU slab's freelist, then the
/// CPU partial list, then the node partial list (`get_partial_node`, which also moves up
/// to `cpu_partial_slabs / 2 + 1` more slabs to the CPU partial list), then a new slab
/// from the buddy allocator. Frees push on the freelist head (LIFO); a full slab that
/// gets a free goes to the CPU partial list (`put_cpu_partial`, draining the list to the
/// node first when it holds `cpu_partial_slabs`); an empty slab on the node partial list is
/// discarded only when `nr_partial >= min_partial`.
///
/// With `slab_debug=F` there is no CPU slab and no CPU partial list (as in the kernel,
/// `kmem_cache_debug` caches take one object at a time from the node lists) and every free
/// is checked (`free_consistency_checks`).
extension KernelMachine {
    mutating func newSlabId() -> Int32 {
        if let id = freeSlabIds.popLast() { return id }
        slabs.append(SlabRecord(cache: -1, pfn: -1, order: 0, objects: 0))
        slabs[slabs.count - 1].state = .discarded
        return Int32(slabs.count - 1)
    }

    /// `allocate_slab`: the cache's order, falling back to `s->min` = get_order(size).
    mutating func allocateSlab(cache c: Int, events: inout [KernelEvent]) -> Int32? {
        let id = newSlabId()
        let geometry = caches[c].geometry
        var order = geometry.order
        var pfn = takePages(order: order, use: .slab, ref: id, events: &events)
        if pfn == nil && geometry.minOrder < order {
            order = geometry.minOrder
            pfn = takePages(order: order, use: .slab, ref: id, events: &events)
        }
        guard let pfn else {
            freeSlabIds.append(id)
            return nil
        }
        let objects = (Int(KernelLayout.pageSize) << order) / geometry.size
        slabs[Int(id)] = SlabRecord(cache: c, pfn: pfn, order: order, objects: objects)
        shuffleFreelist(slab: id)
        caches[c].nrSlabs += 1
        caches[c].totalObjects += objects
        events.append(.newSlab(cache: caches[c].name, pfn: pfn, order: order, objects: objects))
        return id
    }

    /// `discard_slab`: the slab's pages go back to the buddy allocator.
    mutating func discardSlab(_ id: Int32, events: inout [KernelEvent]) {
        let s = Int(id)
        let c = slabs[s].cache
        caches[c].nrSlabs -= 1
        caches[c].totalObjects -= slabs[s].objects
        events.append(
            .slabDiscarded(cache: caches[c].name, pfn: slabs[s].pfn, order: slabs[s].order))
        releasePages(pfn: slabs[s].pfn, order: slabs[s].order, events: &events)
        slabs[s].state = .discarded
        slabs[s].nextFree = []
        slabs[s].live = []
        freeSlabIds.append(id)
    }

    // MARK: - Node partial list

    mutating func addPartial(_ id: Int32, tail: Bool) {
        let c = slabs[Int(id)].cache
        slabs[Int(id)].state = .nodePartial
        if caches[c].nodePartialHead < 0 {
            caches[c].nodePartialHead = id
            caches[c].nodePartialTail = id
            slabs[Int(id)].prevPartial = -1
            slabs[Int(id)].nextPartial = -1
        } else if tail {
            let t = caches[c].nodePartialTail
            slabs[Int(t)].nextPartial = id
            slabs[Int(id)].prevPartial = t
            slabs[Int(id)].nextPartial = -1
            caches[c].nodePartialTail = id
        } else {
            let h = caches[c].nodePartialHead
            slabs[Int(h)].prevPartial = id
            slabs[Int(id)].nextPartial = h
            slabs[Int(id)].prevPartial = -1
            caches[c].nodePartialHead = id
        }
        caches[c].nrPartial += 1
    }

    mutating func removePartial(_ id: Int32) {
        let s = Int(id)
        let c = slabs[s].cache
        let p = slabs[s].prevPartial
        let n = slabs[s].nextPartial
        if p >= 0 { slabs[Int(p)].nextPartial = n } else { caches[c].nodePartialHead = n }
        if n >= 0 { slabs[Int(n)].prevPartial = p } else { caches[c].nodePartialTail = p }
        slabs[s].prevPartial = -1
        slabs[s].nextPartial = -1
        slabs[s].state = .full
        caches[c].nrPartial -= 1
    }

    // MARK: - CPU partial list

    /// `put_cpu_partial`.
    mutating func putCpuPartial(_ id: Int32, drain: Bool, events: inout [KernelEvent]) {
        let c = slabs[Int(id)].cache
        var toPut: [Int32] = []
        if drain && !caches[c].cpuPartial.isEmpty
            && caches[c].cpuPartial.count >= caches[c].geometry.cpuPartialSlabs
        {
            toPut = caches[c].cpuPartial.reversed()  // head first
            caches[c].cpuPartial = []
        }
        caches[c].cpuPartial.append(id)
        slabs[Int(id)].state = .cpuPartial
        if !toPut.isEmpty { putPartials(toPut, cache: c, events: &events) }
    }

    /// `__put_partials`: move CPU partial slabs to the node list (tail), discarding empty
    /// ones while the node already holds `min_partial`.
    mutating func putPartials(_ list: [Int32], cache c: Int, events: inout [KernelEvent]) {
        var discard: [Int32] = []
        for id in list {
            if slabs[Int(id)].inuse == 0 && caches[c].nrPartial >= caches[c].geometry.minPartial {
                discard.insert(id, at: 0)
            } else {
                addPartial(id, tail: true)
            }
        }
        for id in discard { discardSlab(id, events: &events) }
    }

    // MARK: - Allocation

    /// `slab_alloc_node` for cache `c`.
    mutating func slabAllocate(cache c: Int, events: inout [KernelEvent]) -> SlabObjectInfo? {
        if configuration.slabDebug { return debugAllocate(cache: c, events: &events) }
        let cpu = caches[c].cpuSlab
        if cpu >= 0 {
            if let index = slabs[Int(cpu)].pop() {
                events.append(.slabAllocated(cache: caches[c].name, source: .cpuSlab))
                return handOut(cpu, index, events: &events)
            }
            // get_freelist() found nothing: the slab leaves the CPU, full, on no list.
            slabs[Int(cpu)].state = .full
            slabs[Int(cpu)].inuse = slabs[Int(cpu)].objects
            caches[c].cpuSlab = -1
        }
        var chosen: Int32 = -1
        let source: SlabAllocationSource
        if let head = caches[c].cpuPartial.popLast() {
            chosen = head
            source = .cpuPartial
        } else if caches[c].nrPartial > 0 {
            source = .nodePartial
            // get_partial_node
            var partialSlabs = 0
            var cursor = caches[c].nodePartialHead
            let limit = caches[c].geometry.cpuPartialSlabs
            while cursor >= 0 {
                let next = slabs[Int(cursor)].nextPartial
                removePartial(cursor)
                if chosen < 0 {
                    chosen = cursor
                    if limit == 0 { break }
                } else {
                    putCpuPartial(cursor, drain: false, events: &events)
                    partialSlabs += 1
                    if partialSlabs > limit / 2 { break }
                }
                cursor = next
            }
        } else {
            guard let id = allocateSlab(cache: c, events: &events) else { return nil }
            chosen = id
            source = .newSlab
        }
        events.append(.slabAllocated(cache: caches[c].name, source: source))
        slabs[Int(chosen)].state = .cpu
        slabs[Int(chosen)].inuse = slabs[Int(chosen)].objects
        caches[c].cpuSlab = chosen
        guard let index = slabs[Int(chosen)].pop() else { return nil }
        return handOut(chosen, index, events: &events)
    }

    /// Records a slot handed to the program and describes it.
    mutating func handOut(_ id: Int32, _ index: Int, events: inout [KernelEvent]) -> SlabObjectInfo
    {
        let s = Int(id)
        let info = objectInfo(slab: s, index: index)
        if slabs[s].live[index] {
            events.append(.handedOutTwice(cache: info.cache, address: info.address))
        } else {
            slabs[s].live[index] = true
            slabs[s].liveCount += 1
        }
        return info
    }

    func objectInfo(slab s: Int, index: Int) -> SlabObjectInfo {
        let cache = caches[slabs[s].cache]
        let size = cache.geometry.size
        return SlabObjectInfo(
            address: KernelLayout.address(ofPfn: slabs[s].pfn) + UInt64(index * size),
            cache: cache.name, objectSize: size, objectsPerSlab: cache.geometry.objectsPerSlab,
            pagesPerSlab: cache.geometry.pagesPerSlab, slabPfn: slabs[s].pfn, index: index)
    }

    mutating func debugAllocate(cache c: Int, events: inout [KernelEvent]) -> SlabObjectInfo? {
        let head = caches[c].nodePartialHead
        if head >= 0 {
            // alloc_single_from_partial
            guard let index = slabs[Int(head)].pop() else { return nil }
            slabs[Int(head)].inuse += 1
            if slabs[Int(head)].freeHead < 0 { removePartial(head) }
            events.append(.slabAllocated(cache: caches[c].name, source: .nodePartial))
            return handOut(head, index, events: &events)
        }
        // alloc_single_from_new_slab
        guard let id = allocateSlab(cache: c, events: &events),
            let index = slabs[Int(id)].pop()
        else { return nil }
        slabs[Int(id)].inuse = 1
        if slabs[Int(id)].freeHead >= 0 { addPartial(id, tail: false) }
        events.append(.slabAllocated(cache: caches[c].name, source: .newSlab))
        return handOut(id, index, events: &events)
    }

    // MARK: - Free

    /// `slab_free` of slot `index` of slab `id` (the pointer is known to be slot-aligned).
    mutating func slabFree(_ id: Int32, index: Int, events: inout [KernelEvent]) {
        let s = Int(id)
        let c = slabs[s].cache
        if configuration.slabDebug {
            debugFree(id, index: index, events: &events)
            return
        }
        let prior = slabs[s].freeHead
        if Int(prior) == index {
            // set_freepointer(): BUG_ON(object == fp) under CONFIG_SLAB_FREELIST_HARDENED.
            die(SlabReports.freelistBug(), events: &events)
            return
        }
        noteFree(s, index, events: &events)
        slabs[s].push(index)
        let name = caches[c].name
        if slabs[s].state == .cpu {  // fast path: c->freelist
            events.append(.slabFreed(cache: name, path: .cpuSlab))
            return
        }
        slabs[s].inuse -= 1
        if prior < 0 {
            events.append(.slabFreed(cache: name, path: .toCpuPartial))
            putCpuPartial(id, drain: true, events: &events)
        } else if slabs[s].inuse == 0 && slabs[s].state == .nodePartial
            && caches[c].nrPartial >= caches[c].geometry.minPartial
        {
            events.append(.slabFreed(cache: name, path: .discarded))
            removePartial(id)
            discardSlab(id, events: &events)
        } else {
            events.append(.slabFreed(cache: name, path: .stayed))
        }
    }

    /// Model bookkeeping for a freed slot; flags an undetected double free.
    mutating func noteFree(_ s: Int, _ index: Int, events: inout [KernelEvent]) {
        if slabs[s].live[index] {
            slabs[s].live[index] = false
            slabs[s].liveCount -= 1
        } else {
            slabs[s].corrupted = true
            let info = objectInfo(slab: s, index: index)
            events.append(.freelistCorrupted(cache: info.cache, address: info.address))
        }
    }

    mutating func debugFree(_ id: Int32, index: Int, events: inout [KernelEvent]) {
        let s = Int(id)
        let c = slabs[s].cache
        if slabs[s].isOnFreelist(index) {
            let info = objectInfo(slab: s, index: index)
            events.append(
                .warning(debugReport(slab: s, object: info.address, reason: .alreadyFree)))
            return
        }
        noteFree(s, index, events: &events)
        let prior = slabs[s].freeHead
        slabs[s].inuse -= 1
        slabs[s].push(index)
        let discard = slabs[s].inuse == 0 && caches[c].nrPartial >= caches[c].geometry.minPartial
        events.append(.slabFreed(cache: caches[c].name, path: discard ? .discarded : .stayed))
        if prior < 0 {
            if !discard { addPartial(id, tail: true) }
        } else if discard {
            removePartial(id)
        }
        if discard { discardSlab(id, events: &events) }
    }
}
