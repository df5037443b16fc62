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

    /// `WARN_ON_ONCE(!(flags & __GFP_NOWARN))` for a size above INT_MAX in
    /// `__kvmalloc_node_noprof` (mm/slub.c; mm/util.c `kvmalloc_node` in 6.1).
    static let kvmallocTooLarge =
        "WARNING: CPU: 0 PID: 1 at mm/slub.c __kvmalloc_node_noprof"

    /// `warn_alloc(gfp, NULL, fmt, …)` (mm/page_alloc.c) as the lesson's module (`insmod`)
    /// would print it on a one-node machine: `comm: message, mode:%#x(%pGg),
    /// nodemask=(null),cpuset=/,mems_allowed=0`.
    static func warnAlloc(_ message: String, gfp: GFP) -> String {
        "insmod: \(message), mode:\(hex(UInt64(gfp.rawValue)))(\(gfp.flagNames)), nodemask=(null),cpuset=/,mems_allowed=0"
    }
}

extension GFP {
    /// `%pGg`: the names of `__def_gfpflag_names` (include/trace/events/mmflags.h) in
    /// their order, composites first, each printed when all of its bits are still set and
    /// then removed (lib/vsprintf.c `format_flags`), joined by `|`.
    var flagNames: String {
        var names: [String] = []
        var rest = self
        let table: [(GFP, String)] = [
            (.highUserMovable, "GFP_HIGHUSER_MOVABLE"), (.highUser, "GFP_HIGHUSER"),
            (.user, "GFP_USER"), (.kernelAccount, "GFP_KERNEL_ACCOUNT"), (.kernel, "GFP_KERNEL"),
            (.noFS, "GFP_NOFS"), (.atomic, "GFP_ATOMIC"), (.noIO, "GFP_NOIO"),
            (.noWait, "GFP_NOWAIT"), (.gfpDMA, "GFP_DMA"), (.highmem, "__GFP_HIGHMEM"),
            (.gfpDMA32, "GFP_DMA32"), (.high, "__GFP_HIGH"), (.io, "__GFP_IO"),
            (.fs, "__GFP_FS"), (.noWarn, "__GFP_NOWARN"), (.retryMayFail, "__GFP_RETRY_MAYFAIL"),
            (.noFail, "__GFP_NOFAIL"), (.noRetry, "__GFP_NORETRY"), (.comp, "__GFP_COMP"),
            (.zero, "__GFP_ZERO"), (.hardwall, "__GFP_HARDWALL"),
            (.reclaimable, "__GFP_RECLAIMABLE"), (.movable, "__GFP_MOVABLE"),
            (.account, "__GFP_ACCOUNT"), ([.directReclaim, .kswapdReclaim], "__GFP_RECLAIM"),
            (.directReclaim, "__GFP_DIRECT_RECLAIM"), (.kswapdReclaim, "__GFP_KSWAPD_RECLAIM"),
        ]
        for (mask, name) in table where !mask.isEmpty && rest.isSuperset(of: mask) {
            names.append(name)
            rest.subtract(mask)
        }
        return names.isEmpty ? "none" : names.joined(separator: "|")
    }
}
