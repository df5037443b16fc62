/// The helpers drivers call around kmalloc: kmalloc_array, kcalloc, krealloc, kvmalloc,
/// kvzalloc, kvfree, and what kfree/krealloc do with an address kmalloc never returned.
extension KernelMachine {
    /// `kmalloc_array(n, size, gfp)` (include/linux/slab.h): NULL without a warning when
    /// `n * size` overflows `size_t` (`check_mul_overflow`), otherwise `kmalloc(n * size)`.
    public mutating func kmallocArray(_ count: UInt64, _ size: UInt64, _ gfp: GFP = .kernel)
        -> KernelOutcome
    {
        array(count, size) { (m: inout KernelMachine, bytes) in m.kmalloc(bytes, gfp) }
    }

    /// The `*_array` helpers: NULL without a warning when `count * size` overflows `size_t`
    /// (`check_mul_overflow`), else `allocate(count * size)`.
    mutating func array(
        _ count: UInt64, _ size: UInt64, _ allocate: (inout KernelMachine, UInt64) -> KernelOutcome
    ) -> KernelOutcome {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
        guard !isDead else { return KernelOutcome() }
        if overflow { return KernelOutcome(pointer: .null) }
        return allocate(&self, bytes)
    }

    /// `kcalloc(n, size, gfp)`: `kmalloc_array(n, size, gfp | __GFP_ZERO)`.
    public mutating func kcalloc(_ count: UInt64, _ size: UInt64, _ gfp: GFP = .kernel)
        -> KernelOutcome
    {
        kmallocArray(count, size, gfp.union(.zero))
    }

    /// `krealloc(p, size, gfp)` (mm/slub.c `krealloc_node_align_noprof` and
    /// `__do_krealloc`; mm/slab_common.c in 6.1).
    ///
    /// Size 0 frees `p` and returns `ZERO_SIZE_PTR`. When the new size fits in what `p`
    /// already has (6.1: `ksize(p)`, the slot size; 6.18: the cache's object size; the whole
    /// folio of a large kmalloc) `p` is
    /// returned unchanged: krealloc never moves an object to a smaller cache. Otherwise a
    /// new object is kmalloc'ed with `gfp`, the old contents copied and `p` freed; if the
    /// kmalloc fails `p` stays valid and NULL is returned. A pointer outside the direct map
    /// (a vmalloc address) faults in `virt_to_folio`, as in kfree.
    public mutating func krealloc(_ address: UInt64, _ size: UInt64, _ gfp: GFP = .kernel)
        -> KernelOutcome
    {
        guard !isDead else { return KernelOutcome() }
        if size == 0 {
            var outcome = kfree(address)
            outcome.pointer = outcome.bug == nil ? .zeroSize : nil
            return outcome
        }
        guard address > KernelLayout.zeroSizePointer else { return kmalloc(size, gfp) }
        guard let page = pageIndex(of: address) else {
            var events: [KernelEvent] = []
            pageFault(folioOf: address, events: &events)
            return KernelOutcome(events: events)
        }
        var kept: KernelPointer?
        switch pageUse[page] {
        case .slab:
            let s = Int(pageRef[page])
            let c = slabs[s].cache
            let base = KernelLayout.address(ofPfn: slabs[s].pfn)
            let offset = Int(address - base)
            let slot = caches[c].geometry.size
            // What the object has: 6.1's `__do_krealloc` asks `__ksize`, which is
            // `slab_ksize(s)`, the slot size `s->size` (mm/slab.h); 6.18's asks the cache's
            // `s->object_size` (mm/slub.c `__do_krealloc`).
            let fits = configuration.version == .v6_1 ? slot : caches[c].objectSize
            if offset % slot == 0, offset / slot < slabs[s].objects, size <= UInt64(fits) {
                kept = .slabObject(objectInfo(slab: s, index: offset / slot))
            }
        case .kmallocLarge:
            let pfn = buddy.startPfn + Int(pageRef[page])
            let order = buddy.allocatedOrder(pfn: pfn) ?? 0
            if size <= KernelLayout.pageSize << UInt64(order) {
                kept = .pages(PagesInfo(address: address, order: order, pfn: pfn))
            }
        default:
            break
        }
        if let kept { return KernelOutcome(pointer: kept) }
        var outcome = kmalloc(size, gfp)
        guard let new = outcome.pointer, new.address > KernelLayout.zeroSizePointer else {
            return outcome
        }
        outcome.events += kfree(address).events
        return outcome
    }

