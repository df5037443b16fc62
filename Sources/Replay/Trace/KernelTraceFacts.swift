public import AllocatorModels

/// One fact of one kernel trace step, as `verify=kernel` compares it with a real kernel.
public struct KernelFact: Hashable, Sendable {
    /// The fact's name: `cache`, `objsize`, `objperslab`, `pagesperslab`, `ksize`, `path`,
    /// `moved`, `slab`, `slot`, `slab_freed`, `order`, `split`, `size`, `pages`, `page_array`,
    /// `vm_struct`, `ptr`, `free_pages`.
    public var name: String
    /// Its value as text (`kmalloc-128`, `new slab 1`, `-1`).
    public var value: String

    /// Creates a fact.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// The comparable facts of one trace step, and the facts left out of the comparison.
public struct KernelFactStep: Hashable, Sendable {
    /// The trace line the step comes from (1-based).
    public var line: Int
    /// Facts, in a fixed order.
    public var facts: [KernelFact]
    /// Facts of the step that are not compared, with why (`free_pages: page tables`).
    public var notCompared: [String]

    /// Creates a step.
    public init(line: Int, facts: [KernelFact], notCompared: [String] = []) {
        self.line = line
        self.facts = facts
        self.notCompared = notCompared
    }

    /// The value of a fact, if the step has it.
    public func value(_ name: String) -> String? {
        facts.first { $0.name == name }?.value
    }
}

/// A kernel trace as the real-kernel replayer reads it, with the model's facts per step.
public struct KernelFactTrace: Hashable, Sendable {
    /// The trace in the replayer's numeric wire format (KernelReplay/README.md).
    public var wire: String
    /// The model's facts, one entry per operation.
    public var steps: [KernelFactStep]
}

/// Replays a kernel trace through the model and words each step as the facts a real kernel
/// can confirm (see the README's "verify=kernel" section for what is compared and why).
public enum KernelTraceFacts {
    /// Why a step's free-page change is not compared.
    public static let pageTablesReason =
        "free_pages: vmalloc maps pages with page tables the model does not model"
    /// Why `kmem_cache_create`'s free-page change is not compared.
    public static let cacheCreateReason =
        "free_pages: kmem_cache_create allocates the cache's own structures, which the model does not"
    /// Why slab facts of a class vmalloc's own allocations share are not compared.
    public static let sharedCacheReason =
        "slab facts: vmalloc's own kmallocs share this cache in the model; the real run uses private caches"
    /// Why facts of a merged cache are not compared.
    public static let mergedReason =
        "cache facts: the model merged this cache; the real kernel boots with slab_nomerge"

    /// Parses and replays `trace` (the model's facts).
    ///
    /// Returns the parse errors, or the wire text and the facts.
    /// `afterEachStep` sees the machine after every step (tests check its invariants).
    public static func model(
        _ trace: String, cpus: Int, memoryBytes: UInt64, version: KernelVersion = .v6_1,
        afterEachStep: ((KernelMachine) -> Void)? = nil
    ) -> Result<KernelFactTrace, TraceErrorList> {
        let parsed = KernelTraceParser.parse(trace)
        guard parsed.errors.isEmpty else { return .failure(TraceErrorList(errors: parsed.errors)) }
        let unsupported =
            parsed.operations.compactMap(unsupported)
            + parsed.versionErrors(version)
        guard unsupported.isEmpty else { return .failure(TraceErrorList(errors: unsupported)) }
        var configuration = KernelMachine.Configuration(cpus: cpus, memoryBytes: memoryBytes)
        configuration.version = version
        // The guest boots with slab_nomerge, so that a trace's caches stay its own.
        configuration.slabNomerge = true
        var machine: KernelMachine
        do {
            machine = try KernelMachine(configuration)
        } catch {
            return .failure(
                TraceErrorList(errors: [TraceError(line: 1, column: 1, message: error.description)])
            )
        }
        var replay = KernelTraceReplay(ids: parsed.ids.count, caches: parsed.cacheNames.count)
        var state = FactState(
            ids: parsed.ids.count, shared: sharedClasses(parsed.operations, version: version),
            version: version)
        var steps: [KernelFactStep] = []
        steps.reserveCapacity(parsed.operations.count)
        for operation in parsed.operations {
            let before = freePages(machine)
            let previous = operation.reallocated.map { replay.pointers[$0] } ?? .null
            let outcome = replay.apply(operation, names: parsed, to: &machine)
            let delta = freePages(machine) - before
            afterEachStep?(machine)
            // ksize of what a kmalloc-family call returned (mm/slab_common.c `__ksize`).
            let ksize = outcome.pointer.flatMap { pointer -> UInt64? in
                switch pointer {
                case .slabObject, .pages: return machine.ksize(pointer.address).size
                default: return nil
                }
            }
            steps.append(
                state.step(
                    operation, outcome: outcome, delta: delta, names: parsed,
                    previous: previous, ksize: ksize))
            if outcome.bug != nil { break }
        }
        return .success(KernelFactTrace(wire: wire(parsed), steps: steps))
    }

