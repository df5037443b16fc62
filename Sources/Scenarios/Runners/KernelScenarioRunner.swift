public import AllocatorModels

/// Runs `kernel` scenario statements on the kernel machine and words what happened: which
/// cache or page block served a call, how the slab or the buddy lists changed, which frames
/// back a vmalloc area, and the kernel's own reports.
public struct KernelScenarioRunner: Sendable {
    /// The machine.
    public internal(set) var machine: KernelMachine
    /// Each pointer variable's value (0 is NULL).
    public private(set) var pointers: [String: UInt64] = [:]
    private var returned: [UInt64: KernelPointer] = [:]
    private var caches: [String: KmemCache] = [:]
    private var destroyedCaches: Set<String> = []

    /// Creates a machine with `cpus` CPUs and `memoryBytes` of memory, with
    /// CONFIG_SLAB_FREELIST_RANDOM seeded by `freelistRandomSeed` when it is given, booted
    /// with `slab_debug=F` when `slabDebug` is set, following `version`, with CPU 0's
    /// per-CPU page lists when `perCPULists` is set.
    public init(
        cpus: Int, memoryBytes: UInt64, freelistRandomSeed: UInt64? = nil,
        slabDebug: Bool = false, version: KernelVersion = .standard, perCPULists: Bool = false
    ) throws(KernelMachine.ConfigurationError) {
        var configuration = KernelMachine.Configuration(
            cpus: cpus, memoryBytes: memoryBytes, slabDebug: slabDebug,
            freelistRandomSeed: freelistRandomSeed)
        configuration.version = version
        configuration.perCPULists = perCPULists
        machine = try KernelMachine(configuration)
    }

    /// Variable labels for a diagram: each non-NULL pointer variable and its address.
    public var labels: [String: UInt64] { pointers.filter { $0.value > 0x10 } }

    /// The machine's state, for a diagram.
    public func snapshot() -> KernelSnapshot { machine.snapshot() }

