/// Allocation flags, with the bit values of Linux 6.18 `include/linux/gfp_types.h`.
///
/// The model reads `__GFP_ZERO` (zeroing), `__GFP_NOWARN` (silence the failure warnings),
/// the kmalloc family bits (`__GFP_DMA`, `__GFP_RECLAIMABLE`, `__GFP_ACCOUNT`, read by
/// `kmalloc_type()`), `__GFP_DIRECT_RECLAIM` (kvmalloc's vmalloc fallback needs it) and
/// `__GFP_NORETRY`/`__GFP_NOFAIL` (kvmalloc's flags for the kmalloc attempt). The others are
/// carried so that a scenario can print them as the kernel would: the model has no
/// watermarks, no atomic reserves and no reclaim, so `__GFP_HIGH`, `__GFP_IO` and `__GFP_FS`
/// change nothing it can show.
public struct GFP: OptionSet, Hashable, Sendable {
    /// The raw mask (`gfp_t`).
    public var rawValue: UInt32

    /// Creates a mask from its raw value.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// `__GFP_DMA`: from ZONE_DMA; selects the dma-kmalloc-N caches.
    public static let dma = GFP(rawValue: 0x01)
    /// `__GFP_HIGHMEM`.
    public static let highmem = GFP(rawValue: 0x02)
    /// `__GFP_DMA32`.
    public static let dma32 = GFP(rawValue: 0x04)
    /// `__GFP_MOVABLE`.
    public static let movable = GFP(rawValue: 0x08)
    /// `__GFP_RECLAIMABLE`: reclaimable slab; selects the kmalloc-rcl-N caches.
    public static let reclaimable = GFP(rawValue: 0x10)
    /// `__GFP_HIGH`: may use the atomic reserves.
    public static let high = GFP(rawValue: 0x20)
    /// `__GFP_IO`: may start physical I/O.
    public static let io = GFP(rawValue: 0x40)
    /// `__GFP_FS`: may call into the filesystem.
    public static let fs = GFP(rawValue: 0x80)
    /// `__GFP_ZERO`: return zeroed memory.
    public static let zero = GFP(rawValue: 0x100)
    /// `__GFP_DIRECT_RECLAIM`: may sleep to reclaim.
    public static let directReclaim = GFP(rawValue: 0x400)
    /// `__GFP_KSWAPD_RECLAIM`: may wake kswapd.
    public static let kswapdReclaim = GFP(rawValue: 0x800)
    /// `__GFP_NOWARN`: no warning on failure.
    public static let noWarn = GFP(rawValue: 0x2000)
    /// `__GFP_RETRY_MAYFAIL`: try hard, but may fail.
    public static let retryMayFail = GFP(rawValue: 0x4000)
    /// `__GFP_NOFAIL`: never fail.
    public static let noFail = GFP(rawValue: 0x8000)
    /// `__GFP_NORETRY`: give up early, without the OOM killer.
    public static let noRetry = GFP(rawValue: 0x1_0000)
    /// `__GFP_COMP`: a compound page.
    public static let comp = GFP(rawValue: 0x4_0000)
    /// `__GFP_HARDWALL`: respect the cpuset (GFP_USER).
    public static let hardwall = GFP(rawValue: 0x10_0000)
    /// `__GFP_ACCOUNT`: charge to the memory cgroup; selects the kmalloc-cg-N caches (the
    /// charge itself is not modelled).
    public static let account = GFP(rawValue: 0x40_0000)

    /// `GFP_KERNEL` (0xcc0): may sleep.
    public static let kernel: GFP = [.directReclaim, .kswapdReclaim, .io, .fs]
    /// `GFP_ATOMIC` (0x820): never sleeps, may dip into reserves.
    public static let atomic: GFP = [.high, .kswapdReclaim]
    /// `GFP_NOWAIT` (0x2800): never sleeps, fails silently.
    public static let noWait: GFP = [.kswapdReclaim, .noWarn]
    /// `GFP_NOIO` (0xc00): may sleep, but starts no I/O.
    public static let noIO: GFP = [.directReclaim, .kswapdReclaim]
    /// `GFP_NOFS` (0xc40): may sleep, but does not call into a filesystem.
    public static let noFS: GFP = [.directReclaim, .kswapdReclaim, .io]
    /// `GFP_KERNEL_ACCOUNT` (0x400cc0): GFP_KERNEL charged to the memory cgroup.
    public static let kernelAccount: GFP = [.directReclaim, .kswapdReclaim, .io, .fs, .account]
    /// `GFP_USER` (0x100cc0).
    public static let user: GFP = [.directReclaim, .kswapdReclaim, .io, .fs, .hardwall]
    /// `GFP_DMA` (0x1): `__GFP_DMA` alone (the caller adds GFP_KERNEL or GFP_ATOMIC).
    public static let gfpDMA: GFP = [.dma]
    /// `GFP_DMA32` (0x4).
    public static let gfpDMA32: GFP = [.dma32]
    /// `GFP_HIGHUSER` (0x100cc2).
    public static let highUser: GFP = [
        .directReclaim, .kswapdReclaim, .io, .fs, .hardwall, .highmem,
    ]
    /// `GFP_HIGHUSER_MOVABLE` (0x140cca): GFP_HIGHUSER plus `__GFP_MOVABLE` and
    /// `__GFP_SKIP_KASAN` (not modelled).
    public static let highUserMovable: GFP = [
        .directReclaim, .kswapdReclaim, .io, .fs, .hardwall, .highmem, .movable,
    ]

    /// Whether the caller may sleep (`gfpflags_allow_blocking`: `__GFP_DIRECT_RECLAIM`).
    public var allowsBlocking: Bool { contains(.directReclaim) }

    /// The mask a flag name stands for (`GFP_KERNEL`, `__GFP_ZERO`, …), or `nil`.
    public static func named(_ name: String) -> GFP? {
        switch name {
        case "GFP_KERNEL": return .kernel
        case "GFP_ATOMIC": return .atomic
        case "GFP_NOWAIT": return .noWait
        case "GFP_NOIO": return .noIO
        case "GFP_NOFS": return .noFS
        case "GFP_KERNEL_ACCOUNT": return .kernelAccount
        case "GFP_USER": return .user
        case "GFP_DMA": return .gfpDMA
        case "GFP_DMA32": return .gfpDMA32
        case "GFP_HIGHUSER": return .highUser
        case "GFP_HIGHUSER_MOVABLE": return .highUserMovable
        case "__GFP_DMA": return .dma
        case "__GFP_HIGHMEM": return .highmem
        case "__GFP_DMA32": return .dma32
        case "__GFP_MOVABLE": return .movable
        case "__GFP_RECLAIMABLE": return .reclaimable
        case "__GFP_HIGH": return .high
        case "__GFP_IO": return .io
        case "__GFP_FS": return .fs
        case "__GFP_ZERO": return .zero
        case "__GFP_DIRECT_RECLAIM": return .directReclaim
        case "__GFP_KSWAPD_RECLAIM": return .kswapdReclaim
        case "__GFP_RECLAIM": return [.directReclaim, .kswapdReclaim]
        case "__GFP_NOWARN": return .noWarn
        case "__GFP_RETRY_MAYFAIL": return .retryMayFail
        case "__GFP_NOFAIL": return .noFail
        case "__GFP_NORETRY": return .noRetry
        case "__GFP_COMP": return .comp
        case "__GFP_HARDWALL": return .hardwall
        case "__GFP_ACCOUNT": return .account
        default: return nil
        }
    }
}
