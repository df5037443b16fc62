import AllocatorModels

/// What the fact extraction remembers between steps.
struct FactState {
    /// What an ID holds, as far as the facts are concerned.
    struct Held {
        /// A slab object's cache and slab pfn (`cache` empty for anything else).
        var cache: String
        var pfn: Int
        /// Whether its slab facts are compared (not in a class vmalloc's own kmallocs share).
        var compared: Bool
        /// A vmalloc area (from kvmalloc's fallback).
        var area: Bool
    }

    /// Per slot: what the ID holds.
    var objects: [Held?]
    /// Per cache: slab pfn → ordinal (1-based, in order of creation in the trace).
    var ordinals: [String: [Int: Int]] = [:]
    var created: [String: Int] = [:]
    /// Caches the model merged into another.
    var merged: Set<String> = []
    /// kmalloc classes shared with vmalloc's own allocations.
    let shared: Set<String>
    /// The release modelled.
    let version: KernelVersion

    init(ids: Int, shared: Set<String>, version: KernelVersion) {
        objects = Array(repeating: nil, count: ids)
        self.shared = shared
        self.version = version
    }

    /// The facts of one step, built in one place.
    struct Builder {
        var facts: [KernelFact] = []
        var skipped: [String] = []
        var comparePages = true

        mutating func add(_ name: String, _ value: String) {
            facts.append(KernelFact(name, value))
        }
    }

    /// The facts of one step: `previous` is what a krealloc'ed ID held before the step,
    /// `ksize` the model's ksize of the pointer the step returned.
    mutating func step(
        _ operation: KernelTraceOperation, outcome: KernelOutcome, delta: Int,
        names: KernelTraceParser, previous: KernelPointer = .null, ksize: UInt64? = nil
    ) -> KernelFactStep {
        var b = Builder()
        var freedArea = false
        switch operation.kind {
        case .kmalloc(let id, _, _, _), .cacheAlloc(let id, _), .kmallocArray(let id, _, _, _, _):
            allocation(id, operation, outcome, names, ksize: ksize, into: &b)
        case .kvmalloc(let id, _, _, _), .kvmallocArray(let id, _, _, _, _):
            if let pointer = outcome.pointer, !path(pointer).isEmpty {
                b.add("path", path(pointer))
            }
            allocation(id, operation, outcome, names, ksize: ksize, into: &b)
        case .krealloc(let id, _, _):
            krealloc(id, outcome, previous, names, ksize: ksize, kv: false, into: &b)
        case .kvrealloc(let id, _, _, _):
            krealloc(id, outcome, previous, names, ksize: ksize, kv: true, into: &b)
        case .allocPages:
            if case .pages(let p)? = outcome.pointer {
                b.add("order", String(p.order))
                split(p.order, outcome.events, into: &b.facts)
            } else {
                b.add("ptr", "NULL")
            }
        case .kfree(let id), .cacheFree(let id), .kvfree(let id):
            freedArea = objects[id]?.area == true
            freed(objects[id], outcome.events, into: &b)
            objects[id] = nil
        case .freePages, .cacheDestroy:
            break
        case .vmalloc:
            if case .vmalloc(let v)? = outcome.pointer {
                area(v, into: &b)
            } else {
                b.add("ptr", "NULL")
            }
            b.skipped.append(KernelTraceFacts.pageTablesReason)
            b.comparePages = false
        case .vfree:
            freedArea = true
        case .cacheCreate(let slot, _, _, _, _):
            let name = names.cacheNames[slot]
            for event in outcome.events {
                switch event {
                case .cacheCreated(_, let g):
                    b.add("cache", name)
                    b.add("objsize", String(g.size))
                    b.add("objperslab", String(g.objectsPerSlab))
                    b.add("pagesperslab", String(1 << g.order))
                case .cacheMerged:
                    merged.insert(name)
                    b.skipped.append(KernelTraceFacts.mergedReason)
                default:
                    break
                }
            }
            b.skipped.append(KernelTraceFacts.cacheCreateReason)
            b.comparePages = false
        }
        if freedArea {
            // vmalloc's own slab pages (vm_struct, vmap_area, page array) come from caches
            // that boot keeps warm in the real kernel: leave them out of the model's count.
            b.add("free_pages", String(delta - sharedSlabPages(outcome.events)))
        } else if b.comparePages {
            b.add("free_pages", String(delta))
        }
        return KernelFactStep(line: operation.line, facts: b.facts, notCompared: b.skipped)
    }

    /// The facts of what an allocating call returned, and what the ID now holds.
    mutating func allocation(
        _ id: Int, _ operation: KernelTraceOperation, _ outcome: KernelOutcome,
        _ names: KernelTraceParser, ksize: UInt64?, into b: inout Builder
    ) {
        objects[id] = nil
        switch outcome.pointer {
        case .slabObject(let o)?:
            var cacheName = o.cache
            if case .cacheAlloc(_, let slot) = operation.kind {
                cacheName = names.cacheNames[slot]
                if merged.contains(cacheName) {
                    b.skipped.append(KernelTraceFacts.mergedReason)
                    b.comparePages = false
                    return
                }
            }
            b.add("cache", cacheName)
            b.add("objsize", String(o.objectSize))
            b.add("objperslab", String(o.objectsPerSlab))
            b.add("pagesperslab", String(o.pagesPerSlab))
            if let ksize { b.add("ksize", String(ksize)) }
            if shared.contains(o.cache) {
                b.skipped.append(KernelTraceFacts.sharedCacheReason)
                b.comparePages = false
                objects[id] = Held(cache: o.cache, pfn: o.slabPfn, compared: false, area: false)
                return
            }
            b.add("slab", slab(o, outcome.events))
            b.add("slot", String(o.index))
            objects[id] = Held(cache: o.cache, pfn: o.slabPfn, compared: true, area: false)
        case .pages(let p)?:
            b.add("order", String(p.order))
            split(p.order, outcome.events, into: &b.facts)
            if let ksize { b.add("ksize", String(ksize)) }
        case .zeroSize?:
            b.add("ptr", "ZERO_SIZE_PTR")
        case .null?, nil:
            b.add("ptr", "NULL")
        case .vmalloc(let v)?:
            // kvmalloc's fallback: the real kernel also maps the area with page tables.
            area(v, into: &b)
            b.skipped.append(KernelTraceFacts.pageTablesReason)
            b.comparePages = false
            objects[id] = Held(cache: "", pfn: 0, compared: false, area: true)
        }
    }