    /// Runs one statement.
    public mutating func execute(_ statement: ScenarioStatement) -> ScenarioStepResult {
        let name = statement.target.map { $0 + " = " } ?? "returns "
        switch statement.action {
        case .kmalloc(let size, let gfp, let zero):
            let flags = gfp.mask
            return pointer(
                statement, name, zero ? machine.kzalloc(size, flags) : machine.kmalloc(size, flags),
                failure: size <= KernelLayout.kmallocMaxSize ? flags : nil)
        case .kmallocArray(let count, let size, let gfp, let zero):
            let flags = gfp.mask
            let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
            let outcome =
                zero
                ? machine.kcalloc(count, size, flags) : machine.kmallocArray(count, size, flags)
            var result = pointer(
                statement, name, outcome,
                failure: !overflow && bytes <= KernelLayout.kmallocMaxSize ? flags : nil)
            if overflow {
                result.lines.append(
                    "\(count) × \(size) overflows size_t: NULL without a warning (check_mul_overflow)"
                )
            }
            return result
        case .krealloc(let p, let size, let gfp):
            return reallocated(statement, name, p, size, gfp.mask)
        case .kvmalloc(let size, let gfp, let zero):
            let flags = gfp.mask
            let outcome = zero ? machine.kvzalloc(size, flags) : machine.kvmalloc(size, flags)
            var result = pointer(statement, name, outcome, failure: nil)
            result.lines.insert(contentsOf: kvmallocWords(size, flags, outcome), at: 1)
            return result
        case .kvfree(let p):
            let address = resolve(p)
            if address == 0 { return ScenarioStepResult(lines: ["kvfree(NULL) does nothing"]) }
            var result = released(address, machine.kvfree(address))
            if address >= KernelLayout.vmallocStart && address <= KernelLayout.vmallocEnd {
                result.lines.insert("a vmalloc address (is_vmalloc_addr): vfree", at: 0)
            } else if address > KernelLayout.zeroSizePointer {
                result.lines.insert("not a vmalloc address: kfree", at: 0)
            }
            return result
        case .kfree(let p):
            let address = resolve(p)
            if address == 0 { return ScenarioStepResult(lines: ["kfree(NULL) does nothing"]) }
            return released(address, machine.kfree(address))
        case .ksize(let p):
            let outcome = machine.ksizeCall(resolve(p))
            guard let size = outcome.size else {
                return finish(
                    ["ksize of a pointer kmalloc did not return"] + eventWords(outcome.events),
                    outcome)
            }
            var lines = [String(size)]
            if !outcome.warnings.isEmpty {
                lines.append(
                    "not the start of a slab object or large kmalloc: __ksize warns and gives 0")
            }
            return finish(lines + eventWords(outcome.events), outcome)
        case .kvmallocArray(let count, let size, let gfp, let zero):
            let flags = gfp.mask
            let outcome =
                zero
                ? machine.kvcalloc(count, size, flags) : machine.kvmallocArray(count, size, flags)
            var result = pointer(statement, name, outcome, failure: nil)
            let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
            if overflow {
                result.lines.append(
                    "\(count) × \(size) overflows size_t: NULL without a warning (check_mul_overflow)"
                )
            } else {
                result.lines.insert(
                    contentsOf: kvmallocWords(bytes, zero ? flags.union(.zero) : flags, outcome),
                    at: 1)
            }
            return result
        case .kvrealloc(let p, let oldSize, let size, let gfp):
            return kvreallocated(statement, name, p, oldSize, size, gfp.mask)
        case .drainAllPages:
            guard machine.perCPU != nil else {
                return ScenarioStepResult(
                    lines: [
                        "no per-CPU page lists in this model (pcp=true turns them on): nothing to drain"
                    ])
            }
            let outcome = machine.drainPerCPULists()
            return finish(eventWords(outcome.events), outcome)
        case .vmalloc(let size, let zero):
            return pointer(statement, name, zero ? machine.vzalloc(size) : machine.vmalloc(size))
        case .vfree(let p):
            let address = resolve(p)
            if address == 0 { return ScenarioStepResult(lines: ["vfree(NULL) does nothing"]) }
            return released(address, machine.vfree(address))
        case .allocPages(let gfp, let order):
            return pointer(
                statement, name, machine.allocPages(gfp.mask, order: order),
                failure: order <= KernelLayout.maxOrder ? gfp.mask : nil)
        case .freePages(let p, let order):
            let address = resolve(p)
            return released(address, machine.freePages(address, order: order))
        case .kmemCacheCreate(let cacheName, let size, let align, let flagNames, let constructor):
            var flags: SlabFlags = []
            for flag in flagNames { flags.formUnion(SlabFlags.named(flag) ?? []) }
            let (cache, outcome) = machine.kmemCacheCreate(
                name: cacheName, size: Int(clamping: size), align: Int(clamping: align),
                flags: flags, constructor: constructor)
            guard let cache else {
                return finish([name + "NULL (the cache cannot be created)"], outcome)
            }
            if let target = statement.target {
                caches[target] = cache
                destroyedCaches.remove(target)
            }
            return finish(
                cacheCreation(name, outcome, flags: flags, constructor: constructor), outcome)
        case .kmemCacheDestroy(let cacheVariable):
            guard let cache = caches[cacheVariable], !destroyedCaches.contains(cacheVariable)
            else {
                return ScenarioStepResult(lines: ["\(cacheVariable) is NULL or already destroyed"])
            }
            destroyedCaches.insert(cacheVariable)
            let outcome = machine.kmemCacheDestroy(cache)
            var words = eventWords(outcome.events)
            if machine.cacheIsLive(cache) {
                words.insert(
                    "\(cache.servedBy) is still used by another kmem_cache_create that merged into it: "
                        + "only a reference is dropped", at: 0)
            } else if outcome.warnings.isEmpty {
                words.insert(
                    "\(cache.servedBy) shut down: its empty slabs went back to the buddy allocator "
                        + "and its /proc/slabinfo line is gone", at: 0)
            } else {
                words.insert(
                    "\(cache.servedBy) still holds objects: its slabs stay allocated (leaked), "
                        + "its /proc/slabinfo line is gone all the same (since 6.12)", at: 0)
            }
            return finish(words, outcome)
        case .kmemCacheAlloc(let cacheVariable, let gfp, let zero):
            guard let cache = caches[cacheVariable] else {
                return ScenarioStepResult(lines: ["\(cacheVariable) is NULL"])
            }
            var flags = gfp.mask
            if zero { flags.insert(.zero) }
            return pointer(statement, name, machine.kmemCacheAlloc(cache, flags), failure: flags)
        case .kmemCacheFree(let cacheVariable, let p):
            guard let cache = caches[cacheVariable] else {
                return ScenarioStepResult(lines: ["\(cacheVariable) is NULL"])
            }
            let address = resolve(p)
            return released(address, machine.kmemCacheFree(cache, address))
        case .cat(let file):
            let text: String
            switch file {
            case "/proc/buddyinfo": text = machine.buddyinfo()
            case "/proc/slabinfo": text = machine.slabinfo()
            case "/proc/zoneinfo": text = machine.zoneinfo()
            default: text = machine.vmallocinfo()
            }
            return ScenarioStepResult(lines: MallocScenarioRunner.textLines(text))
        default:
            return ScenarioStepResult(lines: ["'\(statement.text)' is not a kernel statement"])
        }
    }

