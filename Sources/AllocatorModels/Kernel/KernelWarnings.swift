/// The first line of the kernel WARNINGs the model can print, without the source line number
/// and the `+off/len` of the function (not verified for 6.18.2). The real log continues with
/// a register dump and a call trace, which the model leaves out.
enum KernelWarnings {
    /// `WARN_ON_ONCE_GFP(order > MAX_PAGE_ORDER, gfp)` in `__alloc_frozen_pages_noprof`
    /// (mm/page_alloc.c), reached by alloc_pages or a kmalloc above 4 MiB.
    static let orderTooLarge = "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c __alloc_frozen_pages_noprof"
    /// `WARN_ON_ONCE(!size)` in `__vmalloc_node_range_noprof` (mm/vmalloc.c).
    static let vmallocZero = "WARNING: CPU: 0 PID: 1 at mm/vmalloc.c __vmalloc_node_range_noprof"
    /// `WARN_ON_ONCE(!folio_test_large_kmalloc(folio))` in `free_large_kmalloc` (mm/slub.c),
    /// followed by `dump_page`'s reason line.
    static let notKmalloc =
        "WARNING: CPU: 0 PID: 1 at mm/slub.c free_large_kmalloc\npage dumped because: Not a kmalloc allocation"
}
