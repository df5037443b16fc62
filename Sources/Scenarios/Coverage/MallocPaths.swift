import AllocatorModels

/// The paths of the glibc malloc model, and the mapping from its events to them.
public enum MallocPaths {
    static func path(_ id: String, _ group: String, _ summary: String) -> AllocatorPath {
        AllocatorPath("malloc." + id, group: group, summary)
    }

    static let tcacheCreate = path("tcache.create", "tcache", "first call builds the tcache")
    static let tcacheHit = path("tcache.hit", "tcache", "malloc served from a tcache bin")
    static let tcachePut = path("tcache.put", "tcache", "free puts the chunk into a tcache bin")
    static let fastbinHit = path("fastbin.hit", "fastbin", "malloc served from a fastbin")
    static let fastbinRefill = path(
        "fastbin.refill-tcache", "fastbin", "fastbin hit moves its other chunks to tcache")
    static let fastbinPut = path("fastbin.put", "fastbin", "free puts the chunk into a fastbin")
    static let smallbinHit = path("smallbin.hit", "smallbin", "malloc served from a small bin")
    static let smallbinRefill = path(
        "smallbin.refill-tcache", "smallbin", "small-bin hit moves its other chunks to tcache")
    static let unsortedExact = path(
        "unsorted.exact-fit", "unsorted", "an exact fit taken from the unsorted bin")
    static let unsortedExactTcache = path(
        "unsorted.exact-fit-tcache", "unsorted", "exact unsorted fits parked in tcache first")
    static let unsortedToSmall = path(
        "unsorted.sort-small", "unsorted", "unsorted scan sorts a chunk into a small bin")
    static let unsortedToLarge = path(
        "unsorted.sort-large", "unsorted", "unsorted scan sorts a chunk into a large bin")
    static let lastRemainder = path(
        "last-remainder.split", "unsorted", "a small request split from the last remainder")
    static let largebinBestFit = path(
        "largebin.best-fit", "largebin", "best fit from the request's own large bin, split")
    static let binmapSplit = path(
        "binmap.split", "largebin", "the next non-empty larger bin (binmap), split")
    static let topSplit = path("top.split", "top", "carved from the top chunk")
    static let sysmallocBrk = path(
        "sysmalloc.brk", "sysmalloc", "sysmalloc grows the heap with brk")
    static let sysmallocMmap = path(
        "sysmalloc.mmap", "sysmalloc", "a chunk at or above the mmap threshold gets its own mmap")
    static let consolidate = path(
        "consolidate", "consolidate", "malloc_consolidate empties the fastbins")
    static let enomem = path("enomem", "sysmalloc", "malloc returns NULL (out of memory)")
    static let freeUnsorted = path(
        "free.unsorted", "free", "free merges with free neighbours into the unsorted bin")
    static let freeTop = path("free.merge-top", "free", "free merges the chunk into top")
    static let trim = path("trim.systrim", "trim", "systrim gives the top of the heap back (sbrk)")
    static let munmap = path("free.munmap", "trim", "free of an mmapped chunk unmaps it")
    static let thresholdRaise = path(
        "threshold.raise", "trim", "freeing an mmapped chunk raises the dynamic mmap threshold")
    static let reallocInPlace = path("realloc.in-place", "realloc", "realloc resizes in place")
    static let reallocMove = path("realloc.move", "realloc", "realloc moves the data")
    static let reallocMremap = path("realloc.mremap", "realloc", "realloc of an mmapped chunk")
    static let alignedSplit = path(
        "memalign.split", "memalign",
        "memalign gives back the leader or trailer around the aligned chunk")
    static let trimMadvise = path(
        "trim.madvise", "trim",
        "malloc_trim returns whole free pages inside the heap (MADV_DONTNEED)")
    static let threadCreate = path("thread.create", "arena", "a thread's stack and DTV are set up")
    static let arenaCreate = path(
        "arena.create", "arena", "a thread gets a new arena with its own 64 MiB heap")
    static let arenaReuse = path("arena.reuse", "arena", "a thread shares an existing arena")
    static let threadExit = path(
        "thread.exit", "arena", "an exiting thread gives its tcache back to the arenas")
    static let arenaFreeList = path(
        "arena.free-list", "arena", "a new thread takes an arena a finished thread left free")
    static let heapResize = path(
        "heap.resize", "arena", "a non-main heap grows (mprotect) or shrinks (shrink_heap)")
    static let heapUnmap = path("heap.unmap", "arena", "heap_trim unmaps a whole non-main heap")
    static let segfault = path("fatal.sigsegv", "abort", "the program dies with SIGSEGV")