    // MARK: - Wording

    mutating func pointer(
        _ statement: ScenarioStatement, _ name: String, _ outcome: KernelOutcome,
        failure gfp: GFP? = nil
    ) -> ScenarioStepResult {
        let value = outcome.pointer ?? .null
        if let target = statement.target { pointers[target] = value.address }
        returned[value.address] = value
        var line = name
        var kmallocPages = false
        var notes: [String] = []
        switch value {
        case .null:
            line += "NULL"
            let reported = outcome.events.contains {
                switch $0 {
                case .bug, .warning, .unsupported: return true
                default: return false
                }
            }
            if let gfp, !reported {
                notes.append(Self.failureNote(gfp))
            }
        case .zeroSize:
            line += "0x10 (ZERO_SIZE_PTR): a zero-byte request gets no memory"
        case .slabObject(let o):
            line +=
                "\(hex(o.address)), object \(o.index) of \(o.cache) "
                + "(\(o.objectSize)-byte slots, \(o.objectsPerSlab) per \(o.pagesPerSlab)-page "
                + "slab at pfn \(o.slabPfn))"
            if let note = Self.familyNote(o.cache) { notes.append(note) }
        case .pages(let p):
            line +=
                "\(hex(p.address)), order-\(p.order) block (\(pages(1 << p.order))) at pfn \(p.pfn)"
            if case .kmalloc = statement.action {
                kmallocPages = true
                line += " straight from the page allocator: above 8 KiB no kmalloc cache serves it"
            }
        case .vmalloc(let v):
            let mapped = v.pfns.count
            line +=
                "\(hex(v.address)), \(pages(mapped)) mapped + 1 guard page (\(v.size) bytes "
                + "reserved)"
            line += mapped == 0 ? "" : "; frames " + Self.list(v.pfns.map { "pfn \($0)" })
        }
        return finish(
            [line] + notes + eventWords(outcome.events), outcome, kmallocPages: kmallocPages)
    }

    private mutating func released(_ address: UInt64, _ outcome: KernelOutcome)
        -> ScenarioStepResult
    {
        var words: [String] = []
        let refused =
            outcome.bug != nil || !outcome.warnings.isEmpty
            || outcome.events.contains { if case .unsupported = $0 { true } else { false } }
        switch refused ? nil : returned[address] {
        case .slabObject(let o)?:
            words.append(
                "object \(o.index) back on the freelist of its \(o.cache) slab at pfn \(o.slabPfn)")
        case .pages(let p)?:
            let to =
                machine.perCPU != nil && PerCPUPages.allowed(order: p.order)
                ? "the page allocator" : "the buddy allocator"
            words.append("order-\(p.order) block at pfn \(p.pfn) back to \(to)")
        case .vmalloc(let v)?:
            words.append(
                "\(pages(v.pfns.count)) unmapped, "
                    + "\(v.pfns.count == 1 ? "its frame" : "their frames") back to the "
                    + (machine.perCPU != nil ? "page allocator" : "buddy allocator")
            )
        default:
            break
        }
        let events = eventWords(outcome.events)
        if words.isEmpty && events.isEmpty { words.append("freed") }
        return finish(words + events, outcome)
    }

    private func cacheCreation(
        _ name: String, _ outcome: KernelOutcome, flags: SlabFlags, constructor: Bool
    ) -> [String] {
        for event in outcome.events {
            switch event {
            case .cacheCreated(let cacheName, let g):
                var lines = [
                    name
                        + "new cache \"\(cacheName)\": \(g.size)-byte slots, \(g.objectsPerSlab) "
                        + "per \(g.pagesPerSlab)-page slab"
                ]
                if constructor {
                    lines.append("a constructor keeps the cache from merging (slab_unmergeable)")
                } else if flags.contains(.noMerge) {
                    lines.append("SLAB_NO_MERGE keeps the cache from merging")
                } else if flags.contains(.typesafeByRCU) {
                    lines.append(
                        "SLAB_TYPESAFE_BY_RCU keeps the cache from merging (SLAB_NEVER_MERGE)")
                }
                return lines
            case .cacheMerged(let cacheName, let into):
                return [
                    name
                        + "\"\(cacheName)\" merged into the existing cache \(into) (same slot size)"
                ]
            default: continue
            }
        }
        return [name + "cache created"]
    }

