/// `kmem_cache_create` flags the model understands (include/linux/slab.h).
public struct SlabFlags: OptionSet, Hashable, Sendable {
    /// The raw `slab_flags_t` bits.
    public var rawValue: UInt32

    /// Creates flags from raw bits.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// `SLAB_HWCACHE_ALIGN`: align objects on cache lines (64 bytes on x86_64, halved while
    /// the object fits in half).
    public static let hwcacheAlign = SlabFlags(rawValue: 1 << 0)
    /// `SLAB_PANIC`: panic if creation fails (no effect in the model).
    public static let panic = SlabFlags(rawValue: 1 << 1)
    /// `SLAB_TYPESAFE_BY_RCU`: the free pointer moves behind the object; never merged.
    public static let typesafeByRCU = SlabFlags(rawValue: 1 << 2)
    /// `SLAB_ACCOUNT`: charge to memcg; merges only with caches that have it too.
    public static let account = SlabFlags(rawValue: 1 << 3)
    /// `SLAB_RECLAIM_ACCOUNT`: reclaimable; merges only with caches that have it too.
    public static let reclaimAccount = SlabFlags(rawValue: 1 << 4)
    /// `SLAB_NO_MERGE`: never merge with another cache.
    public static let noMerge = SlabFlags(rawValue: 1 << 5)

    /// `SLAB_CACHE_DMA`: slabs from ZONE_DMA (dma-kmalloc-N); merges only with its kind.
    public static let cacheDMA = SlabFlags(rawValue: 1 << 6)
    /// `SLAB_CACHE_DMA32`: slabs from ZONE_DMA32; merges only with its kind.
    public static let cacheDMA32 = SlabFlags(rawValue: 1 << 7)

    /// `SLAB_MERGE_SAME` (mm/slab_common.c): flags two caches must share to merge.
    static let mergeSame: SlabFlags = [.account, .reclaimAccount, .cacheDMA, .cacheDMA32]
    /// `SLAB_NEVER_MERGE` (the part the model has).
    static let neverMerge: SlabFlags = [.typesafeByRCU, .noMerge]

    /// The flag a `SLAB_*` name stands for, or `nil` when the model does not have it.
    public static func named(_ name: String) -> SlabFlags? {
        switch name {
        case "SLAB_HWCACHE_ALIGN": return .hwcacheAlign
        case "SLAB_PANIC": return .panic
        case "SLAB_TYPESAFE_BY_RCU": return .typesafeByRCU
        case "SLAB_ACCOUNT": return .account
        case "SLAB_RECLAIM_ACCOUNT": return .reclaimAccount
        case "SLAB_NO_MERGE": return .noMerge
        case "SLAB_CACHE_DMA": return .cacheDMA
        case "SLAB_CACHE_DMA32": return .cacheDMA32
        default: return nil
        }
    }

    /// The names `named` knows.
    public static let knownNames = [
        "SLAB_HWCACHE_ALIGN", "SLAB_PANIC", "SLAB_TYPESAFE_BY_RCU", "SLAB_ACCOUNT",
        "SLAB_RECLAIM_ACCOUNT", "SLAB_NO_MERGE", "SLAB_CACHE_DMA", "SLAB_CACHE_DMA32",
    ]
}
