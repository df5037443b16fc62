/// kmem_cache_create / kmem_cache_alloc for a lesson's own caches (mm/slab_common.c).
extension KernelMachine {
    /// `kmem_cache_create(name, size, 0, 0, NULL)`.
    public mutating func kmemCacheCreate(name: String, size: Int) -> (
        cache: KmemCache?, outcome: KernelOutcome
    ) {
        kmemCacheCreate(name: name, size: size, align: 0, flags: [], constructor: false)
    }

    /// `kmem_cache_create(name, size, align, flags, ctor)`.
    ///
    /// The slot size is `ALIGN(ALIGN(size, 8) (+ 8 for an outside free pointer), align)`,
    /// with `align` from `calculate_alignment` (SLAB_HWCACHE_ALIGN: 64, halved while the
    /// object fits in half; at least 8). Slab merging is on (the default): `find_mergeable`
    /// looks, oldest cache first, for a mergeable cache with the same SLAB_MERGE_SAME flags,
    /// a slot size at least as large but less than 8 bytes larger, and compatible alignment;
    /// the new name then becomes an alias of that cache and does not appear in slabinfo.
    /// A constructor or SLAB_TYPESAFE_BY_RCU moves the free pointer behind the object and
    /// forbids merging. The kmalloc-N caches never merge: with CONFIG_MEMCG,
    /// `new_kmalloc_cache` marks KMALLOC_NORMAL caches SLAB_NO_MERGE (since 5.14, "mm:
    /// memcg/slab: Disable cache merging for KMALLOC_NORMAL caches"). Returns `nil` when the
    /// size is 0, the alignment is not a power of two, or the slab would need an order
    /// above 10.
    public mutating func kmemCacheCreate(
        name: String, size: Int, align: Int, flags: SlabFlags, constructor: Bool
    ) -> (cache: KmemCache?, outcome: KernelOutcome) {
        guard !isDead, size > 0, size <= Int(KernelLayout.kmallocMaxSize), align >= 0,
            align & (align - 1) == 0
        else { return (nil, KernelOutcome()) }
        let alignment = Self.calculateAlignment(flags: flags, align: align, size: size)
        let outsideFreePointer = constructor || flags.contains(.typesafeByRCU)
        let mergeable =
            !configuration.slabNomerge && !constructor
            && flags.isDisjoint(with: SlabFlags.neverMerge)
        if mergeable {
            // find_mergeable
            let wanted = Self.alignUp(Self.alignUp(size, 8), alignment)
            for (i, cache) in caches.enumerated() where cache.mergeable && !cache.destroyed {
                let s = cache.geometry.size
                guard wanted <= s,
                    flags.intersection(.mergeSame) == cache.flags.intersection(.mergeSame),
                    s & ~(alignment - 1) == s, s - wanted < 8
                else { continue }
                // __kmem_cache_alias: one more reference, object_size the larger of both.
                caches[i].aliases.append(name)
                caches[i].refcount += 1
                caches[i].objectSize = max(caches[i].objectSize, size)
                return (
                    KmemCache(index: i, name: name, servedBy: cache.name),
                    KernelOutcome(events: [.cacheMerged(name: name, into: cache.name)])
                )
            }
        }
        var slot = Self.alignUp(size, 8)
        if outsideFreePointer { slot += 8 }
        slot = Self.alignUp(slot, alignment)
        let geometry = SlabGeometry(size: slot, cpus: configuration.cpus)
        guard geometry.order <= KernelLayout.maxOrder else { return (nil, KernelOutcome()) }
        var state = SlabCacheState(
            name: name, objectSize: size, geometry: geometry, mergeable: mergeable)
        state.flags = flags
        state.isUserCache = true
        caches.append(state)
        let index = caches.count - 1
        if freelistRandom != nil { _ = randomSequence(cache: index) }  // kmem_cache_open
        return (
            KmemCache(index: index, name: name, servedBy: name),
            KernelOutcome(events: [.cacheCreated(name: name, geometry: geometry)])
        )
    }

    /// `calculate_alignment(flags, align, size)` with cache_line_size() 64 and
    /// arch_slab_minalign() 8.
    static func calculateAlignment(flags: SlabFlags, align: Int, size: Int) -> Int {
        var result = align
        if flags.contains(.hwcacheAlign) {
            var ralign = 64
            while size <= ralign / 2 { ralign /= 2 }
            result = max(result, ralign)
        }
        result = max(result, 8)
        return alignUp(result, 8)
    }

    static func alignUp(_ value: Int, _ alignment: Int) -> Int {
        (value + alignment - 1) & ~(alignment - 1)
    }
}