    /// Lines for the events: what the caches and areas did first, then the buddy allocator's
    /// splits and merges, then the kernel's own messages.
    private func eventWords(_ events: [KernelEvent]) -> [String] {
        let rank: (KernelEvent) -> Int = {
            switch $0 {
            case .buddyAllocated, .buddyFreed, .perCPU: return 1
            case .warning, .unsupported, .bug: return 2
            default: return 0
            }
        }
        var lines: [String] = []
        var perCPUDone = false
        for event in events.enumerated().sorted(by: {
            (rank($0.element), $0.offset) < (rank($1.element), $1.offset)
        }).map({ $0.element }) {
            switch event {
            case .newSlab(let cache, let pfn, let order, let objects):
                lines.append(
                    "\(cache) had no free slot: new slab of \(objects) objects, order-\(order) "
                        + "block at pfn \(pfn) from the \(pageAllocator(order))"
                )
            case .slabDiscarded(let cache, let pfn, let order):
                lines.append(
                    "the \(cache) slab at pfn \(pfn) is empty: its order-\(order) block goes back "
                        + "to the \(pageAllocator(order))"
                )
            case .buddyAllocated(let a) where !a.splits.isEmpty:
                lines.append(
                    "buddy: split an order-\(a.source.order) block at pfn \(a.source.pfn); halves "
                        + "of order "
                        + Self.list(a.splits.map { String($0.order) })
                        + " went back on the free lists")
            case .buddyFreed(let r) where !r.merged.isEmpty:
                lines.append(
                    "buddy: merged with \(r.merged.count) free "
                        + "budd\(r.merged.count == 1 ? "y" : "ies") into an "
                        + "order-\(r.result.order) block at pfn \(r.result.pfn)"
                )
            case .perCPU:
                guard !perCPUDone else { continue }
                perCPUDone = true
                lines += Self.perCPUWords(
                    events.compactMap { if case .perCPU(let e) = $0 { e } else { nil } })
            case .areaUnpurged(_, let size):
                lines.append(
                    "the \(size)-byte range stays reserved (unpurged vm_area) until a lazy purge")
            case .purged(let ranges):
                lines.append(
                    "lazy purge: \(ranges.count) unpurged range\(ranges.count == 1 ? "" : "s") "
                        + "released for reuse"
                )
            case .freelistCorrupted(let cache, let address):
                lines.append(
                    "no error reported: \(hex(address)) is now on the \(cache) freelist twice")
            case .handedOutTwice(let cache, let address):
                lines.append("\(hex(address)) was already in use: \(cache) handed it out twice")
            case .warning(let text), .unsupported(let text):
                lines += MallocScenarioRunner.textLines(text)
            case .bug(let text):
                lines += MallocScenarioRunner.textLines(text)
            default:
                continue
            }
        }
        return lines
    }

    private func finish(_ lines: [String], _ outcome: KernelOutcome, kmallocPages: Bool = false)
        -> ScenarioStepResult
    {
        ScenarioStepResult(
            lines: lines, ends: outcome.bug != nil,
            paths: KernelPaths.hits(outcome.events, kmallocPages: kmallocPages))
    }

    // MARK: - Helpers

    func resolve(_ p: PointerReference) -> UInt64 {
        guard let variable = p.variable else { return 0 }
        return (pointers[variable] ?? 0) &+ UInt64(bitPattern: p.offset)
    }

    private func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    /// "buddy allocator", or "page allocator" when the block passes a per-CPU list.
    private func pageAllocator(_ order: Int) -> String {
        machine.perCPU != nil && PerCPUPages.allowed(order: order)
            ? "page allocator" : "buddy allocator"
    }

    private func pages(_ n: Int) -> String { n == 1 ? "1 page" : "\(n) pages" }

    static func list(_ items: [String]) -> String {
        items.count <= 8
            ? items.joined(separator: ", ")
            : items.prefix(8).joined(separator: ", ") + ", … (\(items.count) in all)"
    }

