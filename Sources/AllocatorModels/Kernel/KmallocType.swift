/// The kmalloc cache families (`enum kmalloc_cache_type`, include/linux/slab.h, Linux 6.18
/// with CONFIG_ZONE_DMA and CONFIG_MEMCG on and CONFIG_RANDOM_KMALLOC_CACHES off, as on a
/// distribution kernel).
///
/// The cases are in the kernel's enum order (NORMAL, RECLAIM, DMA, CGROUP), which is the
/// order `create_kmalloc_caches` creates them at boot. Linux 6.1 orders them NORMAL, CGROUP,
/// RECLAIM, DMA.
public enum KmallocType: Int, CaseIterable, Hashable, Sendable {
    /// `kmalloc-N`: plain requests.
    case normal
    /// `kmalloc-rcl-N`: `__GFP_RECLAIMABLE` (created with SLAB_RECLAIM_ACCOUNT).
    case reclaim
    /// `dma-kmalloc-N`: `__GFP_DMA` (created with SLAB_CACHE_DMA; slabs from ZONE_DMA).
    case dma
    /// `kmalloc-cg-N`: `__GFP_ACCOUNT` (created with SLAB_ACCOUNT; charged to the memcg).
    case cgroup

    /// `kmalloc_type(flags)`: NORMAL unless one of `KMALLOC_NOT_NORMAL_BITS` is set; then,
    /// in decreasing priority, `__GFP_DMA` → DMA, `__GFP_RECLAIMABLE` → RECLAIM, otherwise
    /// (`__GFP_ACCOUNT`) → CGROUP.
    public init(_ gfp: GFP) {
        if gfp.isDisjoint(with: [.reclaimable, .dma, .account]) {
            self = .normal
        } else if gfp.contains(.dma) {
            self = .dma
        } else if gfp.contains(.reclaimable) {
            self = .reclaim
        } else {
            self = .cgroup
        }
    }

    /// The cache name for a size suffix (`kmalloc_info[i].name[type]`: `kmalloc-cg-64`).
    public func cacheName(_ suffix: String) -> String {
        switch self {
        case .normal: return "kmalloc-" + suffix
        case .reclaim: return "kmalloc-rcl-" + suffix
        case .dma: return "dma-kmalloc-" + suffix
        case .cgroup: return "kmalloc-cg-" + suffix
        }
    }

    /// The slab flags `new_kmalloc_cache` adds for the family.
    var slabFlags: SlabFlags {
        switch self {
        case .normal: return .noMerge
        case .reclaim: return .reclaimAccount
        case .dma: return .cacheDMA
        case .cgroup: return .account
        }
    }
}
