public import AllocatorModels

/// What one scenario statement does, with every argument evaluated.
public enum ScenarioAction: Hashable, Sendable {
    // MARK: malloc model

    /// `T = malloc(size);`
    case malloc(size: UInt64)
    /// `T = calloc(count, size);`
    case calloc(count: UInt64, size: UInt64)
    /// `T = realloc(P, size);`
    case realloc(PointerReference, size: UInt64)
    /// `free(P);`
    case free(PointerReference)
    /// `mallopt(M_…, value);`
    case mallopt(parameter: String, value: Int64)
    /// `memset(P, byte, length);` (touches the pages).
    case memset(PointerReference, byte: Int64, length: UInt64)
    /// `malloc_usable_size(P);`
    case mallocUsableSize(PointerReference)
    /// `T = memalign(alignment, size);`, `aligned_alloc`, `valloc(size)`, `pvalloc(size)` (the
    /// alignment is then 4096), or `r = posix_memalign(&out, alignment, size);`.
    case alignedAlloc(AlignedAllocator, alignment: UInt64, size: UInt64, out: String?)
    /// `malloc_trim(pad);`
    case mallocTrim(pad: UInt64)
    /// `malloc_stats();`
    case mallocStats
    /// `mallinfo2();`
    case mallinfo2
    /// `thread T: pthread_exit(NULL);` (the main thread joins it at once).
    case threadExit

    // MARK: kernel model

    /// `T = kmalloc(size, gfp);` or `kzalloc` (`zero`).
    case kmalloc(size: UInt64, gfp: GFPFlags, zero: Bool)
    /// `kfree(P);`
    case kfree(PointerReference)
    /// `ksize(P);`
    case ksize(PointerReference)
    /// `T = vmalloc(size);` or `vzalloc` (`zero`).
    case vmalloc(size: UInt64, zero: Bool)
    /// `vfree(P);`
    case vfree(PointerReference)
    /// `T = alloc_pages(gfp, order);`
    case allocPages(gfp: GFPFlags, order: Int)
    /// `__free_pages(P, order);`
    case freePages(PointerReference, order: Int)
    /// `T = kmem_cache_create("name", size, align, flags, ctor);` (`flags`: the `SLAB_*`
    /// names written; `constructor`: a function name instead of NULL).
    case kmemCacheCreate(
        name: String, size: UInt64, align: UInt64, flags: [String], constructor: Bool)
    /// `kmem_cache_destroy(cache);`
    case kmemCacheDestroy(cache: String)
    /// `T = kmalloc_array(n, size, gfp);` or `kcalloc` (`zero`).
    case kmallocArray(count: UInt64, size: UInt64, gfp: GFPFlags, zero: Bool)
    /// `T = krealloc(P, size, gfp);`
    case krealloc(PointerReference, size: UInt64, gfp: GFPFlags)
    /// `T = kvmalloc(size, gfp);` or `kvzalloc` (`zero`).
    case kvmalloc(size: UInt64, gfp: GFPFlags, zero: Bool)
    /// `kvfree(P);`
    case kvfree(PointerReference)
    /// `T = kvmalloc_array(n, size, gfp);` or `kvcalloc` (`zero`).
    case kvmallocArray(count: UInt64, size: UInt64, gfp: GFPFlags, zero: Bool)
    /// `T = kvrealloc(P, size, gfp);` (6.18) or `T = kvrealloc(P, oldsize, newsize, gfp);`
    /// (6.1, `oldSize` given).
    case kvrealloc(PointerReference, oldSize: UInt64?, size: UInt64, gfp: GFPFlags)
    /// `drain_all_pages();` (per-CPU page lists back to the buddy allocator).
    case drainAllPages
    /// `T = kmem_cache_alloc(cache, gfp);` (`zero` for `kmem_cache_zalloc`).
    case kmemCacheAlloc(cache: String, gfp: GFPFlags, zero: Bool)
    /// `kmem_cache_free(cache, P);`
    case kmemCacheFree(cache: String, PointerReference)

    // MARK: both

    /// `cat /proc/…` (`/proc/self/maps` for malloc; buddyinfo, slabinfo, vmallocinfo for kernel).
    case cat(String)
}

/// GFP flags as written, combined with `|`, with the few facts the models need.
public struct GFPFlags: Hashable, Sendable {
    /// The flag names as written, in order (`GFP_KERNEL`, `__GFP_ZERO`).
    public var names: [String]

    /// Creates flags from their names.
    public init(_ names: [String]) { self.names = names }

    /// Whether the parser accepts `name` (a name `GFP.named` knows).
    public static func isKnown(_ name: String) -> Bool { GFP.named(name) != nil }

    /// The model's mask for the flags written.
    public var mask: GFP {
        var gfp: GFP = []
        for name in names { gfp.formUnion(GFP.named(name) ?? []) }
        return gfp
    }

    /// Whether `__GFP_ZERO` is set.
    public var zero: Bool { names.contains("__GFP_ZERO") }
    /// Whether the caller may sleep (`GFP_KERNEL` and friends, not `GFP_ATOMIC`/`GFP_NOWAIT`).
    public var mayBlock: Bool {
        names.contains {
            [
                "GFP_KERNEL", "GFP_KERNEL_ACCOUNT", "GFP_NOIO", "GFP_NOFS", "GFP_USER",
                "GFP_HIGHUSER", "GFP_HIGHUSER_MOVABLE",
            ].contains($0)
        }
    }
    /// Whether `__GFP_ACCOUNT` is set (directly or through `GFP_KERNEL_ACCOUNT`).
    public var account: Bool {
        names.contains("__GFP_ACCOUNT") || names.contains("GFP_KERNEL_ACCOUNT")
    }
    /// The flags as written: `GFP_KERNEL | __GFP_ZERO`.
    public var spelling: String { names.joined(separator: " | ") }
}

/// One statement of a scenario, parsed.
public struct ScenarioStatement: Hashable, Sendable {
    /// The statement text as written (without a leading `//-`), for captions and traces.
    public var text: String
    /// The 1-based line in the lesson file.
    public var line: Int
    /// The 1-based column where the statement starts.
    public var column: Int
    /// Whether it is a hidden setup line (`//-`).
    public var hidden: Bool
    /// The variable assigned (`A` in `A = malloc(8);`), if any.
    public var target: String?
    /// What it does.
    public var action: ScenarioAction
    /// A trailing `// comment` on the statement's line, as written (shown on the page).
    public var comment: String?
    /// The thread it runs on (`thread T1: …`); `nil` is the main thread.
    public var thread: String?

    /// Creates a statement.
    public init(
        text: String, line: Int, column: Int, hidden: Bool, target: String?,
        action: ScenarioAction, comment: String? = nil
    ) {
        self.comment = comment
        self.text = text
        self.line = line
        self.column = column
        self.hidden = hidden
        self.target = target
        self.action = action
    }
}