    /// The `malloc_printerr` messages the model can produce.
    public static let abortMessages = [
        "break adjusted to free malloc space", "corrupted double-linked list",
        "corrupted double-linked list (not small)", "corrupted size vs. prev_size",
        "double free or corruption (!prev)", "double free or corruption (fasttop)",
        "double free or corruption (out)", "double free or corruption (top)",
        "free(): double free detected in tcache 2", "free(): invalid next size (fast)",
        "free(): invalid next size (normal)", "free(): invalid pointer", "free(): invalid size",
        "free(): too many chunks detected in tcache",
        "free(): unaligned chunk detected in tcache 2",
        "int_mallinfo(): unaligned fastbin chunk detected", "malloc(): corrupted top size",
        "malloc(): corrupted unsorted chunks 3", "malloc(): invalid next size (unsorted)",
        "malloc(): invalid next->prev_inuse (unsorted)", "malloc(): invalid size (unsorted)",
        "malloc(): largebin double linked list corrupted (bk)",
        "malloc(): memory corruption (fast)", "malloc(): mismatching next->prev_size (unsorted)",
        "malloc(): smallbin double linked list corrupted",
        "malloc(): unaligned fastbin chunk detected 2",
        "malloc(): unaligned fastbin chunk detected 3", "malloc(): unaligned tcache chunk detected",
        "malloc(): unsorted double linked list corrupted",
        "malloc_consolidate(): invalid chunk size",
        "malloc_consolidate(): unaligned fastbin chunk detected",
        "mremap_chunk(): invalid pointer", "munmap_chunk(): invalid pointer",
        "realloc(): invalid next size", "realloc(): invalid old size", "realloc(): invalid pointer",
    ]

    static func abort(_ message: String) -> AllocatorPath {
        path("abort." + message, "abort", "abort: \(message)")
    }

    /// Every path the malloc model can report.
    public static let catalog: [AllocatorPath] =
        [
            tcacheCreate, tcacheHit, tcachePut, fastbinHit, fastbinRefill, fastbinPut,
            smallbinHit, smallbinRefill, unsortedExact, unsortedExactTcache, unsortedToSmall,
            unsortedToLarge, lastRemainder, largebinBestFit, binmapSplit, topSplit, sysmallocBrk,
            sysmallocMmap, consolidate, enomem, freeUnsorted, freeTop, trim, munmap,
            thresholdRaise, reallocInPlace, reallocMove, reallocMremap, alignedSplit,
            trimMadvise, threadCreate, arenaCreate, arenaReuse, heapResize, heapUnmap, segfault,
            threadExit, arenaFreeList,
        ] + abortMessages.map(abort)

