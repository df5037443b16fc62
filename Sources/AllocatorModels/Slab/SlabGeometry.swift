/// The shape of a slab cache: slot size, slab order, objects per slab and list limits, as
/// `mm/slub.c` (`calculate_sizes`, `calculate_order`, `calc_slab_order`, `set_cpu_partial`)
/// computes them for a cache without debugging options.
public struct SlabGeometry: Hashable, Sendable {
    /// `s->size`: the slot size (the `<objsize>` column of /proc/slabinfo).
    public var size: Int
    /// The slab order (`oo_order(s->oo)`).
    public var order: Int
    /// Objects per slab at `order`.
    public var objectsPerSlab: Int
    /// `s->min_partial`.
    public var minPartial: Int
    /// `s->cpu_partial` (objects).
    public var cpuPartial: Int
    /// `s->cpu_partial_slabs`.
    public var cpuPartialSlabs: Int

    /// Pages per slab.
    public var pagesPerSlab: Int { 1 << order }

    /// The fallback order `s->min` = get_order(size), used when the preferred order fails.
    public var minOrder: Int { KernelLayout.order(forSize: UInt64(size)) }

    /// Computes the geometry of a cache whose slot size is `size` on a machine with `cpus`
    /// present CPUs (`slub_min_objects`, `slub_min_order` and `slub_max_order` at their
    /// defaults: 0, 0 and `PAGE_ALLOC_COSTLY_ORDER` = 3).
    public init(size: Int, cpus: Int) {
        precondition(size >= 1 && cpus >= 1)
        self.size = size
        order = Self.calculateOrder(size: size, cpus: cpus)
        objectsPerSlab = (Int(KernelLayout.pageSize) << order) / size
        minPartial = min(max((fls(size) - 1) / 2, 5), 10)
        if size >= Int(KernelLayout.pageSize) {
            cpuPartial = 6
        } else if size >= 1024 {
            cpuPartial = 24
        } else if size >= 256 {
            cpuPartial = 52
        } else {
            cpuPartial = 120
        }
        cpuPartialSlabs = (cpuPartial * 2 + objectsPerSlab - 1) / objectsPerSlab
    }

    /// `calculate_order`: the smallest order within the waste limits of
    /// `calc_slab_order`, trying waste fractions 1/16, 1/8, 1/4, 1/2.
    static func calculateOrder(size: Int, cpus: Int) -> Int {
        let maxOrder = 3  // slub_max_order = PAGE_ALLOC_COSTLY_ORDER
        let page = Int(KernelLayout.pageSize)
        // nr = num_present_cpus(); nr_cpu_ids is used when nr <= 1 (the same here).
        var minObjects = 4 * (fls(cpus) + 1)
        let maxObjects = max(1, (page << maxOrder) / size)
        minObjects = min(minObjects, maxObjects)
        let minOrder = max(0, KernelLayout.order(forSize: UInt64(minObjects * size)))
        for fraction in [16, 8, 4, 2] {
            var order = minOrder
            while order <= maxOrder {
                let slab = page << order
                if slab % size <= slab / fraction { return order }
                order += 1
            }
        }
        return KernelLayout.order(forSize: UInt64(size))
    }
}
