/// `struct mallinfo2`, field for field.
public struct MallInfo2: Hashable, Sendable {
    /// Bytes obtained with brk (`system_mem`).
    public var arena: UInt64
    /// Free chunks in the regular bins, plus one for top.
    public var ordblks: UInt64
    /// Chunks in fastbins.
    public var smblks: UInt64
    /// Mmapped chunks.
    public var hblks: UInt64
    /// Bytes in mmapped chunks.
    public var hblkhd: UInt64
    /// Always 0.
    public var usmblks: UInt64
    /// Bytes in fastbin chunks.
    public var fsmblks: UInt64
    /// Bytes in use (`arena - fordblks`).
    public var uordblks: UInt64
    /// Free bytes (top, bins, fastbins).
    public var fordblks: UInt64
    /// Size of top.
    public var keepcost: UInt64

    /// Creates a value.
    public init(
        arena: UInt64 = 0, ordblks: UInt64 = 0, smblks: UInt64 = 0, hblks: UInt64 = 0,
        hblkhd: UInt64 = 0, usmblks: UInt64 = 0, fsmblks: UInt64 = 0, uordblks: UInt64 = 0,
        fordblks: UInt64 = 0, keepcost: UInt64 = 0
    ) {
        self.arena = arena
        self.ordblks = ordblks
        self.smblks = smblks
        self.hblks = hblks
        self.hblkhd = hblkhd
        self.usmblks = usmblks
        self.fsmblks = fsmblks
        self.uordblks = uordblks
        self.fordblks = fordblks
        self.keepcost = keepcost
    }
}
