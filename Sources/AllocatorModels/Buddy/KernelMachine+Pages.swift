/// `alloc_pages` and `__free_pages` for the lesson's own page allocations.
extension KernelMachine {
    /// `alloc_pages(gfp, order)`: a block of `1 << order` pages, its direct-map address, or
    /// NULL (order above 10 also prints a one-time WARNING unless `__GFP_NOWARN`).
    public mutating func allocPages(_ gfp: GFP = .kernel, order: Int) -> KernelOutcome {
        var events: [KernelEvent] = []
        guard !isDead else { return KernelOutcome() }
        guard order >= 0, order <= KernelLayout.maxOrder else {
            warnOnce(configuration.version.orderTooLargeWarning, gfp: gfp, events: &events)
            return KernelOutcome(pointer: .null, events: events)
        }
        guard
            let pfn = takePages(order: order, use: .pages, ref: nil, events: &events, gfp: gfp)
        else {
            return KernelOutcome(pointer: .null, events: events)
        }
        pageBlocks.insert(pfn)
        let info = PagesInfo(address: KernelLayout.address(ofPfn: pfn), order: order, pfn: pfn)
        return KernelOutcome(pointer: .pages(info), events: events)
    }

    /// `__free_pages(page, order)` for a block `allocPages` returned (given by its address).
    public mutating func freePages(_ address: UInt64, order: Int) -> KernelOutcome {
        var events: [KernelEvent] = []
        guard !isDead, address != 0 else { return KernelOutcome() }
        guard let index = pageIndex(of: address), address % KernelLayout.pageSize == 0,
            pageBlocks.contains(buddy.startPfn + index),
            buddy.isAllocated(pfn: buddy.startPfn + index, order: order)
        else {
            events.append(
                .unsupported(
                    "__free_pages of \(hex(address)) order \(order), which is not a block alloc_pages returned with that order"
                ))
            return KernelOutcome(events: events)
        }
        let pfn = buddy.startPfn + index
        pageBlocks.remove(pfn)
        releasePages(pfn: pfn, order: order, events: &events)
        return KernelOutcome(events: events)
    }
}
