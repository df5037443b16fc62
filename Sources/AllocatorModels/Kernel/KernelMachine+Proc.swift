/// The /proc files: `slabinfo` (version 2.1) and `vmallocinfo`.
extension KernelMachine {
    /// `/proc/slabinfo`.
    ///
    /// The two header lines, then one line per cache, newest first
    /// (the lesson's caches, vmap_area, kmalloc-8k … kmalloc-8, kmalloc-192, kmalloc-96).
    /// Only the caches the model has are listed: the four kmalloc families and vmap_area,
    /// none of the hundreds of other caches a real kernel has. Counts start from zero at boot.
    public func slabinfo() -> String {
        var text = "slabinfo - version: 2.1\n"
        text += "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
        text += " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs>"
        text += " <num_slabs> <sharedavail>\n"
        for c in caches.indices.reversed() where !caches[c].destroyed {
            text += slabinfoLine(cache: c)
        }
        return text
    }

    /// One /proc/slabinfo line (`cache_show`).
    func slabinfoLine(cache c: Int) -> String {
        let cache = caches[c]
        var free = 0
        var id = cache.nodePartialHead
        while id >= 0 {
            free += slabs[Int(id)].objects - slabs[Int(id)].inuse
            id = slabs[Int(id)].nextPartial
        }
        let active = cache.totalObjects - free
        var line = rightPad(cache.name, 17)
        line += " " + leftPad(String(active), 6)
        line += " " + leftPad(String(cache.totalObjects), 6)
        line += " " + leftPad(String(cache.geometry.size), 6)
        line += " " + leftPad(String(cache.geometry.objectsPerSlab), 4)
        line += " " + leftPad(String(cache.geometry.pagesPerSlab), 4)
        line += " : tunables    0    0    0 : slabdata "
        line += leftPad(String(cache.nrSlabs), 6) + " " + leftPad(String(cache.nrSlabs), 6)
        line += "      0\n"
        return line
    }

    /// `/proc/vmallocinfo` as root with `kptr_restrict=1` (real addresses).
    ///
    /// In the order of `vmalloc_info_show`: each vmap node's busy areas in address order, node after node,
    /// then the unpurged ones (all on CPU 0's node, in address order). An area's node is
    /// `(addr / vmap_zone_size) % nr_vmap_nodes`, with nr_vmap_nodes = min(CPUs, 128) and
    /// 16-page zones on SMP (`vmap_init_nodes`, `addr_to_node_id`).
    public func vmallocinfo() -> String {
        var text = ""
        let nodes = min(max(configuration.cpus, 1), 128)
        let zone = 16 * KernelLayout.pageSize
        let busy = vmalloc.busy.enumerated().sorted { a, b in
            let na = nodes > 1 ? (vmalloc.areas[Int(a.element)].start / zone) % UInt64(nodes) : 0
            let nb = nodes > 1 ? (vmalloc.areas[Int(b.element)].start / zone) % UInt64(nodes) : 0
            return na != nb ? na < nb : a.offset < b.offset
        }.map { $0.element }
        for id in busy {
            let area = vmalloc.areas[Int(id)]
            text += Self.rangeText(area.start, area.size)
            text += " \(Self.vmallocCaller) pages=\(area.pfns.count) vmalloc"
            if area.vpages { text += " vpages" }
            text += " N0=\(area.pfns.count)\n"
        }
        let unpurged = vmalloc.lazy.sorted {
            vmalloc.areas[Int($0)].start < vmalloc.areas[Int($1)].start
        }
        for id in unpurged {
            let area = vmalloc.areas[Int(id)]
            text += Self.rangeText(area.start, area.size) + " unpurged vm_area\n"
        }
        return text
    }

    /// `"0x%pK-0x%pK %7ld"`.
    static func rangeText(_ start: UInt64, _ size: UInt64) -> String {
        "0x" + String(start, radix: 16).leftPadded(to: 16) + "-0x"
            + String(start + size, radix: 16).leftPadded(to: 16) + " " + leftPad(String(size), 7)
    }
}
