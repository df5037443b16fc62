/// `/proc/zoneinfo` for the model's one zone.
extension KernelMachine {
    /// The Normal zone's entry of `/proc/zoneinfo` (mm/vmstat.c `zoneinfo_show_print`).
    ///
    /// Limited to the lines the model knows: free pages, the watermarks (6.18 adds `promo`),
    /// the zone's size, the lowmem reserves, each online CPU's pageset (`count`, `high`,
    /// `batch`; 6.18 adds `high_min` and `high_max`) with its `vm stats threshold`, and
    /// `start_pfn`. Left out: the per-node and per-zone vmstat counters (page cache, LRU
    /// lists, NUMA hits), which the model does not keep. Without `pcp=true` every count is 0.
    public func zoneinfo() -> String {
        let t = zoneTuning
        var text = "Node 0, zone " + leftPad("Normal", 8)
        text += "\n  pages free     \(buddy.freePages)"
        text += "\n        boost    0"
        text += "\n        min      \(t.min)"
        text += "\n        low      \(t.low)"
        text += "\n        high     \(t.high)"
        if configuration.version == .v6_18 { text += "\n        promo    \(t.promo)" }
        text += "\n        spanned  \(buddy.pageCount)"
        text += "\n        present  \(buddy.pageCount)"
        text += "\n        managed  \(buddy.pageCount)"
        text += "\n        cma      0"
        text += "\n        protection: (0, 0, 0, 0, 0)"
        text += "\n  pagesets"
        for cpu in 0..<configuration.cpus {
            let lists = cpu == 0 ? perCPU : nil
            let high = lists?.high ?? t.highMin
            text += "\n    cpu: \(cpu)"
            let count = lists?.count ?? 0
            if configuration.version == .v6_18 {
                // 6.18 (as this machine prints it): labels padded to ten columns.
                text += "\n              count:    \(count)"
                text += "\n              high:     \(high)"
                text += "\n              batch:    \(t.batch)"
                text += "\n              high_min: \(t.highMin)"
                text += "\n              high_max: \(t.highMax)"
            } else {
                text += "\n              count: \(count)"
                text += "\n              high:  \(high)"
                text += "\n              batch: \(t.batch)"
            }
            text += "\n  vm stats threshold: \(t.statThreshold)"
        }
        text += "\n  node_unreclaimable:  0"
        text += "\n  start_pfn:           \(buddy.startPfn)\n"
        return text
    }
}
