/// vmalloc, vzalloc and vfree (mm/vmalloc.c, Linux 6.18), in the kernel's order:
/// `kzalloc` of the 72-byte vm_struct (kmalloc-96), a vmap_area object, the address range
/// (size rounded up to pages plus one guard page, lowest-address first fit), the page
/// pointer array (`kmalloc` of nr_pages × 8 bytes, or a nested vmalloc marked `vpages`
/// above one page), then nr_pages separate order-0 frames from the buddy allocator, each
/// mapped to the next virtual page.
extension KernelMachine {
    /// The caller symbol /proc/vmallocinfo prints for the lesson's allocations: a fixed,
    /// plausible module function (`%pS` of the return address).
    public static let vmallocCaller = "demo_init+0x1d/0x80 [demo]"

    /// `vmalloc(size)`.
    public mutating func vmalloc(_ size: UInt64) -> KernelOutcome {
        vmallocArea(size, zero: false)
    }

    /// `vzalloc(size)`: the same, with zeroed pages.
    public mutating func vzalloc(_ size: UInt64) -> KernelOutcome {
        vmallocArea(size, zero: true)
    }

    mutating func vmallocArea(_ size: UInt64, zero: Bool) -> KernelOutcome {
        vmallocArea(size, gfp: zero ? GFP.kernel.union(.zero) : .kernel)
    }

    /// `__vmalloc_node_range_noprof(size, …, gfp, …)`; `gfp` only shapes the warnings.
    ///
    /// With `hugeAllowed` (VM_ALLOW_HUGE_VMAP, as kvmalloc passes it; `vmap_allow_huge` is
    /// on by default and x86_64 supports PMD mappings) a size of 2 MiB or more is first
    /// tried with `shift` = PMD_SHIFT: the size rounded up to 2 MiB, the address aligned to
    /// 2 MiB, the pages taken as order-9 blocks without warnings and split into single pages
    /// (`vm_area_alloc_pages`, `split_page`). If that fails the area is vfree'd and the
    /// call retried with 4 KiB pages (the `fail:` path).
    mutating func vmallocArea(_ size: UInt64, gfp: GFP, hugeAllowed: Bool = false)
        -> KernelOutcome
    {
        var events: [KernelEvent] = []
        guard !isDead else { return KernelOutcome() }
        guard size > 0 else {
            warnOnce(configuration.version.vmallocZeroWarning, gfp: [], events: &events)
            return KernelOutcome(pointer: .null, events: events)
        }
        guard size >> UInt64(KernelLayout.pageShift) <= UInt64(buddy.pageCount) else {
            events.append(
                .warning(
                    KernelWarnings.warnAlloc(
                        "vmalloc error: size \(size), exceeds total pages", gfp: gfp)))
            return KernelOutcome(pointer: .null, events: events)
        }
        var found: Int32?
        if hugeAllowed && size >= Self.pmdSize {
            found = vmallocNode(size, gfp: gfp, shift: 21, events: &events)
        }
        if found == nil { found = vmallocNode(size, gfp: gfp, events: &events) }
        guard let id = found else {
            return KernelOutcome(pointer: .null, events: events)
        }
        let area = vmalloc.areas[Int(id)]
        let info = VmallocAreaInfo(address: area.start, size: area.size, pfns: area.pfns)
        return KernelOutcome(pointer: .vmalloc(info), events: events)
    }

    /// `PMD_SIZE` on x86_64.
    static let pmdSize: UInt64 = 2 << 20

