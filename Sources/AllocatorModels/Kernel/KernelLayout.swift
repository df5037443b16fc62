/// Constants of the simulated x86_64 machine (4 KiB pages, 4-level paging, no KASLR).
public enum KernelLayout {
    /// `PAGE_SHIFT`.
    public static let pageShift = 12
    /// `PAGE_SIZE`.
    public static let pageSize: UInt64 = 4096
    /// `MAX_PAGE_ORDER` (orders 0...10 inclusive since Linux 6.4).
    public static let maxOrder = 10
    /// `NR_PAGE_ORDERS`.
    public static let orderCount = 11
    /// `PAGE_OFFSET`: start of the direct map of physical memory.
    public static let pageOffset: UInt64 = 0xffff_8880_0000_0000
    /// `VMALLOC_START` (`__VMALLOC_BASE_L4`).
    public static let vmallocStart: UInt64 = 0xffff_c900_0000_0000
    /// `VMALLOC_END` (inclusive): `VMALLOC_START` + 32 TiB − 1.
    public static let vmallocEnd: UInt64 = 0xffff_e8ff_ffff_ffff
    /// `ZERO_SIZE_PTR`, what `kmalloc(0)` returns.
    public static let zeroSizePointer: UInt64 = 0x10
    /// `KMALLOC_MAX_CACHE_SIZE`: the largest slab-backed kmalloc class.
    public static let kmallocMaxCacheSize = 8192
    /// `KMALLOC_MAX_SIZE`: the largest kmalloc (4 MiB).
    public static let kmallocMaxSize: UInt64 = 4 << 20
    /// First page frame of the modelled zone: ZONE_NORMAL starts at 4 GiB on x86_64.
    public static let defaultZoneStartPfn = 0x10_0000

    /// `get_order(size)`: the smallest order with `PAGE_SIZE << order >= size` (size ≥ 1).
    public static func order(forSize size: UInt64) -> Int {
        if size <= pageSize { return 0 }
        let pages = (size - 1) >> UInt64(pageShift)
        return 64 - pages.leadingZeroBitCount
    }

    /// The direct-map address of a page frame.
    public static func address(ofPfn pfn: Int) -> UInt64 {
        pageOffset &+ (UInt64(pfn) << UInt64(pageShift))
    }

    /// The page frame behind a direct-map address, or `nil` outside the direct map.
    public static func pfn(ofAddress address: UInt64) -> Int? {
        guard address >= pageOffset, address < pageOffset &+ (1 << 46) else { return nil }
        return Int((address - pageOffset) >> UInt64(pageShift))
    }
}

/// `fls(x)`: the 1-based index of the highest set bit, 0 for 0.
@inline(__always) func fls(_ x: Int) -> Int {
    x <= 0 ? 0 : Int.bitWidth - x.leadingZeroBitCount
}

/// Lowercase hexadecimal with a `0x` prefix, as `%px`/`%lx` print it.
public func hex(_ value: UInt64) -> String {
    "0x" + String(value, radix: 16)
}

/// Pads `text` on the left to `width` (printf `%Ns`/`%Nd`).
func leftPad(_ text: String, _ width: Int) -> String {
    let n = text.count
    return n >= width ? text : String(repeating: " ", count: width - n) + text
}

/// Pads `text` on the right to `width` (printf `%-Ns`).
func rightPad(_ text: String, _ width: Int) -> String {
    let n = text.count
    return n >= width ? text : text + String(repeating: " ", count: width - n)
}