    /// An error for an operation the replay module cannot run, else `nil`.
    static func unsupported(_ operation: KernelTraceOperation) -> TraceError? {
        let why: String
        switch operation.kind {
        case .kmalloc(_, _, _, let gfp):
            guard gfp.subtracting(.zero) != .kernel else { return nil }
            why = "GFP flags other than GFP_KERNEL and __GFP_ZERO"
        case .cacheCreate(_, _, let align, let flags, let constructor):
            guard align > 8 || !flags.isEmpty || constructor else { return nil }
            why = "an alignment, SLAB_* flags or a constructor"
        case .kmallocArray(_, _, _, _, let gfp), .krealloc(_, _, let gfp):
            guard gfp.subtracting(.zero) != .kernel else { return nil }
            why = "GFP flags other than GFP_KERNEL and __GFP_ZERO"
        case .kvmalloc(_, _, _, let gfp), .kvmallocArray(_, _, _, _, let gfp):
            guard kvFlagCode(gfp) == nil else { return nil }
            why = "GFP flags other than GFP_KERNEL, GFP_NOWAIT or GFP_ATOMIC (and __GFP_ZERO)"
        case .kvrealloc(_, let oldSize, _, let gfp):
            guard oldSize == nil || gfp.subtracting(.zero) != .kernel else { return nil }
            why =
                oldSize == nil
                ? "6.18's kvrealloc(p, size, flags) (the real kernel is 6.1)"
                : "GFP flags other than GFP_KERNEL and __GFP_ZERO"
        case .cacheDestroy: why = "kmem_cache_destroy"
        default: return nil
        }
        return TraceError(
            line: operation.line, column: 1, message: "the real-kernel replay does not run \(why)")
    }

    /// The wire's code for the flags of a kvmalloc-family call, else `nil`.
    ///
    /// 0 `GFP_KERNEL`, 1 `GFP_NOWAIT`, 2 `GFP_ATOMIC` (`__GFP_ZERO` aside; it picks the call).
    /// They decide kvmalloc's path: only a caller that may sleep gets the vmalloc fallback.
    static func kvFlagCode(_ gfp: GFP) -> Int? {
        switch gfp.subtracting(.zero) {
        case .kernel: return 0
        case .noWait: return 1
        case .atomic: return 2
        default: return nil
        }
    }

    /// Free pages of the zone: the buddy lists plus the per-CPU lists (when the model has
    /// them), as the guest counts them.
    static func freePages(_ machine: KernelMachine) -> Int {
        var total = machine.perCPU?.count ?? 0
        for (order, count) in machine.buddy.freeCounts.enumerated() { total += count << order }
        return total
    }

