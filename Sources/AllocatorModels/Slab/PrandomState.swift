/// The kernel's `struct rnd_state` PRNG: L'Ecuyer's LFSR113 Tausworthe generator
/// (lib/random32.c `prandom_u32_state`, include/linux/prandom.h `prandom_seed_state`).
public struct PrandomState: Hashable, Sendable {
    var s1: UInt32
    var s2: UInt32
    var s3: UInt32
    var s4: UInt32

    /// `prandom_seed_state(state, seed)`: one 32-bit value folded from the 64-bit seed, each
    /// word raised above its minimum (`__seed`).
    public init(seed: UInt64) {
        let i = UInt32(truncatingIfNeeded: (seed >> 32) ^ (seed << 10) ^ seed)
        s1 = Self.seedWord(i, 2)
        s2 = Self.seedWord(i, 8)
        s3 = Self.seedWord(i, 16)
        s4 = Self.seedWord(i, 128)
    }

    /// A state with the four words given (the self test's LCG seeding).
    init(words s1: UInt32, _ s2: UInt32, _ s3: UInt32, _ s4: UInt32) {
        self.s1 = s1
        self.s2 = s2
        self.s3 = s3
        self.s4 = s4
    }

    /// `__seed(x, m)`.
    static func seedWord(_ x: UInt32, _ m: UInt32) -> UInt32 { x < m ? x &+ m : x }

    /// `prandom_u32_state(state)`.
    public mutating func next() -> UInt32 {
        s1 = Self.tausworthe(s1, 6, 13, 4_294_967_294, 18)
        s2 = Self.tausworthe(s2, 2, 27, 4_294_967_288, 2)
        s3 = Self.tausworthe(s3, 13, 21, 4_294_967_280, 7)
        s4 = Self.tausworthe(s4, 3, 12, 4_294_967_168, 13)
        return s1 ^ s2 ^ s3 ^ s4
    }

    static func tausworthe(_ s: UInt32, _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32)
        -> UInt32
    {
        ((s & c) << d) ^ (((s << a) ^ s) >> b)
    }

    /// `get_random_u32_below(ceil)` (drivers/char/random.c `__get_random_u32_below`):
    /// multiply-shift with rejection of the biased low values, drawing from this state where
    /// the kernel draws from its CRNG.
    public mutating func below(_ ceil: UInt32) -> UInt32 {
        var mult = UInt64(ceil) * UInt64(next())
        if ceil == 0 { return UInt32(truncatingIfNeeded: mult) }
        if UInt32(truncatingIfNeeded: mult) < ceil {
            let bound = (0 &- ceil) % ceil
            while UInt32(truncatingIfNeeded: mult) < bound {
                mult = UInt64(ceil) * UInt64(next())
            }
        }
        return UInt32(mult >> 32)
    }
}