    /// `__vmalloc_node_range_noprof` with mapping `shift` (PAGE_SHIFT, or PMD_SHIFT for a
    /// huge attempt); returns the area id or `nil` (everything undone).
    mutating func vmallocNode(
        _ size: UInt64, gfp: GFP, shift: Int = KernelLayout.pageShift,
        events: inout [KernelEvent]
    ) -> Int32? {
        let pageSize = KernelLayout.pageSize
        let unit = UInt64(1) << UInt64(shift)
        let pageOrder = shift - KernelLayout.pageShift
        let pages = Int((size + unit - 1) / unit) << pageOrder
        let reserved = UInt64(pages + 1) * pageSize
        // __get_vm_area_node: the vm_struct first.
        func vmStructFailed() -> KernelEvent {
            .warning(
                KernelWarnings.warnAlloc(
                    "vmalloc error: size \(size), vm_struct allocation failed", gfp: gfp))
        }
        guard
            case .slabObject(let vmStruct)? = kmalloc(configuration.version.vmStructSize, .kernel)
                .pointerAndEvents(into: &events)
        else {
            events.append(vmStructFailed())
            return nil
        }
        // alloc_vmap_area: node_alloc (CPU 0's node pool of this exact size) first, then a
        // new vmap_area object and the lowest fit in the global free space.
        var start: UInt64
        let vmapArea: UInt64
        if pageOrder == 0, let pooled = vmalloc.takeFromPool(size: reserved) {
            start = vmalloc.areas[Int(pooled)].start
            vmapArea = vmalloc.areas[Int(pooled)].vmapArea
            vmalloc.areas[Int(pooled)].state = .purged
        } else {
            guard
                case .slabObject(let object)? = kmemCacheAlloc(vmapAreaHandle, .kernel)
                    .pointerAndEvents(into: &events)
            else {
                _ = kfree(vmStruct.address).pointerAndEvents(into: &events)
                events.append(vmStructFailed())
                return nil
            }
            vmapArea = object.address
            var found = vmalloc.reserve(size: reserved, align: unit)
            if found == nil {
                // reclaim_and_purge_vmap_areas: a full purge, pools decayed completely.
                purgeLazyAreas(full: true, events: &events)
                found = vmalloc.reserve(size: reserved, align: unit)
            }
            guard let found else {
                events.append(
                    .warning(
                        "vmalloc_node_range for size \(reserved) failed: Address range restricted to "
                            + "\(hex(KernelLayout.vmallocStart)) - \(hex(KernelLayout.vmallocEnd))")
                )
                _ = kfree(vmStruct.address).pointerAndEvents(into: &events)
                _ = kmemCacheFree(vmapAreaHandle, vmapArea).pointerAndEvents(into: &events)
                return nil
            }
            start = found
        }
        let id = Int32(vmalloc.areas.count)
        var record = VmapAreaRecord(start: start, size: reserved, pfns: [], state: .busy)
        record.vmStruct = vmStruct.address
        record.vmapArea = vmapArea
        vmalloc.areas.append(record)
        vmalloc.insertBusy(id)
        events.append(.areaReserved(address: start, size: reserved))
        // __vmalloc_area_node: the page array, then the pages.
        let arraySize = UInt64(pages * 8)
        var failed = false
        if arraySize > pageSize {
            if let nested = vmallocNode(arraySize, gfp: GFP.kernel.union(.zero), events: &events) {
                vmalloc.areas[Int(id)].vpages = true
                vmalloc.areas[Int(id)].pagesArea = vmalloc.areas[Int(nested)].start
            } else {
                failed = true
            }
        } else if case .slabObject(let array)? = kmalloc(arraySize, .kernel.union(.zero))
            .pointerAndEvents(into: &events)
        {
            vmalloc.areas[Int(id)].pagesArray = array.address
        } else {
            failed = true
        }
        if failed {
            events.append(
                .warning(
                    KernelWarnings.warnAlloc(
                        "vmalloc error: size \(UInt64(pages) * pageSize), failed to allocated page array size \(arraySize)",
                        gfp: gfp)))
        } else {
            var pfns: [Int] = []
            pfns.reserveCapacity(pages)
            let count = pages >> pageOrder
            for i in 0..<count {
                // vm_area_alloc_pages: order-0 pages in __alloc_pages_bulk calls of up to 100;
                // a call for a single page goes through __alloc_pages instead.
                let chunk = min(100, count - (i / 100) * 100)
                guard
                    let pfn = takePages(
                        order: pageOrder, use: .vmalloc, ref: id, events: &events,
                        bulk: pageOrder == 0 && chunk > 1, gfp: gfp)
                else {
                    failed = true
                    break
                }
                if pageOrder > 0 { buddy.splitAllocated(pfn: pfn, order: pageOrder) }
                pfns.append(contentsOf: pfn..<(pfn + (1 << pageOrder)))
            }
            vmalloc.areas[Int(id)].pfns = pfns
            if failed && pageOrder == 0 {
                // warn_alloc(…, area->nr_pages * PAGE_SIZE): the pages it did get.
                events.append(
                    .warning(
                        KernelWarnings.warnAlloc(
                            "vmalloc error: size \(UInt64(pfns.count) * pageSize), failed to allocate pages",
                            gfp: gfp)))
            }
        }
        if failed {
            vfreeArea(start, events: &events)
            return nil
        }
        return id
    }

    var vmapAreaHandle: KmemCache {
        KmemCache(index: vmapAreaCache, name: "vmap_area", servedBy: "vmap_area")
    }

