/// kmalloc, kzalloc, kfree, ksize and the kmem_cache API.
extension KernelMachine {
    /// `kmalloc(size, gfp)`: 0 → `ZERO_SIZE_PTR`; 1...8192 → the kmalloc cache of
    /// `kmalloc_index(size)` in the family `kmalloc_type(gfp)` picks; 8193...4 MiB → `get_order(size)` pages from the page
    /// allocator (`__kmalloc_large_node`); above 4 MiB → NULL with a one-time WARNING.
    public mutating func kmalloc(_ size: UInt64, _ gfp: GFP = .kernel) -> KernelOutcome {
        var events: [KernelEvent] = []
        guard !isDead else { return KernelOutcome() }
        if size > UInt64(KernelLayout.kmallocMaxCacheSize) {
            let order =
                size > KernelLayout.kmallocMaxSize
                ? KernelLayout.maxOrder + 1
                : KernelLayout.order(forSize: size)
            guard order <= KernelLayout.maxOrder else {
                warnOnce(configuration.version.orderTooLargeWarning, gfp: gfp, events: &events)
                return KernelOutcome(pointer: .null, events: events)
            }
            guard
                let pfn = takePages(
                    order: order, use: .kmallocLarge, ref: nil, events: &events, gfp: gfp)
            else {
                return KernelOutcome(pointer: .null, events: events)
            }
            largeKmalloc.insert(pfn)
            let info = PagesInfo(address: KernelLayout.address(ofPfn: pfn), order: order, pfn: pfn)
            return KernelOutcome(pointer: .pages(info), events: events)
        }
        if size == 0 { return KernelOutcome(pointer: .zeroSize) }
        guard let index = Self.kmallocIndex(Int(size)) else { return KernelOutcome(pointer: .null) }
        let cache = kmallocCacheIndex[KmallocType(gfp).rawValue][index]
        guard let object = slabAllocate(cache: cache, events: &events) else {
            return KernelOutcome(pointer: .null, events: events)
        }
        return KernelOutcome(pointer: .slabObject(object), events: events)
    }

    /// `kzalloc(size, gfp)`: kmalloc with `__GFP_ZERO` (zeroes the whole slot).
    public mutating func kzalloc(_ size: UInt64, _ gfp: GFP = .kernel) -> KernelOutcome {
        kmalloc(size, gfp.union(.zero))
    }

    mutating func warnOnce(_ text: String, gfp: GFP, events: inout [KernelEvent]) {
        guard !gfp.contains(.noWarn), !warnedOnce.contains(text) else { return }
        warnedOnce.insert(text)
        taintWarn = true
        events.append(.warning(text))
    }

    /// `kfree(p)`: NULL and `ZERO_SIZE_PTR` are ignored; a slab object goes back to its
    /// slab; a large kmalloc returns its pages; anything else in the direct map gets the
    /// "Not a kmalloc allocation" WARNING and nothing is freed.
    public mutating func kfree(_ address: UInt64) -> KernelOutcome {
        var events: [KernelEvent] = []
        guard !isDead, address > KernelLayout.zeroSizePointer else { return KernelOutcome() }
        guard let page = pageIndex(of: address) else {
            if address >= KernelLayout.pageOffset && address < KernelLayout.vmallocStart {
                events.append(
                    .unsupported(
                        "kfree of \(hex(address)), a direct-map address outside the model's memory")
                )
            } else {
                pageFault(folioOf: address, events: &events)
            }
            return KernelOutcome(events: events)
        }
        switch pageUse[page] {
        case .slab:
            freeSlabObject(address, slab: pageRef[page], cache: nil, events: &events)
        case .kmallocLarge:
            let first = Int(pageRef[page])
            let pfn = buddy.startPfn + first
            largeKmalloc.remove(pfn)
            releasePages(pfn: pfn, order: buddy.allocatedOrder(pfn: pfn) ?? 0, events: &events)
        default:
            warnOnce(KernelWarnings.notKmalloc, gfp: [], events: &events)
        }
        return KernelOutcome(events: events)
    }

    /// Frees a slab object, checking the pointer first (slot boundary).
    mutating func freeSlabObject(
        _ address: UInt64, slab id: Int32, cache expected: Int?, events: inout [KernelEvent]
    ) {
        let s = Int(id)
        let c = slabs[s].cache
        if let expected, expected != c {
            taintWarn = true
            events.append(
                .warning(
                    "cache_from_obj: Wrong slab cache. \(caches[expected].name) but object is from \(caches[c].name)"
                ))
        }
        let base = KernelLayout.address(ofPfn: slabs[s].pfn)
        let offset = Int(address - base)
        let size = caches[c].geometry.size
        let index = offset / size
        guard offset % size == 0, index < slabs[s].objects else {
            if configuration.slabDebug {
                events.append(
                    .warning(
                        debugReport(slab: s, object: address, reason: .invalidPointer(address))))
            } else {
                events.append(
                    .unsupported(
                        "kfree of \(hex(address)), inside an object of \(caches[c].name): without slab_debug the kernel puts it on the freelist as if it were an object"
                    ))
            }
            return
        }
        slabFree(id, index: index, events: &events)
    }

    /// `ksize(p)`: 0 for NULL/ZERO_SIZE_PTR, the slot size for a slab object, `PAGE_SIZE <<
    /// order` for a large kmalloc, `nil` for anything else.
    public func ksize(_ address: UInt64) -> KernelOutcome {
        if address <= KernelLayout.zeroSizePointer { return KernelOutcome(size: 0) }
        guard let page = pageIndex(of: address) else { return KernelOutcome() }
        switch pageUse[page] {
        case .slab:
            let cache = caches[slabs[Int(pageRef[page])].cache]
            return KernelOutcome(size: UInt64(cache.geometry.size))
        case .kmallocLarge:
            let pfn = buddy.startPfn + Int(pageRef[page])
            return KernelOutcome(
                size: KernelLayout.pageSize << UInt64(buddy.allocatedOrder(pfn: pfn) ?? 0))
        default:
            return KernelOutcome()
        }
    }

    /// `kmem_cache_alloc(cache, gfp)`.
    public mutating func kmemCacheAlloc(_ cache: KmemCache, _ gfp: GFP = .kernel) -> KernelOutcome {
        var events: [KernelEvent] = []
        guard !isDead else { return KernelOutcome() }
        guard !caches[cache.index].destroyed else {
            events.append(
                .unsupported(
                    "kmem_cache_alloc on \(cache.name) after kmem_cache_destroy: a use after free of the struct kmem_cache"
                ))
            return KernelOutcome(pointer: .null, events: events)
        }
        guard let object = slabAllocate(cache: cache.index, events: &events) else {
            return KernelOutcome(pointer: .null, events: events)
        }
        return KernelOutcome(pointer: .slabObject(object), events: events)
    }

    /// `kmem_cache_free(cache, p)`.
    ///
    /// With CONFIG_SLAB_FREELIST_HARDENED the object's real
    /// cache is used (`cache_from_obj`), with a WARNING when it differs.
    public mutating func kmemCacheFree(_ cache: KmemCache, _ address: UInt64) -> KernelOutcome {
        var events: [KernelEvent] = []
        guard !isDead, address != 0 else { return KernelOutcome() }
        guard let page = pageIndex(of: address), pageUse[page] == .slab else {
            taintWarn = true
            events.append(.warning("virt_to_cache: Object is not a Slab page!"))
            return KernelOutcome(events: events)
        }
        freeSlabObject(address, slab: pageRef[page], cache: cache.index, events: &events)
        return KernelOutcome(events: events)
    }
}
