/// The functions scenario statements may call, with their parameters.
struct ScenarioFunction {
    /// What an argument must be.
    enum Parameter {
        case size(String), pointer, gfp, order, string, cache, malloptParameter, value(String),
            ignored(String), address
    }
    /// What a call hands back.
    enum Returns { case pointer, cache, value, nothing }

    let model: ScenarioModelKind
    let parameters: [Parameter]
    let returns: Returns

    /// The C prototype shown when the argument count is wrong.
    let prototype: String

    static let table: [String: ScenarioFunction] = [
        "malloc": .init(.malloc, [.size("size")], .pointer, "malloc(size)"),
        "calloc": .init(.malloc, [.size("nmemb"), .size("size")], .pointer, "calloc(nmemb, size)"),
        "realloc": .init(.malloc, [.pointer, .size("size")], .pointer, "realloc(ptr, size)"),
        "free": .init(.malloc, [.pointer], .nothing, "free(ptr)"),
        "mallopt": .init(
            .malloc, [.malloptParameter, .value("value")], .value,
            "mallopt(param, value)"),
        "memset": .init(
            .malloc, [.pointer, .value("byte"), .size("n")], .nothing,
            "memset(ptr, byte, n)"),
        "malloc_usable_size": .init(.malloc, [.pointer], .value, "malloc_usable_size(ptr)"),
        "memalign": .init(
            .malloc, [.size("alignment"), .size("size")], .pointer, "memalign(alignment, size)"),
        "aligned_alloc": .init(
            .malloc, [.size("alignment"), .size("size")], .pointer, "aligned_alloc(alignment, size)"
        ),
        "valloc": .init(.malloc, [.size("size")], .pointer, "valloc(size)"),
        "pvalloc": .init(.malloc, [.size("size")], .pointer, "pvalloc(size)"),
        "posix_memalign": .init(
            .malloc, [.address, .size("alignment"), .size("size")], .value,
            "posix_memalign(&ptr, alignment, size)"),
        "malloc_trim": .init(.malloc, [.size("pad")], .value, "malloc_trim(pad)"),
        "malloc_stats": .init(.malloc, [], .nothing, "malloc_stats()"),
        "mallinfo2": .init(.malloc, [], .value, "mallinfo2()"),
        "kmalloc": .init(.kernel, [.size("size"), .gfp], .pointer, "kmalloc(size, flags)"),
        "kzalloc": .init(.kernel, [.size("size"), .gfp], .pointer, "kzalloc(size, flags)"),
        "kfree": .init(.kernel, [.pointer], .nothing, "kfree(ptr)"),
        "ksize": .init(.kernel, [.pointer], .value, "ksize(ptr)"),
        "vmalloc": .init(.kernel, [.size("size")], .pointer, "vmalloc(size)"),
        "vzalloc": .init(.kernel, [.size("size")], .pointer, "vzalloc(size)"),
        "vfree": .init(.kernel, [.pointer], .nothing, "vfree(addr)"),
        "alloc_pages": .init(.kernel, [.gfp, .order], .pointer, "alloc_pages(gfp, order)"),
        "__free_pages": .init(.kernel, [.pointer, .order], .nothing, "__free_pages(page, order)"),
        "kmem_cache_create": .init(
            .kernel, [.string, .size("size"), .size("align"), .ignored("flags"), .ignored("ctor")],
            .cache, "kmem_cache_create(name, size, align, flags, ctor)"),
        "kmem_cache_alloc": .init(
            .kernel, [.cache, .gfp], .pointer, "kmem_cache_alloc(cache, flags)"),
        "kmem_cache_zalloc": .init(
            .kernel, [.cache, .gfp], .pointer,
            "kmem_cache_zalloc(cache, flags)"),
        "kmem_cache_free": .init(
            .kernel, [.cache, .pointer], .nothing, "kmem_cache_free(cache, obj)"),
    ]

    /// The `/proc` files `cat` may read, per model.
    static let procFiles: [ScenarioModelKind: [String]] = [
        .malloc: ["/proc/self/maps"],
        .kernel: ["/proc/buddyinfo", "/proc/slabinfo", "/proc/vmallocinfo"],
    ]

    /// The `mallopt` parameters.
    static let malloptParameters: Set<String> = [
        "M_MMAP_THRESHOLD", "M_TRIM_THRESHOLD", "M_TOP_PAD", "M_MMAP_MAX", "M_MXFAST",
        "M_CHECK_ACTION", "M_PERTURB", "M_ARENA_TEST", "M_ARENA_MAX",
    ]

    private init(
        _ model: ScenarioModelKind, _ parameters: [Parameter], _ returns: Returns,
        _ prototype: String
    ) {
        self.model = model
        self.parameters = parameters
        self.returns = returns
        self.prototype = prototype
    }
}
