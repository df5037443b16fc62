import TestSupport

@testable import AllocatorModels

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
