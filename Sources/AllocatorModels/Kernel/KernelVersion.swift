/// Which Linux release the kernel model follows.
///
/// The model is written for 6.18; the 6.1 LTS profile (Debian 12's kernel, the one
/// `verify=kernel` boots) changes what a 6.1 kernel does differently in the parts the model
/// covers, as measured in a real 6.1.192 guest:
/// - `vm_struct` is 64 bytes (kmalloc-64); 6.18's is 72 (kmalloc-96).
/// - vmalloc has one global free space and lazy-purge list: no vmap nodes and no per-node,
///   per-size pools of purged areas (both came in 6.9).
/// - The page allocator's limit is `MAX_ORDER` 11, exclusive (orders 0...10), where 6.18 has
///   `MAX_PAGE_ORDER` 10, inclusive: the same eleven orders under another name and test
///   (`order >= MAX_ORDER`), reported by the WARNING of `__alloc_pages`.
/// - The WARNINGs name the 6.1 functions (`__alloc_pages`, `__vmalloc_node_range`).
public enum KernelVersion: String, Hashable, Sendable, CaseIterable {
    /// Linux 6.1 LTS.
    case v6_1 = "6.1"
    /// Linux 6.18 (the default).
    case v6_18 = "6.18"

    /// The model's default release.
    public static let standard = KernelVersion.v6_18

    /// `sizeof(struct vm_struct)`, allocated with kzalloc by `__get_vm_area_node`.
    public var vmStructSize: UInt64 {
        switch self {
        case .v6_1: return 64
        case .v6_18: return 72
        }
    }

    /// Whether vmalloc has vmap nodes with per-size pools of purged areas.
    public var hasVmapNodes: Bool { self == .v6_18 }

    /// How the source names the largest order (`MAX_ORDER` exclusive in 6.1,
    /// `MAX_PAGE_ORDER` inclusive since 6.4/6.8); both allow orders 0...10.
    public var maxOrderName: String {
        switch self {
        case .v6_1: return "MAX_ORDER (11, exclusive)"
        case .v6_18: return "MAX_PAGE_ORDER (10, inclusive)"
        }
    }

    /// The first line of the WARNING for an order above 10 (alloc_pages, kmalloc > 4 MiB).
    var orderTooLargeWarning: String {
        switch self {
        case .v6_1: return "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c __alloc_pages"
        case .v6_18: return KernelWarnings.orderTooLarge
        }
    }

    /// The first line of the WARNING for `vmalloc(0)`.
    var vmallocZeroWarning: String {
        switch self {
        case .v6_1: return "WARNING: CPU: 0 PID: 1 at mm/vmalloc.c __vmalloc_node_range"
        case .v6_18: return KernelWarnings.vmallocZero
        }
    }
}
