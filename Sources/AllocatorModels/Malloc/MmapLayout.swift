/// Where the kernel puts anonymous mappings in the process: below `mmapTop` (the lowest
/// mapping ld.so made for libc), and first in the free gap `[holeLow, holeHigh)` above libc's
/// data, when a mapping fits there.
///
/// The defaults are those of a small program on Debian 12 with ASLR off, which the course's
/// addresses use. The real layout moves by whole pages with the size of `/etc/ld.so.cache`,
/// which ld.so maps above libc while it loads it and unmaps afterwards (installing packages
/// changes it), so the differential tests ask glibc-replay for the layout of the real process.
public struct MmapLayout: Hashable, Sendable {
    /// The top of the mmap area below libc.
    public var mmapTop: UInt64
    /// The free gap above libc's data.
    public var holeLow: UInt64
    /// The end of that gap.
    public var holeHigh: UInt64

    /// The course's layout, or another one.
    public init(
        mmapTop: UInt64 = 0x7fff_f7dd_1000, holeLow: UInt64 = 0x7fff_f7fb_6000,
        holeHigh: UInt64 = 0x7fff_f7fc_0000
    ) {
        self.mmapTop = mmapTop
        self.holeLow = holeLow
        self.holeHigh = holeHigh
    }
}