    /// Why an object came from a kmalloc family other than `kmalloc-N`, or `nil`.
    static func familyNote(_ cache: String) -> String? {
        if cache.hasPrefix("kmalloc-cg-") {
            return
                "__GFP_ACCOUNT: the kmalloc-cg family, charged to the memory cgroup (the charge is not modelled)"
        }
        if cache.hasPrefix("kmalloc-rcl-") {
            return
                "__GFP_RECLAIMABLE: the kmalloc-rcl family, reclaimable slabs (the model has one migratetype)"
        }
        if cache.hasPrefix("dma-kmalloc-") {
            return "__GFP_DMA: the dma-kmalloc family; a real kernel takes its slabs from ZONE_DMA "
                + "(below 16 MiB), the model from its one Normal zone"
        }
        return nil
    }

    /// What a real kernel would have done instead of failing, by the flags: the model has
    /// no watermarks, atomic reserves, reclaim or OOM killer, so only its memory running out
    /// makes a call fail.
    static func failureNote(_ gfp: GFP) -> String {
        if gfp.allowsBlocking {
            return "the model's memory is exhausted; a real kernel would sleep to reclaim and, up "
                + "to order 3, invoke the OOM killer rather than fail (not modelled)"
        }
        if gfp.contains(.high) {
            return "the model's memory is exhausted; GFP_ATOMIC never sleeps, and a real kernel "
                + "would first dip into the atomic reserves below the min watermark (not modelled)"
        }
        return "the model's memory is exhausted; without __GFP_DIRECT_RECLAIM a real kernel "
            + "fails too, silently with __GFP_NOWARN (GFP_NOWAIT)"
    }

    /// kvmalloc: which allocator served it, and why.
    private func kvmallocWords(_ size: UInt64, _ gfp: GFP, _ outcome: KernelOutcome) -> [String] {
        switch outcome.pointer {
        case .vmalloc?:
            var lines = [
                "kmalloc failed (tried without direct reclaim and with __GFP_NOWARN above a page): "
                    + "fell back to vmalloc"
            ]
            if case .vmalloc(let v)? = outcome.pointer, size >= 2 << 20 {
                let huge =
                    v.address % (2 << 20) == 0 && (v.size - 4096) % (2 << 20) == 0
                    && v.pfns.count >= 512 && v.pfns[0] % 512 == 0
                lines.append(
                    huge
                        ? "VM_ALLOW_HUGE_VMAP: the size rounded up to 2 MiB, 2 MiB-aligned, "
                            + "mapped with order-9 blocks (2 MiB pages)"
                        : "VM_ALLOW_HUGE_VMAP: no free order-9 blocks, so mapped with 4 KiB pages")
            }
            return lines
        case .null?:
            if size > KernelLayout.pageSize && !gfp.allowsBlocking {
                return ["kmalloc failed and a caller that may not sleep gets no vmalloc fallback"]
            }
            if size > UInt64(Int32.max) { return ["above INT_MAX kvmalloc does not try vmalloc"] }
            return []
        default:
            return ["kmalloc served it: kvmalloc tries the physically contiguous way first"]
        }
    }

    private mutating func reallocated(
        _ statement: ScenarioStatement, _ name: String, _ p: PointerReference, _ size: UInt64,
        _ gfp: GFP
    ) -> ScenarioStepResult {
        let old = resolve(p)
        let outcome = machine.krealloc(old, size, gfp)
        var result = pointer(
            statement, name, outcome, failure: size <= KernelLayout.kmallocMaxSize ? gfp : nil)
        if let new = outcome.pointer, new.address == old, old > KernelLayout.zeroSizePointer {
            result.lines.insert(
                "still fits in what it has (ksize \(machine.ksize(old).size ?? 0)): the same object, nothing copied",
                at: 1)
        } else if let new = outcome.pointer, new.address > KernelLayout.zeroSizePointer,
            old > KernelLayout.zeroSizePointer
        {
            result.lines.insert(
                "does not fit: a new object, the old contents copied, the old one freed", at: 1)
        } else if size == 0, old > KernelLayout.zeroSizePointer, outcome.bug == nil {
            result.lines.insert("size 0: the old object is freed", at: 1)
        }
        return result
    }
}

extension KernelScenarioRunner: ScenarioEngine {
    /// The kernel machine after the last statement, with the variables' labels.
    public func figureContent() -> FigureFrame.Content? {
        .kernel(snapshot(), labels: labels)
    }
}
