/// SplitMix64: a small deterministic generator, so a failing random test names a seed that
/// reproduces it.
///
/// The one generator every test target uses.
public struct SeededRandom: Sendable {
    /// The generator's state.
    public var state: UInt64

    /// Starts from `state`.
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A number in `0..<n` (`n` > 0).
    public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A number in `0..<n` (`n` > 0).
    public mutating func below(_ n: UInt64) -> UInt64 { next() % n }

    /// A number in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// A number in `low...high`.
    public mutating func range(_ low: UInt64, _ high: UInt64) -> UInt64 {
        low + below(high - low + 1)
    }

    /// True `percent` times in a hundred.
    public mutating func chance(_ percent: UInt64) -> Bool { below(100 as UInt64) < percent }
}
