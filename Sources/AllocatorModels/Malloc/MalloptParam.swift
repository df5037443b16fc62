/// The `mallopt` parameters glibc 2.36 honours.
///
/// Four of them (`M_TRIM_THRESHOLD`, `M_TOP_PAD`, `M_MMAP_THRESHOLD`, `M_MMAP_MAX`) also switch
/// the dynamic mmap threshold off (`mp_.no_dyn_threshold = 1`).
public enum MalloptParam: String, Hashable, Sendable, CaseIterable {
    /// `M_MXFAST` (1): largest request served by fastbins, at most 160.
    case mxfast = "M_MXFAST"
    /// `M_TRIM_THRESHOLD` (-1).
    case trimThreshold = "M_TRIM_THRESHOLD"
    /// `M_TOP_PAD` (-2).
    case topPad = "M_TOP_PAD"
    /// `M_MMAP_THRESHOLD` (-3).
    case mmapThreshold = "M_MMAP_THRESHOLD"
    /// `M_MMAP_MAX` (-4).
    case mmapMax = "M_MMAP_MAX"
    /// `M_CHECK_ACTION` (-5): accepted and ignored since glibc 2.34.
    case checkAction = "M_CHECK_ACTION"
    /// `M_PERTURB` (-6): fill allocated memory with `~byte` and freed memory with `byte`.
    case perturb = "M_PERTURB"
    /// `M_ARENA_TEST` (-7): arenas created before the arena limit is computed from the CPUs.
    case arenaTest = "M_ARENA_TEST"
    /// `M_ARENA_MAX` (-8): the arena limit.
    case arenaMax = "M_ARENA_MAX"

    /// The constant glibc's `<malloc.h>` gives it.
    public var number: Int32 {
        switch self {
        case .mxfast: 1
        case .trimThreshold: -1
        case .topPad: -2
        case .mmapThreshold: -3
        case .mmapMax: -4
        case .checkAction: -5
        case .perturb: -6
        case .arenaTest: -7
        case .arenaMax: -8
        }
    }

    /// Whether setting it switches the dynamic mmap threshold off.
    public var fixesThresholds: Bool {
        switch self {
        case .trimThreshold, .topPad, .mmapThreshold, .mmapMax: true
        default: false
        }
    }
}
