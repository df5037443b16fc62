public import AllocatorModels

/// One fact of one kernel trace step, as `verify=kernel` compares it with a real kernel.
public struct KernelFact: Hashable, Sendable {
    /// The fact's name: `cache`, `objsize`, `objperslab`, `pagesperslab`, `slab`, `slot`,
    /// `slab_freed`, `order`, `split`, `size`, `pages`, `page_array`, `vm_struct`, `ptr`,
    /// `free_pages`.
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
        let unsupported = parsed.operations.compactMap(unsupported)
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
            let outcome = replay.apply(operation, names: parsed, to: &machine)
            let delta = freePages(machine) - before
            afterEachStep?(machine)
            steps.append(
                state.step(operation, outcome: outcome, delta: delta, names: parsed))
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
        case .kmallocArray: why = "kmalloc_array and kcalloc"
        case .krealloc: why = "krealloc"
        case .kvmalloc, .kvfree, .kvmallocArray:
            why = "kvmalloc, kvmalloc_array, kvcalloc and kvfree"
        case .cacheDestroy: why = "kmem_cache_destroy"
        default: return nil
        }
        return TraceError(
            line: operation.line, column: 1, message: "the real-kernel replay does not run \(why)")
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
            guard case .vmalloc(_, let size, _) = operation.kind else { continue }
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
            case .kmallocArray, .krealloc, .kvmalloc, .kvfree, .kvmallocArray, .cacheDestroy:
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

/// What the fact extraction remembers between steps.
struct FactState {
    /// Per slot: the object's cache and slab pfn, when it is a slab object.
    var objects: [(cache: String, pfn: Int, compared: Bool)?]
    /// Per cache: slab pfn → ordinal (1-based, in order of creation in the trace).
    var ordinals: [String: [Int: Int]] = [:]
    var created: [String: Int] = [:]
    /// Caches the model merged into another.
    var merged: Set<String> = []
    /// kmalloc classes shared with vmalloc's own allocations.
    let shared: Set<String>
    /// The release modelled.
    let version: KernelVersion

    init(ids: Int, shared: Set<String>, version: KernelVersion) {
        objects = Array(repeating: nil, count: ids)
        self.shared = shared
        self.version = version
    }