    /// `vfree(addr)`: NULL is ignored; the frames go back to the buddy allocator at once,
    /// the range stays reserved as `unpurged vm_area` until a purge.
    public mutating func vfree(_ address: UInt64) -> KernelOutcome {
        var events: [KernelEvent] = []
        guard !isDead, address != 0 else { return KernelOutcome() }
        vfreeArea(address, events: &events)
        return KernelOutcome(events: events)
    }

    mutating func vfreeArea(_ address: UInt64, events: inout [KernelEvent]) {
        if address % KernelLayout.pageSize != 0 {
            taintWarn = true
            events.append(
                .warning("Trying to vfree() bad address (\(SlabReports.pointer(address)))"))
            events.append(
                .warning("Trying to vfree() nonexistent vm area (\(SlabReports.pointer(address)))"))
            return
        }
        guard let position = vmalloc.busyPosition(containing: address) else {
            taintWarn = true
            events.append(
                .warning("Trying to vfree() nonexistent vm area (\(SlabReports.pointer(address)))"))
            return
        }
        let id = vmalloc.busy.remove(at: position)
        let area = vmalloc.areas[Int(id)]
        vmalloc.areas[Int(id)].state = .unpurged
        vmalloc.lazy.append(id)
        vmalloc.lazyPages += Int(area.size / KernelLayout.pageSize)
        events.append(.areaUnpurged(address: area.start, size: area.size))
        for pfn in area.pfns {
            releasePages(pfn: pfn, order: 0, events: &events)
        }
        vmalloc.areas[Int(id)].pfns = []
        if area.vpages {
            vfreeArea(area.pagesArea, events: &events)
        } else if area.pagesArray != 0 {
            _ = kfree(area.pagesArray).pointerAndEvents(into: &events)
        }
        _ = kfree(area.vmStruct).pointerAndEvents(into: &events)
        if vmalloc.lazyPages > vmalloc.lazyMaxPages {
            // drain_vmap_area_work (a workqueue in the kernel; at once here).
            purgeLazyAreas(full: false, events: &events)
        }
    }

    /// `__purge_vmap_area_lazy(…, full_pool_decay)`.
    ///
    /// First `decay_va_pool_node` gives back to the global free space a quarter (all, for a
    /// full purge) of every pool, taken from the pool's head. Then each unpurged area, in
    /// address order, goes to CPU 0's node pool of its size when there is more than one vmap
    /// node, the area is at most 256 pages (guard included) and the purge is not full
    /// (`node_pool_add_va`, at the pool head); otherwise it is merged back into the global
    /// free space and its vmap_area object freed.
    mutating func purgeLazyAreas(full: Bool, events: inout [KernelEvent]) {
        var toGlobal: [Int32] = []
        for index in vmalloc.pools.indices where !vmalloc.pools[index].isEmpty {
            var decay = vmalloc.pools[index].count
            if !full { decay >>= 2 }
            for _ in 0..<decay {
                if let id = vmalloc.pools[index].popLast() { toGlobal.append(id) }
            }
        }
        let lazy = vmalloc.lazy.sorted {
            vmalloc.areas[Int($0)].start < vmalloc.areas[Int($1)].start
        }
        var ranges: [VmallocRange] = []
        for id in lazy {
            let area = vmalloc.areas[Int(id)]
            ranges.append(VmallocRange(address: area.start, size: area.size))
            let pages = Int(area.size / KernelLayout.pageSize)
            if !full && vmalloc.nodes > 1 && pages <= VmallocSpace.maxPoolPages {
                vmalloc.pools[pages - 1].append(id)
                vmalloc.areas[Int(id)].state = .pooled
            } else {
                toGlobal.append(id)
            }
        }
        vmalloc.lazy = []
        vmalloc.lazyPages = 0
        if !lazy.isEmpty { events.append(.purged(ranges)) }
        for id in toGlobal {
            let area = vmalloc.areas[Int(id)]
            vmalloc.release(start: area.start, size: area.size)
            vmalloc.areas[Int(id)].state = .purged
            _ = kmemCacheFree(vmapAreaHandle, area.vmapArea).pointerAndEvents(into: &events)
        }
    }
}

extension KernelOutcome {
    /// Appends this outcome's events to `events` and returns its pointer.
    func pointerAndEvents(into events: inout [KernelEvent]) -> KernelPointer? {
        events.append(contentsOf: self.events)
        return pointer
    }
}
