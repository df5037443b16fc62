import AllocatorModels

/// The paths of the kernel machine (buddy allocator, SLUB, vmalloc), and the mapping from its
/// events to them.
public enum KernelPaths {
    static func path(_ id: String, _ group: String, _ summary: String) -> AllocatorPath {
        AllocatorPath("kernel." + id, group: group, summary)
    }

    /// The kmalloc caches of the model's one family (`kmalloc-8` … `kmalloc-8k`).
    public static let kmallocCaches = [
        "kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96", "kmalloc-128",
        "kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k",
        "kmalloc-8k",
    ]

    static func kmallocClass(_ cache: String) -> AllocatorPath {
        path("kmalloc.class." + cache, "kmalloc", "an object of \(cache)")
    }
    static func split(_ order: Int) -> AllocatorPath {
        path("buddy.split.order-\(order)", "buddy", "expand() splits an order-\(order) block")
    }
    static func merge(_ order: Int) -> AllocatorPath {
        path("buddy.merge.order-\(order)", "buddy", "a free merges into an order-\(order) block")
    }

    static let kmallocNormal = path(
        "kmalloc.family.normal", "kmalloc", "the normal kmalloc caches (KMALLOC_NORMAL)")
    static let kmallocReclaim = path(
        "kmalloc.family.rcl", "kmalloc", "the kmalloc-rcl caches (__GFP_RECLAIMABLE)")
    static let kmallocDMA = path(
        "kmalloc.family.dma", "kmalloc", "the dma-kmalloc caches (__GFP_DMA)")
    static let kmallocCgroup = path(
        "kmalloc.family.cg", "kmalloc", "the kmalloc-cg caches (__GFP_ACCOUNT)")

    /// The family and size-class name of a kmalloc cache name (`kmalloc-cg-64` → cg,
    /// `kmalloc-64`), or `nil` for other caches.
    static func kmallocFamily(_ cache: String) -> (AllocatorPath, String)? {
        if cache.hasPrefix("kmalloc-cg-") {
            return (kmallocCgroup, "kmalloc-" + cache.dropFirst("kmalloc-cg-".count))
        }
        if cache.hasPrefix("kmalloc-rcl-") {
            return (kmallocReclaim, "kmalloc-" + cache.dropFirst("kmalloc-rcl-".count))
        }
        if cache.hasPrefix("dma-kmalloc-") { return (kmallocDMA, String(cache.dropFirst(4))) }
        if cache.hasPrefix("kmalloc-") { return (kmallocNormal, cache) }
        return nil
    }
    static let kmallocLarge = path(
        "kmalloc.large", "kmalloc", "kmalloc above 8 KiB goes straight to the page allocator")
    static let ownCache = path(
        "slab.own-cache", "slab", "kmem_cache_alloc from a cache made by kmem_cache_create")
    static let cpuSlab = path("slab.alloc.cpu-slab", "slab", "object from the CPU slab (fast path)")
    static let cpuPartial = path(
        "slab.alloc.cpu-partial", "slab", "the CPU partial list's head becomes the CPU slab")
    static let nodePartial = path(
        "slab.alloc.node-partial", "slab", "a slab taken from the node partial list")
    static let newSlab = path("slab.alloc.new-slab", "slab", "a new slab from the buddy allocator")
    static let freeCpu = path("slab.free.cpu-slab", "slab", "free onto the CPU slab (fast path)")
    static let freeToCpuPartial = path(
        "slab.free.to-cpu-partial", "slab", "free of a full slab's object: slab to CPU partial")
    static let freeStayed = path(
        "slab.free.partial", "slab", "free into a slab already on a partial list")
    static let discard = path(
        "slab.discard", "slab", "an empty slab goes back to the buddy allocator")
    static let cacheCreated = path("slab.cache-create", "slab", "kmem_cache_create makes a cache")
    static let cacheMerged = path(
        "slab.cache-merge", "slab", "kmem_cache_create merges into an existing cache")
    static let vmallocAlloc = path("vmalloc.alloc", "vmalloc", "vmalloc reserves and maps an area")
    static let vfreeLazy = path(
        "vmalloc.vfree-lazy", "vmalloc", "vfree leaves the range reserved until a purge")
    static let purge = path("vmalloc.purge", "vmalloc", "a lazy purge releases unpurged ranges")
    static let doubleFree = path(
        "slab.double-free-undetected", "bugs", "a double free corrupts the freelist unseen")
    static let handedOutTwice = path(
        "slab.handed-out-twice", "bugs", "an object in use is handed out again")
    static let warning = path("warning", "bugs", "a kernel warning or slab_debug report")
    static let bug = path("bug", "bugs", "a kernel BUG ends the run")

    /// Every path the kernel machine can report.
    public static let catalog: [AllocatorPath] =
        kmallocCaches.map(kmallocClass)
        + [
            kmallocNormal, kmallocReclaim, kmallocDMA, kmallocCgroup, kmallocLarge, ownCache,
            cpuSlab, cpuPartial, nodePartial, newSlab,
            freeCpu, freeToCpuPartial, freeStayed, discard, cacheCreated, cacheMerged,
            vmallocAlloc, vfreeLazy, purge, doubleFree, handedOutTwice, warning, bug,
        ]
        + (1...KernelLayout.maxOrder).map(split) + (1...KernelLayout.maxOrder).map(merge)

