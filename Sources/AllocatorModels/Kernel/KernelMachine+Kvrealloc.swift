/// kvmalloc_array, kvcalloc, kvrealloc and what ksize does with any pointer.
extension KernelMachine {
    /// `kvmalloc_array(n, size, gfp)` (include/linux/slab.h, the same in 6.1 and 6.18): NULL
    /// without a warning when `n * size` overflows `size_t` (`check_mul_overflow`), otherwise
    /// `kvmalloc(n * size, gfp)`.
    public mutating func kvmallocArray(_ count: UInt64, _ size: UInt64, _ gfp: GFP = .kernel)
        -> KernelOutcome
    {
        array(count, size) { (m: inout KernelMachine, bytes) in m.kvmalloc(bytes, gfp) }
    }

    /// `kvcalloc(n, size, gfp)`: `kvmalloc_array(n, size, gfp | __GFP_ZERO)`.
    public mutating func kvcalloc(_ count: UInt64, _ size: UInt64, _ gfp: GFP = .kernel)
        -> KernelOutcome
    {
        kvmallocArray(count, size, gfp.union(.zero))
    }

    /// 6.1's `kvrealloc(p, oldsize, newsize, gfp)` (mm/util.c).
    ///
    /// The caller says how big `p` is. `oldsize >= newsize` returns `p` untouched (also for `newsize` 0: nothing is
    /// freed); otherwise always a new `kvmalloc(newsize)` (never an in-place krealloc), the
    /// old contents copied, `kvfree(p)`; NULL (with `p` still valid) when that fails.
    public mutating func kvrealloc(
        _ address: UInt64, oldSize: UInt64, newSize: UInt64, _ gfp: GFP = .kernel
    ) -> KernelOutcome {
        guard !isDead else { return KernelOutcome() }
        if oldSize >= newSize {
            return KernelOutcome(pointer: address == 0 ? .null : pointerInfo(at: address))
        }
        var outcome = kvmalloc(newSize, gfp)
        guard let new = outcome.pointer, new != .null, address > KernelLayout.zeroSizePointer
        else { return outcome }
        outcome.events += kvfree(address).events
        return outcome
    }

    /// 6.18's `kvrealloc(p, size, gfp)` (mm/slub.c `kvrealloc_node_align_noprof`; mm/util.c
    /// `kvrealloc_noprof` since 6.12): a vmalloc address goes to `vrealloc`, anything else to
    /// `krealloc` with `kmalloc_gfp_adjust`'s flags, and when that fails to `kvmalloc(size)`,
    /// the old `ksize(p)` bytes copied and `p` kfree'd.
    ///
    /// `vrealloc` (mm/vmalloc.c): size 0 vfrees and returns NULL; an address that starts no
    /// vmalloc area gets `WARN(1, "Trying to vrealloc() nonexistent vm area (%p)")` and NULL;
    /// a size within the area's mapped pages returns `p` (nothing is unmapped); a larger one
    /// is a new `__vmalloc` (no huge mappings), the old contents copied, `vfree(p)`.
    public mutating func kvrealloc(_ address: UInt64, size: UInt64, _ gfp: GFP = .kernel)
        -> KernelOutcome
    {
        guard !isDead else { return KernelOutcome() }
        if address >= KernelLayout.vmallocStart && address <= KernelLayout.vmallocEnd {
            return vrealloc(address, size: size, gfp)
        }
        var outcome = krealloc(address, size, kmallocGfpAdjust(gfp, size: size))
        if outcome.bug != nil { return outcome }
        if let p = outcome.pointer, p != .null { return outcome }
        let fallback = kvmalloc(size, gfp)
        outcome.events += fallback.events
        outcome.pointer = fallback.pointer
        if let new = fallback.pointer, new != .null, address > KernelLayout.zeroSizePointer {
            outcome.events += kfree(address).events
        }
        return outcome
    }