    /// The facts of krealloc and kvrealloc.
    ///
    /// krealloc: size 0 frees; the same object when the size fits (`moved` no); else a new
    /// object (`moved` yes) and the old one freed; NULL leaves the ID on the old object.
    /// kvrealloc (`kv`, 6.1: the same object when `oldsize >= newsize`, else a new kvmalloc
    /// and the old memory kvfree'd) adds the new memory's `path`.
    mutating func krealloc(
        _ id: Int, _ outcome: KernelOutcome, _ previous: KernelPointer,
        _ names: KernelTraceParser, ksize: UInt64?, kv: Bool, into b: inout Builder
    ) {
        let old = objects[id]
        let hadObject = previous.address > KernelLayout.zeroSizePointer
        switch outcome.pointer {
        case .zeroSize?:
            b.add("ptr", "ZERO_SIZE_PTR")
            freed(old, outcome.events, into: &b)
            objects[id] = nil
        case .null?, nil:
            b.add("ptr", "NULL")
        case let pointer?:
            if hadObject && pointer.address == previous.address {
                b.add("moved", "no")
                if let ksize { b.add("ksize", String(ksize)) }
                return
            }
            let operation = KernelTraceOperation(
                kind: .kmalloc(id: id, size: 0, zero: false, gfp: .kernel), line: 0)
            if kv { b.add("path", path(pointer)) }
            allocation(id, operation, outcome, names, ksize: ksize, into: &b)
            if hadObject {
                b.add("moved", "yes")
                if old?.area == true {
                    // The old vmalloc area's pages come back in the same step; the guest's
                    // page tables make that step's count incomparable anyway.
                    b.comparePages = false
                }
                freed(old, outcome.events, into: &b)
            }
        }
    }

    /// The `path` fact of kvmalloc's memory: `slab`, `pages`, `vmalloc` (empty for NULL).
    func path(_ pointer: KernelPointer) -> String {
        switch pointer {
        case .slabObject: return "slab"
        case .pages: return "pages"
        case .vmalloc: return "vmalloc"
        case .null, .zeroSize: return ""
        }
    }

    /// `slab_freed` of a freed slab object whose slab facts are compared.
    mutating func freed(_ object: Held?, _ events: [KernelEvent], into b: inout Builder) {
        guard let object, !object.cache.isEmpty else { return }
        guard object.compared else {
            b.skipped.append(KernelTraceFacts.sharedCacheReason)
            b.comparePages = false
            return
        }
        let discarded = events.contains {
            if case .slabDiscarded(let cache, let pfn, _) = $0 {
                return cache == object.cache && pfn == object.pfn
            }
            return false
        }
        b.add("slab_freed", discarded ? "yes" : "no")
        if discarded { ordinals[object.cache]?[object.pfn] = nil }
    }

    /// A vmalloc area's size (with the guard page), pages, page array and vm_struct caches.
    func area(_ v: VmallocAreaInfo, into b: inout Builder) {
        b.add("size", String(v.size))
        b.add("pages", String(v.pfns.count))
        let pages = UInt64(v.pfns.count)
        let array =
            pages * 8 > KernelLayout.pageSize
            ? "vmalloc" : KernelMachine.kmallocCacheName(forSize: Int(pages * 8)) ?? "?"
        b.add("page_array", array)
        let vmStruct = KernelMachine.kmallocCacheName(forSize: Int(version.vmStructSize))
        b.add("vm_struct", vmStruct ?? "?")
    }

    /// Pages that slab caches took (negative) or gave back (positive) during the step.
    func sharedSlabPages(_ events: [KernelEvent]) -> Int {
        var pages = 0
        for event in events {
            switch event {
            case .newSlab(_, _, let order, _): pages -= 1 << order
            case .slabDiscarded(_, _, let order): pages += 1 << order
            default: break
            }
        }
        return pages
    }

    /// `new slab K` or `slab K`: the object's slab, numbered per cache in creation order.
    mutating func slab(_ o: SlabObjectInfo, _ events: [KernelEvent]) -> String {
        let isNew = events.contains {
            if case .newSlab(let cache, let pfn, _, _) = $0 {
                return cache == o.cache && pfn == o.slabPfn
            }
            return false
        }
        if isNew || ordinals[o.cache]?[o.slabPfn] == nil {
            let n = (created[o.cache] ?? 0) + 1
            created[o.cache] = n
            ordinals[o.cache, default: [:]][o.slabPfn] = n
            return "new slab \(n)"
        }
        return "slab \(ordinals[o.cache]?[o.slabPfn] ?? 0)"
    }

    /// The split rule, for orders the real kernel serves from its free lists.
    func split(_ order: Int, _ events: [KernelEvent], into facts: inout [KernelFact]) {
        guard KernelTraceFacts.splitVisible(order) else { return }
        for case .buddyAllocated(let a) in events where a.block.order == order {
            let low = a.block.pfn == a.source.pfn
            facts.append(KernelFact("split", low ? "smallest free block, low half" : "other block"))
            return
        }
    }
}
