/// The aligned allocation functions, by their C names.
public enum AlignedAllocator: String, Hashable, Sendable {
    /// The C function.
    case memalign, valloc, pvalloc
    case alignedAlloc = "aligned_alloc"
    case posixMemalign = "posix_memalign"
}
