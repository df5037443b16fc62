import AllocatorModels

/// The functions scenario statements may call: the one table of names, models, parameters,
/// results and the action each call builds.
struct ScenarioFunction: Sendable {
    /// What a call hands back.
    enum Returns { case pointer, cache, value, nothing }
    /// Builds the call's action, evaluating each argument as the parameter it fills.
    typealias Action = @Sendable (CallArguments) throws(ScenarioIssue) -> ScenarioAction

    let model: ScenarioModelKind
    /// The parameters' names, as in the C prototype.
    let parameters: [String]
    /// A second prototype the function also accepts (6.1's four-argument `kvrealloc`).
    var alternateParameters: [String]? = nil
    let returns: Returns
    let action: Action

    /// The C prototype shown when the argument count is wrong, such as `calloc(nmemb, size)`.
    func prototype(_ name: String) -> String {
        var text = "\(name)(\(parameters.joined(separator: ", ")))"
        if let alternate = alternateParameters {
            text += " or \(name)(\(alternate.joined(separator: ", ")))"
        }
        return text
    }

    /// Whether a call may pass `count` arguments.
    func accepts(_ count: Int) -> Bool {
        count == parameters.count || count == alternateParameters?.count
    }

    static let table: [String: ScenarioFunction] = [
        "malloc": .init(.malloc, ["size"], .pointer) { a throws(ScenarioIssue) in
            .malloc(size: try a.size(0))
        },
        "calloc": .init(.malloc, ["nmemb", "size"], .pointer) { a throws(ScenarioIssue) in
            .calloc(count: try a.size(0), size: try a.size(1))
        },
        "realloc": .init(.malloc, ["ptr", "size"], .pointer) { a throws(ScenarioIssue) in
            .realloc(try a.pointer(0), size: try a.size(1))
        },
        "free": .init(.malloc, ["ptr"], .nothing) { a throws(ScenarioIssue) in
            .free(try a.pointer(0))
        },
        "mallopt": .init(.malloc, ["param", "value"], .value) { a throws(ScenarioIssue) in
            .mallopt(parameter: try a.malloptParameter(0), value: try a.value(1))
        },
        "memset": .init(.malloc, ["ptr", "byte", "n"], .nothing) { a throws(ScenarioIssue) in
            .memset(try a.pointer(0), byte: try a.value(1), length: try a.size(2))
        },
        "malloc_usable_size": .init(.malloc, ["ptr"], .value) { a throws(ScenarioIssue) in
            .mallocUsableSize(try a.pointer(0))
        },
        "memalign": .aligned(.memalign, ["alignment", "size"]),
        "aligned_alloc": .aligned(.alignedAlloc, ["alignment", "size"]),
        "valloc": .aligned(.valloc, ["size"]),
        "pvalloc": .aligned(.pvalloc, ["size"]),
        "posix_memalign": .aligned(.posixMemalign, ["&ptr", "alignment", "size"]),
        "malloc_trim": .init(.malloc, ["pad"], .value) { a throws(ScenarioIssue) in
            .mallocTrim(pad: try a.size(0))
        },
        "malloc_stats": .init(.malloc, [], .nothing) { _ in .mallocStats },
        "mallinfo2": .init(.malloc, [], .value) { _ in .mallinfo2 },
        "pthread_exit": .init(.malloc, ["retval"], .nothing) { a throws(ScenarioIssue) in
            guard try a.pointer(0).variable == nil else {
                throw a.issue(0, "pthread_exit takes NULL here: the model has no return values")
            }
            return .threadExit
        },
        "kmalloc": .init(.kernel, ["size", "flags"], .pointer) { a throws(ScenarioIssue) in
            .kmalloc(size: try a.size(0), gfp: try a.gfp(1), zero: false)
        },
        "kzalloc": .init(.kernel, ["size", "flags"], .pointer) { a throws(ScenarioIssue) in
            .kmalloc(size: try a.size(0), gfp: try a.gfp(1), zero: true)
        },
        "kfree": .init(.kernel, ["ptr"], .nothing) { a throws(ScenarioIssue) in
            .kfree(try a.pointer(0))
        },
        "ksize": .init(.kernel, ["ptr"], .value) { a throws(ScenarioIssue) in
            .ksize(try a.pointer(0))
        },
        "vmalloc": .init(.kernel, ["size"], .pointer) { a throws(ScenarioIssue) in
            .vmalloc(size: try a.size(0), zero: false)
        },
        "vzalloc": .init(.kernel, ["size"], .pointer) { a throws(ScenarioIssue) in
            .vmalloc(size: try a.size(0), zero: true)
        },
        "vfree": .init(.kernel, ["addr"], .nothing) { a throws(ScenarioIssue) in
            .vfree(try a.pointer(0))
        },
        "alloc_pages": .init(.kernel, ["gfp", "order"], .pointer) { a throws(ScenarioIssue) in
            .allocPages(gfp: try a.gfp(0), order: try a.order(1))
        },
        "__free_pages": .init(.kernel, ["page", "order"], .nothing) { a throws(ScenarioIssue) in
            .freePages(try a.pointer(0), order: try a.order(1))
        },
        "kmem_cache_create": .init(
            .kernel, ["name", "size", "align", "flags", "ctor"], .cache
        ) { a throws(ScenarioIssue) in
            .kmemCacheCreate(
                name: try a.string(0), size: try a.size(1), align: try a.size(2),
                flags: try a.slabFlags(3), constructor: try a.constructor(4))
        },
        "kmem_cache_destroy": .init(.kernel, ["cache"], .nothing) { a throws(ScenarioIssue) in
            .kmemCacheDestroy(cache: try a.cache(0))
        },
        "kmalloc_array": .init(.kernel, ["n", "size", "flags"], .pointer) {
            a throws(ScenarioIssue) in
            .kmallocArray(count: try a.size(0), size: try a.size(1), gfp: try a.gfp(2), zero: false)
        },
        "kcalloc": .init(.kernel, ["n", "size", "flags"], .pointer) { a throws(ScenarioIssue) in
            .kmallocArray(count: try a.size(0), size: try a.size(1), gfp: try a.gfp(2), zero: true)
        },
        "krealloc": .init(.kernel, ["p", "new_size", "flags"], .pointer) {
            a throws(ScenarioIssue) in
            .krealloc(try a.pointer(0), size: try a.size(1), gfp: try a.gfp(2))
        },
        "kvmalloc": .init(.kernel, ["size", "flags"], .pointer) { a throws(ScenarioIssue) in
            .kvmalloc(size: try a.size(0), gfp: try a.gfp(1), zero: false)
        },
        "kvzalloc": .init(.kernel, ["size", "flags"], .pointer) { a throws(ScenarioIssue) in
            .kvmalloc(size: try a.size(0), gfp: try a.gfp(1), zero: true)
        },
        "kvfree": .init(.kernel, ["addr"], .nothing) { a throws(ScenarioIssue) in
            .kvfree(try a.pointer(0))
        },
        "kvmalloc_array": .init(.kernel, ["n", "size", "flags"], .pointer) {
            a throws(ScenarioIssue) in
            .kvmallocArray(
                count: try a.size(0), size: try a.size(1), gfp: try a.gfp(2), zero: false)
        },
        "kvcalloc": .init(.kernel, ["n", "size", "flags"], .pointer) { a throws(ScenarioIssue) in
            .kvmallocArray(count: try a.size(0), size: try a.size(1), gfp: try a.gfp(2), zero: true)
        },
        "kvrealloc": .kvrealloc,
        "drain_all_pages": .init(.kernel, [], .nothing) { _ in .drainAllPages },
        "kmem_cache_alloc": .init(.kernel, ["cache", "flags"], .pointer) {
            a throws(ScenarioIssue) in
            .kmemCacheAlloc(cache: try a.cache(0), gfp: try a.gfp(1), zero: false)
        },
        "kmem_cache_zalloc": .init(.kernel, ["cache", "flags"], .pointer) {
            a throws(ScenarioIssue) in
            .kmemCacheAlloc(cache: try a.cache(0), gfp: try a.gfp(1), zero: true)
        },
        "kmem_cache_free": .init(.kernel, ["cache", "obj"], .nothing) { a throws(ScenarioIssue) in
            .kmemCacheFree(cache: try a.cache(0), try a.pointer(1))
        },
    ]