    mutating func step(
        _ operation: KernelTraceOperation, outcome: KernelOutcome, delta: Int,
        names: KernelTraceParser
    ) -> KernelFactStep {
        var facts: [KernelFact] = []
        var skipped: [String] = []
        var comparePages = true
        switch operation.kind {
        case .kmalloc(let id, _, _, _), .cacheAlloc(let id, _):
            objects[id] = nil
            switch outcome.pointer {
            case .slabObject(let o)?:
                var cacheName = o.cache
                if case .cacheAlloc(_, let slot) = operation.kind {
                    cacheName = names.cacheNames[slot]
                    if merged.contains(cacheName) {
                        skipped.append(KernelTraceFacts.mergedReason)
                        comparePages = false
                        break
                    }
                }
                facts += [
                    KernelFact("cache", cacheName), KernelFact("objsize", String(o.objectSize)),
                    KernelFact("objperslab", String(o.objectsPerSlab)),
                    KernelFact("pagesperslab", String(o.pagesPerSlab)),
                ]
                if shared.contains(o.cache) {
                    skipped.append(KernelTraceFacts.sharedCacheReason)
                    comparePages = false
                    objects[id] = (o.cache, o.slabPfn, false)
                    break
                }
                facts.append(KernelFact("slab", slab(o, outcome.events)))
                facts.append(KernelFact("slot", String(o.index)))
                objects[id] = (o.cache, o.slabPfn, true)
            case .pages(let p)?:
                facts.append(KernelFact("order", String(p.order)))
                split(p.order, outcome.events, into: &facts)
            case .zeroSize?:
                facts.append(KernelFact("ptr", "ZERO_SIZE_PTR"))
            case .null?, nil:
                facts.append(KernelFact("ptr", "NULL"))
            case .vmalloc?:
                break
            }
        case .allocPages:
            if case .pages(let p)? = outcome.pointer {
                facts.append(KernelFact("order", String(p.order)))
                split(p.order, outcome.events, into: &facts)
            } else {
                facts.append(KernelFact("ptr", "NULL"))
            }
        case .kfree(let id), .cacheFree(let id):
            if let object = objects[id] {
                if object.compared {
                    let freed = outcome.events.contains {
                        if case .slabDiscarded(let cache, let pfn, _) = $0 {
                            return cache == object.cache && pfn == object.pfn
                        }
                        return false
                    }
                    facts.append(KernelFact("slab_freed", freed ? "yes" : "no"))
                    if freed { ordinals[object.cache]?[object.pfn] = nil }
                } else {
                    skipped.append(KernelTraceFacts.sharedCacheReason)
                    comparePages = false
                }
            }
            objects[id] = nil
        case .freePages:
            break
        case .vmalloc:
            if case .vmalloc(let v)? = outcome.pointer {
                facts.append(KernelFact("size", String(v.size)))
                facts.append(KernelFact("pages", String(v.pfns.count)))
                let pages = UInt64(v.pfns.count)
                let array =
                    pages * 8 > KernelLayout.pageSize
                    ? "vmalloc" : KernelMachine.kmallocCacheName(forSize: Int(pages * 8)) ?? "?"
                facts.append(KernelFact("page_array", array))
                let vmStruct = KernelMachine.kmallocCacheName(forSize: Int(version.vmStructSize))
                facts.append(KernelFact("vm_struct", vmStruct ?? "?"))
            } else {
                facts.append(KernelFact("ptr", "NULL"))
            }
            skipped.append(KernelTraceFacts.pageTablesReason)
            comparePages = false
        case .vfree, .kmallocArray, .krealloc, .kvmalloc, .kvfree, .kvmallocArray, .cacheDestroy:
            break
        case .cacheCreate(let slot, _, _, _, _):
            let name = names.cacheNames[slot]
            for event in outcome.events {
                switch event {
                case .cacheCreated(_, let g):
                    facts += [
                        KernelFact("cache", name), KernelFact("objsize", String(g.size)),
                        KernelFact("objperslab", String(g.objectsPerSlab)),
                        KernelFact("pagesperslab", String(1 << g.order)),
                    ]
                case .cacheMerged:
                    merged.insert(name)
                    skipped.append(KernelTraceFacts.mergedReason)
                default:
                    break
                }
            }
            skipped.append(KernelTraceFacts.cacheCreateReason)
            comparePages = false
        }
        if case .vfree = operation.kind {
            // vmalloc's own slab pages (vm_struct, vmap_area, page array) come from caches
            // that boot keeps warm in the real kernel: leave them out of the model's count.
            facts.append(KernelFact("free_pages", String(delta - sharedSlabPages(outcome.events))))
        } else if comparePages {
            facts.append(KernelFact("free_pages", String(delta)))
        }
        return KernelFactStep(line: operation.line, facts: facts, notCompared: skipped)
    }

    /// Pages that slab caches took (negative) or gave back (positive) during the step.
    func sharedSlabPages(_ events: [KernelEvent]) -> Int {
        var pages = 0
        for event in events {
            switch event {
            case .newSlab(_, _, let order, _): pages -= 1 << order
            case .slabDiscarded(_, _, let order): pages += 1 << order
            default: break
            }
        }
        return pages
    }

    /// `new slab K` or `slab K`: the object's slab, numbered per cache in creation order.
    mutating func slab(_ o: SlabObjectInfo, _ events: [KernelEvent]) -> String {
        let isNew = events.contains {
            if case .newSlab(let cache, let pfn, _, _) = $0 {
                return cache == o.cache && pfn == o.slabPfn
            }
            return false
        }
        if isNew || ordinals[o.cache]?[o.slabPfn] == nil {
            let n = (created[o.cache] ?? 0) + 1
            created[o.cache] = n
            ordinals[o.cache, default: [:]][o.slabPfn] = n
            return "new slab \(n)"
        }
        return "slab \(ordinals[o.cache]?[o.slabPfn] ?? 0)"
    }

    /// The split rule, for orders the real kernel serves from its free lists.
    func split(_ order: Int, _ events: [KernelEvent], into facts: inout [KernelFact]) {
        guard KernelTraceFacts.splitVisible(order) else { return }
        for case .buddyAllocated(let a) in events where a.block.order == order {
            let low = a.block.pfn == a.source.pfn
            facts.append(KernelFact("split", low ? "smallest free block, low half" : "other block"))
            return
        }
    }
}