    /// `vrealloc(p, size, gfp)`, as `kvrealloc` describes.
    mutating func vrealloc(_ address: UInt64, size: UInt64, _ gfp: GFP) -> KernelOutcome {
        if size == 0 {
            var outcome = vfree(address)
            outcome.pointer = .null
            return outcome
        }
        guard case .vmalloc(let area)? = pointerInfo(at: address), area.address == address else {
            return KernelOutcome(
                pointer: .null,
                events: [
                    .warning(
                        "WARNING: CPU: 0 PID: 1 at mm/vmalloc.c vrealloc_node_align_noprof\n"
                            + "Trying to vrealloc() nonexistent vm area (\(hex(address)))")
                ])
        }
        let mapped = UInt64(area.pfns.count) * KernelLayout.pageSize
        if size <= mapped { return KernelOutcome(pointer: .vmalloc(area)) }
        var outcome = vmallocArea(size, gfp: gfp)
        guard let new = outcome.pointer, new != .null else { return outcome }
        outcome.events += vfree(address).events
        return outcome
    }

    /// What a pointer the model handed out is now: the slab object, large kmalloc, page
    /// block or vmalloc area it starts; `nil` for anything else.
    public func pointerInfo(at address: UInt64) -> KernelPointer? {
        if address >= KernelLayout.vmallocStart && address <= KernelLayout.vmallocEnd {
            for id in vmalloc.busy where vmalloc.areas[Int(id)].start == address {
                let area = vmalloc.areas[Int(id)]
                return .vmalloc(
                    VmallocAreaInfo(address: area.start, size: area.size, pfns: area.pfns))
            }
            return nil
        }
        guard let page = pageIndex(of: address) else { return nil }
        switch pageUse[page] {
        case .slab:
            let s = Int(pageRef[page])
            let offset = Int(address - KernelLayout.address(ofPfn: slabs[s].pfn))
            let slot = caches[slabs[s].cache].geometry.size
            guard offset % slot == 0, offset / slot < slabs[s].objects else { return nil }
            return .slabObject(objectInfo(slab: s, index: offset / slot))
        case .kmallocLarge, .pages:
            let pfn = buddy.startPfn + Int(pageRef[page])
            guard KernelLayout.address(ofPfn: pfn) == address,
                let order = buddy.allocatedOrder(pfn: pfn)
            else { return nil }
            return .pages(PagesInfo(address: address, order: order, pfn: pfn))
        default:
            return nil
        }
    }

    /// `ksize(p)` as the kernel runs it, warnings and oops included.
    ///
    /// mm/slab_common.c `ksize`/`__ksize` in 6.1; mm/slub.c in 6.18, the same rules: 0 for NULL and ZERO_SIZE_PTR; the slot size of a slab object
    /// (`slab_ksize`); `PAGE_SIZE << order` for the start of a large kmalloc. Any other
    /// direct-map page is not a slab folio: `WARN_ON(folio_size <= KMALLOC_MAX_CACHE_SIZE)`
    /// (an order-0 or order-1 page) or `WARN_ON(object != folio_address)` (inside a large
    /// kmalloc, or an alloc_pages block without `__GFP_COMP`, whose folio is its first page),
    /// each returning 0. A vmalloc address has no folio: `virt_to_folio` reads a `struct
    /// page` in unbacked vmemmap and the kernel oopses, as kfree does.
    public mutating func ksizeCall(_ address: UInt64) -> KernelOutcome {
        guard !isDead else { return KernelOutcome() }
        if address <= KernelLayout.zeroSizePointer { return KernelOutcome(size: 0) }
        let known = ksize(address)
        if known.size != nil, case .pages? = pointerInfo(at: address) {
            return known
        }
        if known.size != nil, pageIndex(of: address).map({ pageUse[$0] == .slab }) == true {
            return known
        }
        var events: [KernelEvent] = []
        guard pageIndex(of: address) != nil else {
            if address >= KernelLayout.pageOffset && address < KernelLayout.vmallocStart {
                events.append(
                    .unsupported(
                        "ksize of \(hex(address)), a direct-map address outside the model's memory"
                    ))
            } else {
                pageFault(folioOf: address, events: &events)
            }
            return KernelOutcome(events: events)
        }
        let file =
            configuration.version == .v6_1 ? "mm/slab_common.c __ksize" : "mm/slub.c __ksize"
        // Not a slab folio: one of the two WARN_ONs fires (the model prints the first line
        // only, so which one does not show) and ksize is 0.
        events.append(.warning("WARNING: CPU: 0 PID: 1 at \(file)"))
        taintWarn = true
        return KernelOutcome(events: events, size: 0)
    }
}
