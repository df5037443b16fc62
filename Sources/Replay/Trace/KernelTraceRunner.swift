import AllocatorModels

/// Replays a kernel trace (`allocbook trace --model kernel`) on a `KernelMachine`.
///
/// Output, one JSON object a line: `step` (1-based operation number), `line`, `op`, the
/// `id`, `ptr` for calls that return a pointer (a slab object with its cache geometry,
/// pages with order and pfn, a vmalloc area with size including the guard page and its
/// pfns, `{"addr":"0x10"}` for kmalloc(0), `null` on failure), `new_slab` / `slab_freed`
/// when slab pages moved between SLUB and the buddy allocator, `unpurged` / `purged` for
/// vmalloc address ranges, `warnings`, and `buddyinfo` (11 counts). A kernel BUG ends the
/// output with `{"step":N,"bug":"…"}`.
public enum KernelTraceRunner {
    /// Parses, then replays a trace.
    ///
    /// Parses the whole trace first; if any line is malformed returns every error and emits
    /// nothing. Otherwise runs it, calling `emit` with one JSON line per step.
    public static func run(
        _ text: String, cpus: Int, memoryBytes: UInt64, emit: (String) -> Void
    ) -> [TraceError] {
        run(text, cpus: cpus, memoryBytes: memoryBytes, slabDebug: false, emit: emit)
    }

    /// The same, with the `slab_debug=F` boot option when `slabDebug` is set, and with only
    /// a final `{"steps":N,"buddyinfo":[…]}` line when `perStep` is false (benchmarks).
    public static func run(
        _ text: String, cpus: Int, memoryBytes: UInt64, slabDebug: Bool, perStep: Bool = true,
        freelistRandomSeed: UInt64? = nil, version: KernelVersion = .standard,
        perCPULists: Bool = false, emit: (String) -> Void
    ) -> [TraceError] {
        let parsed = KernelTraceParser.parse(text)
        guard parsed.errors.isEmpty else { return parsed.errors }
        let versionErrors = parsed.versionErrors(version)
        guard versionErrors.isEmpty else { return versionErrors }
        var machine: KernelMachine
        do {
            var configuration = KernelMachine.Configuration(
                cpus: cpus, memoryBytes: memoryBytes, slabDebug: slabDebug,
                freelistRandomSeed: freelistRandomSeed)
            configuration.version = version
            configuration.perCPULists = perCPULists
            machine = try KernelMachine(configuration)
        } catch {
            return [TraceError(line: 1, column: 1, message: error.description)]
        }
        var replay = KernelTraceReplay(ids: parsed.ids.count, caches: parsed.cacheNames.count)
        for (n, operation) in parsed.operations.enumerated() {
            let outcome = replay.apply(operation, names: parsed, to: &machine)
            if let bug = outcome.bug {
                emit("{\"step\":\(n + 1),\"bug\":\(JSON.string(bug))}")
                return []
            }
            if perStep {
                emit(
                    KernelTraceJSON.line(
                        step: n + 1, operation: operation, names: parsed, outcome: outcome,
                        machine: machine))
            }
        }
        if !perStep {
            emit(
                "{\"steps\":\(parsed.operations.count),\"buddyinfo\":\(KernelTraceJSON.buddyinfo(machine))}"
            )
        }
        return []
    }
}

/// The live state of a replay: what each ID slot points at.
struct KernelTraceReplay {
    var pointers: [KernelPointer]
    var objectCaches: [KmemCache?]
    var caches: [KmemCache?]

    init(ids: Int, caches: Int) {
        pointers = Array(repeating: .null, count: ids)
        objectCaches = Array(repeating: nil, count: ids)
        self.caches = Array(repeating: nil, count: caches)
    }

    mutating func apply(
        _ operation: KernelTraceOperation, names: KernelTraceParser, to machine: inout KernelMachine
    ) -> KernelOutcome {
        switch operation.kind {
        case .kmalloc(let id, let size, let zero, let gfp):
            objectCaches[id] = nil
            return record(id, zero ? machine.kzalloc(size, gfp) : machine.kmalloc(size, gfp))
        case .kmallocArray(let id, let count, let size, let zero, let gfp):
            objectCaches[id] = nil
            return record(
                id,
                zero ? machine.kcalloc(count, size, gfp) : machine.kmallocArray(count, size, gfp))
        case .krealloc(let id, let size, let gfp):
            let outcome = machine.krealloc(pointers[id].address, size, gfp)
            // A failed krealloc leaves the old object valid: the ID keeps it.
            if let p = outcome.pointer, p != .null {
                objectCaches[id] = nil
                pointers[id] = p
            }
            return outcome
        case .kvmalloc(let id, let size, let zero, let gfp):
            objectCaches[id] = nil
            return record(id, zero ? machine.kvzalloc(size, gfp) : machine.kvmalloc(size, gfp))
        case .kvfree(let id):
            return machine.kvfree(pointers[id].address)
        case .kvmallocArray(let id, let count, let size, let zero, let gfp):
            objectCaches[id] = nil
            return record(
                id,
                zero ? machine.kvcalloc(count, size, gfp) : machine.kvmallocArray(count, size, gfp))
        case .kvrealloc(let id, let oldSize, let size, let gfp):
            let old = pointers[id].address
            let outcome =
                oldSize.map { machine.kvrealloc(old, oldSize: $0, newSize: size, gfp) }
                ?? machine.kvrealloc(old, size: size, gfp)
            // A failed kvrealloc leaves the old memory valid: the ID keeps it.
            if let p = outcome.pointer, p != .null || size == 0 {
                objectCaches[id] = nil
                pointers[id] = p
            }
            return outcome
        case .cacheDestroy(let slot):
            guard let cache = caches[slot] else { return KernelOutcome() }
            caches[slot] = nil
            return machine.kmemCacheDestroy(cache)
        case .allocPages(let id, let order):
            return record(id, machine.allocPages(.kernel, order: order))
        case .vmalloc(let id, let size, let zero):
            return record(id, zero ? machine.vzalloc(size) : machine.vmalloc(size))
        case .cacheCreate(let cache, let size, let align, let flags, let constructor):
            let (created, outcome) = machine.kmemCacheCreate(
                name: names.cacheNames[cache], size: size, align: align, flags: flags,
                constructor: constructor)
            caches[cache] = created
            return outcome
        case .cacheAlloc(let id, let slot):
            guard let cache = caches[slot] else { return record(id, KernelOutcome(pointer: .null)) }
            objectCaches[id] = cache
            return record(id, machine.kmemCacheAlloc(cache))
        case .kfree(let id):
            return machine.kfree(pointers[id].address)
        case .freePages(let id):
            guard case .pages(let info) = pointers[id] else { return KernelOutcome() }
            return machine.freePages(info.address, order: info.order)
        case .vfree(let id):
            return machine.vfree(pointers[id].address)
        case .cacheFree(let id):
            let address = pointers[id].address
            guard let cache = objectCaches[id] else { return machine.kfree(address) }
            return machine.kmemCacheFree(cache, address)
        }
    }

    mutating func record(_ id: Int, _ outcome: KernelOutcome) -> KernelOutcome {
        pointers[id] = outcome.pointer ?? .null
        return outcome
    }
}
