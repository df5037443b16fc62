/// The `mallopt` parameters the model supports.
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

    /// The constant glibc's `<malloc.h>` gives it.
    public var number: Int32 {
        switch self {
        case .mxfast: 1
        case .trimThreshold: -1
        case .topPad: -2
        case .mmapThreshold: -3
        case .mmapMax: -4
        }
    }
}