    /// The paths of one call's events (and its fatal end, if it died).
    ///
    /// - Parameters:
    ///   - events: The call's events, in order.
    ///   - fatal: How the process died in this call, if it did.
    ///   - chunk: The chunk size the call handed out or freed, for the wording (0: unknown).
    /// - Returns: One hit per path taken, in the order the events happened.
    public static func hits(_ events: [MallocEvent], fatal: MallocFatal?, chunk: UInt64)
        -> [PathHit]
    {
        let own = chunk == 0 ? "the chunk" : "the \(chunk)-byte chunk"
        // The first call sets up the tcache before it serves the request: what happens up to
        // `.tcacheCreated` concerns the tcache struct, not the program's chunk.
        var setupEnd = -1
        for (k, event) in events.enumerated() {
            if case .tcacheCreated = event { setupEnd = k }
        }
        var hits: [PathHit] = []
        for (k, event) in events.enumerated() {
            let bytes = k < setupEnd ? "the tcache struct" : own
            switch event {
            case .tcacheCreated:
                hits.append(PathHit(tcacheCreate, "the first call built the tcache", keywords: []))
            case .fromTcache(let bin, _):
                hits.append(
                    PathHit(tcacheHit, "\(bytes) came from tcache bin \(bin)", keywords: ["tcache"])
                )
            case .fromFastbin(let bin, let moved):
                hits.append(
                    PathHit(fastbinHit, "\(bytes) came from fastbin \(bin)", keywords: ["fastbin"]))
                if moved > 0 {
                    hits.append(
                        PathHit(fastbinRefill, "\(moved) more went from fastbin \(bin) to tcache"))
                }
            case .fromSmallbin(let bin, let moved):
                hits.append(
                    PathHit(
                        smallbinHit, "\(bytes) came from small bin \(bin)",
                        keywords: ["small bin", "smallbin"]))
                if moved > 0 {
                    hits.append(
                        PathHit(
                            smallbinRefill, "\(moved) more went from small bin \(bin) to tcache"))
                }
            case .unsortedExactFit(_, let viaTcache):
                hits.append(
                    PathHit(
                        viaTcache ? unsortedExactTcache : unsortedExact,
                        "\(bytes) was an exact fit from the unsorted bin"
                            + (viaTcache ? ", parked in tcache first" : ""),
                        keywords: ["unsorted", "exact fit"]))
            case .binned(_, let size, let bin):
                hits.append(
                    PathHit(
                        bin < 64 ? unsortedToSmall : unsortedToLarge,
                        "the unsorted scan sorted a \(size)-byte chunk into "
                            + (bin < 64 ? "small" : "large") + " bin \(bin)"))
            case .lastRemainderSplit(_, let remainder):
                hits.append(
                    PathHit(
                        lastRemainder,
                        "\(bytes) was split from the last remainder (\(remainder) bytes left)",
                        keywords: ["last remainder", "remainder"]))
            case .splitFromBin(let bin, let size, _, let ownBin):
                hits.append(
                    PathHit(
                        ownBin ? largebinBestFit : binmapSplit,
                        "\(bytes) was split from a free \(size)-byte chunk of bin \(bin)",
                        keywords: ["split", "large bin", "largebin"]))
            case .fromTop(_, let topSize):
                hits.append(
                    PathHit(
                        topSplit, "\(bytes) was carved from top (\(topSize) bytes of top left)",
                        keywords: ["top"]))
            case .brkGrown(let grown, _):
                hits.append(
                    PathHit(
                        sysmallocBrk, "sysmalloc grew the heap by \(grown) bytes with brk",
                        keywords: ["brk"]))
            case .mmapped(_, let size):
                hits.append(
                    PathHit(
                        sysmallocMmap, "\(bytes) got its own \(size)-byte mapping",
                        keywords: ["mmap"]))
            case .consolidated:
                hits.append(
                    PathHit(
                        consolidate, "malloc_consolidate emptied the fastbins",
                        keywords: ["consolidat"]))
            case .failed:
                hits.append(PathHit(enomem, "the call returned NULL", keywords: ["null"]))
            case .freedToTcache(let bin, let count):
                hits.append(
                    PathHit(
                        tcachePut, "\(bytes) went into tcache bin \(bin) (\(count) of 7)",
                        keywords: ["tcache"]))
            case .freedToFastbin(let bin):
                hits.append(
                    PathHit(fastbinPut, "\(bytes) went into fastbin \(bin)", keywords: ["fastbin"]))
            case .freedToUnsorted(_, let size):
                hits.append(
                    PathHit(
                        freeUnsorted, "a free \(size)-byte chunk went into the unsorted bin",
                        keywords: ["unsorted"]))
            case .mergedIntoTop(let topSize):
                hits.append(
                    PathHit(
                        freeTop, "\(bytes) merged into top (\(topSize) bytes)",
                        keywords: ["top"]))
            case .trimmed(let trimmed, _):
                hits.append(
                    PathHit(
                        trim, "systrim gave \(trimmed) bytes back with sbrk",
                        keywords: ["trim"]))
            case .munmapped(let size, let raised, _):
                hits.append(
                    PathHit(munmap, "the \(size)-byte mapping was unmapped", keywords: ["munmap"]))
                if let raised {
                    hits.append(
                        PathHit(
                            thresholdRaise, "the mmap threshold rose to \(raised)",
                            keywords: ["threshold"]))
                }
            case .reallocInPlace(let size):
                hits.append(
                    PathHit(
                        reallocInPlace, "realloc kept the chunk in place (\(size) bytes)",
                        keywords: ["in place"]))
            case .reallocMoved:
                hits.append(
                    PathHit(
                        reallocMove, "realloc moved the data and freed the old chunk",
                        keywords: ["moved", "copied"]))
            case .mremapped(let old, let new, _):
                hits.append(
                    PathHit(
                        reallocMremap, "mremap from \(old) to \(new) bytes",
                        keywords: ["mremap"]))
            case .aligned(let leader, let trailer):
                hits.append(
                    PathHit(
                        alignedSplit,
                        "memalign freed a \(leader)-byte leader and a \(trailer)-byte trailer",
                        keywords: ["memalign", "aligned"]))
            case .madvised(let pages):
                hits.append(
                    PathHit(
                        trimMadvise, "malloc_trim gave \(pages) pages back with MADV_DONTNEED",
                        keywords: ["madvise", "MADV_DONTNEED"]))
            case .threadCreated(let name, _):
                hits.append(PathHit(threadCreate, "thread \(name) was created"))
            case .arenaCreated(let arena, _, _):
                hits.append(
                    PathHit(arenaCreate, "arena \(arena) was created", keywords: ["arena"]))
            case .arenaReused(let arena):
                hits.append(
                    PathHit(arenaReuse, "arena \(arena) was reused", keywords: ["arena"]))
            case .heapResized(_, let size):
                hits.append(PathHit(heapResize, "a non-main heap became \(size) bytes"))
            case .heapUnmapped:
                hits.append(PathHit(heapUnmap, "a non-main heap was unmapped"))
            case .threadExited(let name, _, _, _):
                hits.append(PathHit(threadExit, "thread \(name) exited", keywords: ["exit"]))
            case .arenaFromFreeList(let arena):
                hits.append(
                    PathHit(
                        arenaFreeList, "arena \(arena) came from the free list",
                        keywords: ["free list"]))
            case .stackUnmapped, .stackReused:
                break
            }
        }
        switch fatal {
        case .abort(let message)?:
            hits.append(PathHit(abort(message), "glibc aborted: \(message)", keywords: ["abort"]))
        case .segfault?:
            hits.append(PathHit(segfault, "the program died with SIGSEGV", keywords: ["sigsegv"]))
        case nil:
            break
        }
        return hits
    }
}
