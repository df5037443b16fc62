/// Where `slab_alloc_node` found the object it handed out.
public enum SlabAllocationSource: Hashable, Sendable {
    /// The CPU slab's freelist (the fast path).
    case cpuSlab
    /// The head of the CPU partial list became the CPU slab.
    case cpuPartial
    /// `get_partial_node`: a slab from the node partial list.
    case nodePartial
    /// `new_slab`: a fresh slab from the buddy allocator.
    case newSlab
}

/// What `slab_free` did with the freed object's slab.
public enum SlabFreePath: Hashable, Sendable {
    /// The object went onto the CPU slab's freelist (the fast path).
    case cpuSlab
    /// The slab was full: it went onto the CPU partial list (`put_cpu_partial`).
    case toCpuPartial
    /// The slab stayed where it was (a partial list), one object freer.
    case stayed
    /// The slab became empty on the node partial list and was discarded (`discard_slab`).
    case discarded
}
