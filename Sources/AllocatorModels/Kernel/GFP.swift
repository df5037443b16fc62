/// Allocation flags, with the bit values of Linux 6.18 `include/linux/gfp_types.h`.
///
/// The model reads only `__GFP_ZERO` (zeroing) and `__GFP_NOWARN` (silence the failure
/// warnings); the others are carried so that a scenario can print them as the kernel would.
public struct GFP: OptionSet, Hashable, Sendable {
    /// The raw mask (`gfp_t`).
    public var rawValue: UInt32

    /// Creates a mask from its raw value.
    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

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
    /// `__GFP_ACCOUNT`: charge to the memory cgroup (kmalloc-cg-* caches; not modelled).
    public static let account = GFP(rawValue: 0x40_0000)

    /// `GFP_KERNEL` (0xcc0): may sleep.
    public static let kernel: GFP = [.directReclaim, .kswapdReclaim, .io, .fs]
    /// `GFP_ATOMIC` (0x820): never sleeps, may dip into reserves.
    public static let atomic: GFP = [.high, .kswapdReclaim]
    /// `GFP_NOWAIT` (0x2800): never sleeps, fails silently.
    public static let noWait: GFP = [.kswapdReclaim, .noWarn]
}
