/// `kmem_cache_destroy` (mm/slab_common.c, mm/slub.c `__kmem_cache_shutdown`, Linux 6.18).
extension KernelMachine {
    /// The caller symbol printed by kmem_cache_destroy's warning (`%pS` of `_RET_IP_`): a
    /// fixed, plausible module exit function, like `vmallocCaller`.
    public static let destroyCaller = "demo_exit+0x15/0x30 [demo]"

    /// `kmem_cache_destroy(s)`.
    ///
    /// Drops one reference (a merged cache has one per `kmem_cache_create` that returned
    /// it); only the last one shuts the cache down: `flush_all_cpus_locked` deactivates the
    /// CPU slab (`deactivate_slab`: discarded if empty and the node holds `min_partial`
    /// slabs, to the node partial list head if it has free objects) and moves the CPU
    /// partial slabs to the node (`__put_partials`); `free_partial` discards the empty node
    /// partial slabs and reports each partial slab that still holds objects (`slab_err`
    /// "Objects remaining in %s on __kmem_cache_shutdown()" and one "Object 0x%p
    /// @offset=%tu" line per object in use; CONFIG_SLUB_DEBUG, on in distribution kernels).
    /// If slabs remain, `WARN(err, "%s %s: Slab cache still has objects when called from
    /// %pS")`. Since 6.12 the cache leaves /proc/slabinfo even then (its slabs stay
    /// allocated: a leak); in 6.1 it stayed listed.
    public mutating func kmemCacheDestroy(_ handle: KmemCache) -> KernelOutcome {
        var events: [KernelEvent] = []
        let c = handle.index
        guard !isDead, c < caches.count, !caches[c].destroyed else { return KernelOutcome() }
        caches[c].refcount -= 1
        if caches[c].refcount > 0 { return KernelOutcome() }
        flushCpuSlabs(cache: c, events: &events)
        // free_partial
        var cursor = caches[c].nodePartialHead
        var discard: [Int32] = []
        while cursor >= 0 {
            let next = slabs[Int(cursor)].nextPartial
            if slabs[Int(cursor)].inuse == 0 {
                removePartial(cursor)
                discard.insert(cursor, at: 0)  // list_add: the discard list runs backwards
            } else {
                events.append(.warning(remainingObjectsReport(slab: Int(cursor))))
            }
            cursor = next
        }
        for id in discard { discardSlab(id, events: &events) }
        caches[c].destroyed = true
        if caches[c].nrPartial > 0 || caches[c].nrSlabs > 0 {
            taintWarn = true
            events.append(
                .warning(
                    "kmem_cache_destroy \(caches[c].name): Slab cache still has objects when called from \(Self.destroyCaller)\n"
                        + "WARNING: CPU: 0 PID: 1 at mm/slab_common.c kmem_cache_destroy"))
        }
        return KernelOutcome(events: events)
    }

    /// `flush_all_cpus_locked` for one CPU: `flush_slab` (`deactivate_slab`), then
    /// `put_partials`.
    mutating func flushCpuSlabs(cache c: Int, events: inout [KernelEvent]) {
        let cpu = caches[c].cpuSlab
        if cpu >= 0 {
            caches[c].cpuSlab = -1
            let s = Int(cpu)
            let free = slabs[s].freelistLength()
            slabs[s].inuse = slabs[s].objects - free
            if slabs[s].inuse == 0 && caches[c].nrPartial >= caches[c].geometry.minPartial {
                slabs[s].state = .full
                discardSlab(cpu, events: &events)
            } else if free > 0 {
                addPartial(cpu, tail: false)
            } else {
                slabs[s].state = .full
            }
        }
        let partial = Array(caches[c].cpuPartial.reversed())
        caches[c].cpuPartial = []
        if !partial.isEmpty { putPartials(partial, cache: c, events: &events) }
    }

    /// `list_slab_objects(s, slab, "Objects remaining in %s on __kmem_cache_shutdown()")`:
    /// `slab_err` (banner, `print_slab_info`; taints B) and the objects in use.
    mutating func remainingObjectsReport(slab s: Int) -> String {
        let record = slabs[s]
        let cache = caches[record.cache]
        let base = KernelLayout.address(ofPfn: record.pfn)
        let size = UInt64(cache.geometry.size)
        let fp = record.freeHead >= 0 ? base + UInt64(record.freeHead) * size : nil
        var lines = [
            "=============================================================================",
            "BUG \(cache.name) (\(SlabReports.tainted(badPage: taintBadPage, warn: taintWarn))): "
                + "Objects remaining in \(cache.name) on __kmem_cache_shutdown()",
            "-----------------------------------------------------------------------------",
            "",
            "Slab 0x\(SlabReports.pointer(SlabReports.slabPointer(pfn: record.pfn))) "
                + "objects=\(record.objects) used=\(record.inuse) fp=0x\(SlabReports.pointer(fp)) "
                + "flags=\(SlabReports.pageFlags(order: record.order))",
        ]
        var onFreelist = Array(repeating: false, count: record.objects)
        var i = record.freeHead
        var steps = 0
        while i >= 0 && steps < record.objects {
            onFreelist[Int(i)] = true
            i = record.nextFree[Int(i)]
            steps += 1
        }
        for index in 0..<record.objects where !onFreelist[index] {
            let offset = UInt64(index) * size
            lines.append("Object 0x\(SlabReports.pointer(base + offset)) @offset=\(offset)")
        }
        taintBadPage = true
        return lines.joined(separator: "\n")
    }
}

extension KernelMachine {
    /// Whether the cache behind a handle is still linked (not destroyed).
    public func cacheIsLive(_ handle: KmemCache) -> Bool {
        handle.index < caches.count && !caches[handle.index].destroyed
    }
}