    /// The `/proc` files `cat` may read, per model.
    static let procFiles: [ScenarioModelKind: [String]] = [
        .malloc: ["/proc/self/maps"],
        .kernel: ["/proc/buddyinfo", "/proc/slabinfo", "/proc/vmallocinfo", "/proc/zoneinfo"],
    ]

    /// The `mallopt` parameters.
    static let malloptParameters: Set<String> = [
        "M_MMAP_THRESHOLD", "M_TRIM_THRESHOLD", "M_TOP_PAD", "M_MMAP_MAX", "M_MXFAST",
        "M_CHECK_ACTION", "M_PERTURB", "M_ARENA_TEST", "M_ARENA_MAX",
    ]

    /// memalign and friends: `(alignment, size)`, `(size)` with 4096, or posix_memalign's
    /// `(&ptr, alignment, size)`, which returns an int and defines `ptr`.
    static func aligned(_ kind: AlignedAllocator, _ parameters: [String]) -> ScenarioFunction {
        .init(.malloc, parameters, kind == .posixMemalign ? .value : .pointer) {
            a throws(ScenarioIssue) in
            let out = kind == .posixMemalign ? try a.address(0) : nil
            let first = out == nil ? 0 : 1
            let alignment = parameters.count - first == 2 ? try a.size(first) : 4096
            return .alignedAlloc(
                kind, alignment: alignment, size: try a.size(parameters.count - 1), out: out)
        }
    }

    /// `kvrealloc(p, size, flags)` (6.18) or 6.1's `kvrealloc(p, oldsize, newsize, flags)`.
    static let kvrealloc: ScenarioFunction = {
        var function = ScenarioFunction(.kernel, ["p", "size", "flags"], .pointer) {
            a throws(ScenarioIssue) in
            if a.count == 4 {
                return .kvrealloc(
                    try a.pointer(0), oldSize: try a.size(1), size: try a.size(2),
                    gfp: try a.gfp(3))
            }
            return .kvrealloc(
                try a.pointer(0), oldSize: nil, size: try a.size(1), gfp: try a.gfp(2))
        }
        function.alternateParameters = ["p", "oldsize", "newsize", "flags"]
        return function
    }()

    private init(
        _ model: ScenarioModelKind, _ parameters: [String], _ returns: Returns,
        _ action: @escaping Action
    ) {
        self.model = model
        self.parameters = parameters
        self.returns = returns
        self.action = action
    }
}