    /// The paths of one call's events; `kmallocPages` is true when a kmalloc was served by the
    /// page allocator.
    public static func hits(_ events: [KernelEvent], kmallocPages: Bool = false) -> [PathHit] {
        var hits: [PathHit] = []
        if kmallocPages {
            hits.append(
                PathHit(kmallocLarge, "kmalloc went to the page allocator", keywords: ["order-"]))
        }
        for event in events {
            switch event {
            case .slabAllocated(let cache, let source):
                if let (family, sizeClass) = kmallocFamily(cache) {
                    hits.append(
                        PathHit(kmallocClass(sizeClass), "served by \(cache)", keywords: [cache]))
                    hits.append(PathHit(family, family.summary))
                } else if cache != "vmap_area" {
                    hits.append(
                        PathHit(ownCache, "served by the cache \(cache)", keywords: [cache]))
                }
                switch source {
                case .cpuSlab:
                    hits.append(
                        PathHit(cpuSlab, "\(cache) used its CPU slab", keywords: ["cpu slab"]))
                case .cpuPartial:
                    hits.append(
                        PathHit(
                            cpuPartial, "\(cache) took a slab from its CPU partial list",
                            keywords: ["partial"]))
                case .nodePartial:
                    hits.append(
                        PathHit(
                            nodePartial, "\(cache) took a slab from the node partial list",
                            keywords: ["partial"]))
                case .newSlab:
                    hits.append(
                        PathHit(newSlab, "\(cache) opened a new slab", keywords: ["new slab"]))
                }
            case .slabFreed(let cache, let freePath):
                switch freePath {
                case .cpuSlab:
                    hits.append(PathHit(freeCpu, "the object went back to \(cache)'s CPU slab"))
                case .toCpuPartial:
                    hits.append(
                        PathHit(
                            freeToCpuPartial, "the full \(cache) slab went to the CPU partial list",
                            keywords: ["partial"]))
                case .stayed:
                    hits.append(PathHit(freeStayed, "the \(cache) slab stayed on its partial list"))
                case .discarded:
                    break  // reported by .slabDiscarded
                }
            case .slabDiscarded(let cache, let pfn, _):
                hits.append(
                    PathHit(
                        discard, "the empty \(cache) slab at pfn \(pfn) was discarded",
                        keywords: ["discard", "goes back"]))
            case .buddyAllocated(let a):
                for block in a.splits {
                    hits.append(
                        PathHit(
                            split(block.order + 1), "buddy split an order-\(block.order + 1) block",
                            keywords: ["split"]))
                }
            case .buddyFreed(let r):
                for (k, block) in r.merged.enumerated() {
                    _ = block
                    let order = r.block.order + k + 1
                    hits.append(
                        PathHit(
                            merge(order), "buddy merged into an order-\(order) block",
                            keywords: ["merge"]))
                }
            case .cacheCreated(let name, _):
                hits.append(PathHit(cacheCreated, "new cache \(name)", keywords: ["new cache"]))
            case .cacheMerged(let name, let into):
                hits.append(
                    PathHit(cacheMerged, "\(name) merged into \(into)", keywords: ["merged"]))
            case .areaReserved(_, let size):
                hits.append(
                    PathHit(vmallocAlloc, "vmalloc reserved \(size) bytes", keywords: ["vmalloc"]))
            case .areaUnpurged(_, let size):
                hits.append(
                    PathHit(
                        vfreeLazy, "the \(size)-byte range stays reserved", keywords: ["unpurged"]))
            case .purged(let ranges):
                hits.append(
                    PathHit(
                        purge, "a lazy purge released \(ranges.count) ranges", keywords: ["purge"]))
            case .freelistCorrupted(let cache, _):
                hits.append(PathHit(doubleFree, "a double free in \(cache) went undetected"))
            case .handedOutTwice(let cache, _):
                hits.append(PathHit(handedOutTwice, "\(cache) handed out an object in use"))
            case .warning:
                hits.append(PathHit(warning, "the kernel printed a warning", keywords: ["warning"]))
            case .bug:
                hits.append(PathHit(bug, "the kernel hit a BUG", keywords: ["bug"]))
            case .perCPU(let e):
                // The buddy work behind the per-CPU lists: rmqueue_bulk's splits, the merges
                // of free_pcppages_bulk.
                for a in e.refill {
                    for block in a.splits {
                        hits.append(
                            PathHit(
                                split(block.order + 1),
                                "buddy split an order-\(block.order + 1) block", keywords: ["split"]
                            ))
                    }
                }
                for r in e.drained {
                    for k in r.merged.indices {
                        let order = r.block.order + k + 1
                        hits.append(
                            PathHit(
                                merge(order), "buddy merged into an order-\(order) block",
                                keywords: ["merge"]))
                    }
                }
            case .newSlab, .unsupported:
                break  // a new slab is reported by .slabAllocated
            }
        }
        return hits
    }
}
