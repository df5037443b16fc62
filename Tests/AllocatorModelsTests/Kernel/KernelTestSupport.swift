@testable import AllocatorModels

/// A small deterministic generator (SplitMix64) for seeded random traces.
struct KernelSplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int {
        Int(next() % UInt64(n))
    }
}

extension KernelOutcome {
    /// The slab object returned, if any.
    var object: SlabObjectInfo? {
        if case .slabObject(let o)? = pointer { return o }
        return nil
    }

    /// Whether a new slab was taken.
    var newSlabs: Int {
        events.filter { if case .newSlab = $0 { return true } else { return false } }.count
    }

    /// Slabs given back to the buddy allocator.
    var discardedSlabs: Int {
        events.filter { if case .slabDiscarded = $0 { return true } else { return false } }.count
    }
}