    /// `kvmalloc(size, gfp)` (mm/slub.c `__kvmalloc_node_noprof`, 6.18).
    ///
    /// kmalloc first. Above one page the kmalloc attempt gets `kmalloc_gfp_adjust`'s flags:
    /// `__GFP_NOWARN`, no `__GFP_DIRECT_RECLAIM` unless `__GFP_RETRY_MAYFAIL` (6.1 adds
    /// `__GFP_NORETRY` instead), no `__GFP_NOFAIL`. When it fails and the size is above one
    /// page: NULL for a caller that may not sleep (GFP_ATOMIC, GFP_NOWAIT), NULL with a
    /// one-time WARNING above INT_MAX (unless `__GFP_NOWARN`), otherwise vmalloc with
    /// VM_ALLOW_HUGE_VMAP: from 2 MiB on, 2 MiB-aligned and backed by order-9 blocks where
    /// the buddy allocator has them (`vmallocArea(_:gfp:hugeAllowed:)`).
    public mutating func kvmalloc(_ size: UInt64, _ gfp: GFP = .kernel) -> KernelOutcome {
        guard !isDead else { return KernelOutcome() }
        var outcome = kmalloc(size, kmallocGfpAdjust(gfp, size: size))
        if let p = outcome.pointer, p != .null { return outcome }
        if size <= KernelLayout.pageSize || !gfp.allowsBlocking { return outcome }
        if size > UInt64(Int32.max) {
            warnOnce(KernelWarnings.kvmallocTooLarge, gfp: gfp, events: &outcome.events)
            return outcome
        }
        let fallback = vmallocArea(size, gfp: gfp, hugeAllowed: true)
        return KernelOutcome(pointer: fallback.pointer, events: outcome.events + fallback.events)
    }

    /// `kmalloc_gfp_adjust`: the flags of kvmalloc's kmalloc attempt.
    ///
    /// mm/util.c in 6.1 and 6.12; 6.18 as the model's kvmalloc describes. Above one page `__GFP_NOWARN`, no `__GFP_NOFAIL`, and unless
    /// `__GFP_RETRY_MAYFAIL` 6.1 adds `__GFP_NORETRY` where 6.18 drops
    /// `__GFP_DIRECT_RECLAIM`. The difference shows with per-CPU lists: a 6.1 attempt may
    /// still drain them and retry (`__alloc_pages_direct_reclaim`), a 6.18 one may not.
    func kmallocGfpAdjust(_ gfp: GFP, size: UInt64) -> GFP {
        guard size > KernelLayout.pageSize else { return gfp }
        var flags = gfp
        flags.insert(.noWarn)
        if !gfp.contains(.retryMayFail) {
            switch configuration.version {
            case .v6_1: flags.insert(.noRetry)
            case .v6_18: flags.remove(.directReclaim)
            }
        }
        flags.remove(.noFail)
        return flags
    }

    /// `kvzalloc(size, gfp)`: kvmalloc with `__GFP_ZERO`.
    public mutating func kvzalloc(_ size: UInt64, _ gfp: GFP = .kernel) -> KernelOutcome {
        kvmalloc(size, gfp.union(.zero))
    }

    /// `kvfree(p)`: `is_vmalloc_addr(p)` ? vfree : kfree.
    public mutating func kvfree(_ address: UInt64) -> KernelOutcome {
        if address >= KernelLayout.vmallocStart && address <= KernelLayout.vmallocEnd {
            return vfree(address)
        }
        return kfree(address)
    }

    /// The oops of `virt_to_folio(p)` for an address outside the direct map.
    ///
    /// Without CONFIG_DEBUG_VIRTUAL `__pa(p)` is `p - PAGE_OFFSET`, the `struct page` is
    /// `vmemmap + pfn`, and `page_folio` reads its `compound_head` (offset 8). For a
    /// vmalloc address that struct page lies in a part of the vmemmap that no memory
    /// backs, so the read faults and the kernel oopses (arch/x86/mm/fault.c
    /// `page_fault_oops`, `show_fault_oops`; arch/x86/kernel/dumpstack.c `__die_header`).
    /// Derived from the source; not observed on a real kernel.
    mutating func pageFault(folioOf address: UInt64, events: inout [KernelEvent]) {
        let pfn = (address &- KernelLayout.pageOffset) >> UInt64(KernelLayout.pageShift)
        let read = SlabReports.vmemmapStart &+ pfn &* 64 &+ 8
        die(
            "BUG: unable to handle page fault for address: \(String(read, radix: 16).leftPadded(to: 16))\n"
                + "#PF: supervisor read access in kernel mode\n"
                + "#PF: error_code(0x0000) - not-present page\n"
                + "Oops: 0000 [#1] SMP NOPTI",
            events: &events)
    }
}