    /// The kmalloc classes vmalloc's own allocations use in this trace (vm_struct, the page
    /// array), and vmap_area.
    static func sharedClasses(
        _ operations: [KernelTraceOperation], version: KernelVersion
    ) -> Set<String> {
        var shared: Set<String> = []
        for operation in operations {
            var size: UInt64
            switch operation.kind {
            case .vmalloc(_, let bytes, _):
                size = bytes
            case .kvmalloc(_, let bytes, _, _):
                // Above KMALLOC_MAX_SIZE kmalloc fails and kvmalloc takes the vmalloc path,
                // from 2 MiB on rounded up to 2 MiB (VM_ALLOW_HUGE_VMAP).
                guard bytes > KernelLayout.kmallocMaxSize else { continue }
                size = (bytes + (2 << 20) - 1) & ~((2 << 20) - 1)
            case .kvmallocArray(_, let count, let each, _, _):
                let (bytes, overflow) = count.multipliedReportingOverflow(by: each)
                guard !overflow, bytes > KernelLayout.kmallocMaxSize else { continue }
                size = (bytes + (2 << 20) - 1) & ~((2 << 20) - 1)
            default:
                continue
            }
            shared.insert("vmap_area")
            if let name = KernelMachine.kmallocCacheName(forSize: Int(version.vmStructSize)) {
                shared.insert(name)
            }
            var pages = (size + KernelLayout.pageSize - 1) / KernelLayout.pageSize
            // The page array, and for a vmalloc'd array its own page array, and so on.
            while pages > 0 {
                let array = pages * 8
                if array <= KernelLayout.pageSize {
                    if let name = KernelMachine.kmallocCacheName(forSize: Int(array)) {
                        shared.insert(name)
                    }
                    break
                }
                pages = (array + KernelLayout.pageSize - 1) / KernelLayout.pageSize
            }
        }
        return shared
    }

    /// The numeric wire format: a header `n IDS CACHES OPS`, then one line per operation.
    static func wire(_ parsed: KernelTraceParser) -> String {
        var lines = ["n \(parsed.ids.count) \(parsed.cacheNames.count) \(parsed.operations.count)"]
        lines.reserveCapacity(parsed.operations.count + 1)
        for operation in parsed.operations {
            switch operation.kind {
            case .kmalloc(let id, let size, let zero, let gfp):
                let zeroed = zero || gfp.contains(.zero)
                lines.append("\(zeroed ? "z" : "m") \(id) \(size)")
            case .kfree(let id): lines.append("f \(id)")
            case .allocPages(let id, let order): lines.append("p \(id) \(order)")
            case .freePages(let id): lines.append("q \(id)")
            case .vmalloc(let id, let size, let zero):
                lines.append("\(zero ? "w" : "v") \(id) \(size)")
            case .vfree(let id): lines.append("u \(id)")
            case .cacheCreate(let cache, let size, _, _, _):
                lines.append("c \(cache) \(size) \(parsed.cacheNames[cache])")
            case .cacheAlloc(let id, let cache): lines.append("a \(id) \(cache)")
            case .cacheFree(let id): lines.append("d \(id)")
            case .kmallocArray(let id, let count, let size, let zero, let gfp):
                let zeroed = zero || gfp.contains(.zero)
                lines.append("\(zeroed ? "y" : "x") \(id) \(count) \(size)")
            case .kvmallocArray(let id, let count, let size, let zero, let gfp):
                let zeroed = zero || gfp.contains(.zero)
                let code = kvFlagCode(gfp) ?? 0
                lines.append("\(zeroed ? "Y" : "X") \(id) \(count) \(size) \(code)")
            case .kvmalloc(let id, let size, let zero, let gfp):
                let zeroed = zero || gfp.contains(.zero)
                let code = kvFlagCode(gfp) ?? 0
                lines.append("\(zeroed ? "Z" : "K") \(id) \(size) \(code)")
            case .kvfree(let id): lines.append("F \(id)")
            case .krealloc(let id, let size, _): lines.append("k \(id) \(size)")
            case .kvrealloc(let id, let oldSize, let size, _):
                lines.append("R \(id) \(oldSize ?? 0) \(size)")
            case .cacheDestroy:
                break  // refused by `unsupported` before the replay
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Whether the real page allocator serves this order from its free lists (so the split
    /// rule is visible): not orders 0–3 and 9, which go through the per-CPU page lists.
    public static func splitVisible(_ order: Int) -> Bool {
        order > 3 && order != 9 && order <= KernelLayout.maxOrder
    }
}
