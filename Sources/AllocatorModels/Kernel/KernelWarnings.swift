/// The first line of the kernel WARNINGs the model can print.
///
/// Without the source line number and the `+off/len` of the function (not verified for 6.18.2). The real log continues with
/// a register dump and a call trace, which the model leaves out.
enum KernelWarnings {
    /// `WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER, gfp)` in `__alloc_frozen_pages_noprof`
    /// (mm/page_alloc.c), reached by alloc_pages or a kmalloc above 4 MiB.
    static let orderTooLarge =
        "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c __alloc_frozen_pages_noprof"
    /// `WARN_ON_ONCE(!size)` in `__vmalloc_node_range_noprof` (mm/vmalloc.c).
    static let vmallocZero = "WARNING: CPU: 0 PID: 1 at mm/vmalloc.c __vmalloc_node_range_noprof"
    /// `WARN_ON_ONCE(!folio_test_large_kmalloc(folio))` in `free_large_kmalloc` (mm/slub.c),
    /// followed by `dump_page`'s reason line.
    static let notKmalloc =
        "WARNING: CPU: 0 PID: 1 at mm/slub.c free_large_kmalloc\npage dumped because: Not a kmalloc allocation"

    /// `warn_alloc(gfp, NULL, fmt, …)` (mm/page_alloc.c) as the lesson's module (`insmod`)
    /// would print it on a one-node machine: `comm: message, mode:%#x(%pGg),
    /// nodemask=(null),cpuset=/,mems_allowed=0`.
    static func warnAlloc(_ message: String, gfp: GFP) -> String {
        "insmod: \(message), mode:\(hex(UInt64(gfp.rawValue)))(\(gfp.flagNames)), nodemask=(null),cpuset=/,mems_allowed=0"
    }
}

extension GFP {
    /// `%pGg`: the composite names first (GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT), then the
    /// remaining `__GFP_*` bits, joined by `|`.
    var flagNames: String {
        var names: [String] = []
        var rest = self
        for (mask, name) in [
            (GFP.kernel, "GFP_KERNEL"), (GFP.atomic, "GFP_ATOMIC"), (GFP.noWait, "GFP_NOWAIT"),
        ]
        where rest.isSuperset(of: mask) {
            names.append(name)
            rest.subtract(mask)
        }
        let bits: [(GFP, String)] = [
            (.high, "__GFP_HIGH"), (.io, "__GFP_IO"), (.fs, "__GFP_FS"), (.zero, "__GFP_ZERO"),
            (.directReclaim, "__GFP_DIRECT_RECLAIM"), (.kswapdReclaim, "__GFP_KSWAPD_RECLAIM"),
            (.noWarn, "__GFP_NOWARN"), (.account, "__GFP_ACCOUNT"),
        ]
        for (bit, name) in bits where rest.contains(bit) {
            names.append(name)
            rest.subtract(bit)
        }
        return names.isEmpty ? "none" : names.joined(separator: "|")
    }
}
