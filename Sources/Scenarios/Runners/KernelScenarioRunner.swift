import AllocatorModels

/// Runs `kernel` scenario statements on the kernel machine and words what happened: which
/// cache or page block served a call, how the slab or the buddy lists changed, which frames
/// back a vmalloc area, and the kernel's own reports.
public struct KernelScenarioRunner: Sendable {
    /// The machine.
    public private(set) var machine: KernelMachine
    /// Each pointer variable's value (0 is NULL).
    public private(set) var pointers: [String: UInt64] = [:]
    private var returned: [UInt64: KernelPointer] = [:]
    private var caches: [String: KmemCache] = [:]

    /// Creates a machine with `cpus` CPUs and `memoryBytes` of memory.
    public init(cpus: Int, memoryBytes: UInt64) throws(KernelMachine.ConfigurationError) {
        machine = try KernelMachine(cpus: cpus, memoryBytes: memoryBytes)
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
            let flags = Self.gfp(gfp)
            return pointer(
                statement, name, zero ? machine.kzalloc(size, flags) : machine.kmalloc(size, flags))
        case .kfree(let p):
            let address = resolve(p)
            if address == 0 { return ScenarioStepResult(lines: ["kfree(NULL) does nothing"]) }
            return released(address, machine.kfree(address))
        case .ksize(let p):
            let outcome = machine.ksize(resolve(p))
            guard let size = outcome.size else {
                return finish(["ksize of a pointer kmalloc did not return"], outcome)
            }
            return ScenarioStepResult(lines: [String(size)])
        case .vmalloc(let size, let zero):
            return pointer(statement, name, zero ? machine.vzalloc(size) : machine.vmalloc(size))
        case .vfree(let p):
            let address = resolve(p)
            if address == 0 { return ScenarioStepResult(lines: ["vfree(NULL) does nothing"]) }
            return released(address, machine.vfree(address))
        case .allocPages(let gfp, let order):
            return pointer(statement, name, machine.allocPages(Self.gfp(gfp), order: order))
        case .freePages(let p, let order):
            let address = resolve(p)
            return released(address, machine.freePages(address, order: order))
        case .kmemCacheCreate(let cacheName, let size, _):
            let (cache, outcome) = machine.kmemCacheCreate(
                name: cacheName, size: Int(clamping: size))
            guard let cache else {
                return finish([name + "NULL (the cache cannot be created)"], outcome)
            }
            if let target = statement.target { caches[target] = cache }
            return finish(cacheCreation(name, outcome), outcome)
        case .kmemCacheAlloc(let cacheVariable, let gfp, let zero):
            guard let cache = caches[cacheVariable] else {
                return ScenarioStepResult(lines: ["\(cacheVariable) is NULL"])
            }
            var flags = Self.gfp(gfp)
            if zero { flags.insert(.zero) }
            return pointer(statement, name, machine.kmemCacheAlloc(cache, flags))
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
            default: text = machine.vmallocinfo()
            }
            return ScenarioStepResult(lines: MallocScenarioRunner.textLines(text))
        default:
            return ScenarioStepResult(lines: ["'\(statement.text)' is not a kernel statement"])
        }
    }

    // MARK: - Wording

    private mutating func pointer(
        _ statement: ScenarioStatement, _ name: String, _ outcome: KernelOutcome
    ) -> ScenarioStepResult {
        let value = outcome.pointer ?? .null
        if let target = statement.target { pointers[target] = value.address }
        returned[value.address] = value
        var line = name
        var kmallocPages = false
        switch value {
        case .null:
            line += "NULL"
        case .zeroSize:
            line += "0x10 (ZERO_SIZE_PTR): a zero-byte request gets no memory"
        case .slabObject(let o):
            line +=
                "\(hex(o.address)), object \(o.index) of \(o.cache) "
                + "(\(o.objectSize)-byte slots, \(o.objectsPerSlab) per \(o.pagesPerSlab)-page "
                + "slab at pfn \(o.slabPfn))"
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
        return finish([line] + eventWords(outcome.events), outcome, kmallocPages: kmallocPages)
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
            words.append("order-\(p.order) block at pfn \(p.pfn) back to the buddy allocator")
        case .vmalloc(let v)?:
            words.append(
                "\(pages(v.pfns.count)) unmapped, "
                    + "\(v.pfns.count == 1 ? "its frame" : "their frames") back to the buddy "
                    + "allocator"
            )
        default:
            break
        }
        let events = eventWords(outcome.events)
        if words.isEmpty && events.isEmpty { words.append("freed") }
        return finish(words + events, outcome)
    }

    private func cacheCreation(_ name: String, _ outcome: KernelOutcome) -> [String] {
        for event in outcome.events {
            switch event {
            case .cacheCreated(let cacheName, let g):
                return [
                    name
                        + "new cache \"\(cacheName)\": \(g.size)-byte slots, \(g.objectsPerSlab) "
                        + "per \(g.pagesPerSlab)-page slab"
                ]
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
            case .buddyAllocated, .buddyFreed: return 1
            case .warning, .unsupported, .bug: return 2
            default: return 0
            }
        }
        var lines: [String] = []
        for event in events.enumerated().sorted(by: {
            (rank($0.element), $0.offset) < (rank($1.element), $1.offset)
        }).map({ $0.element }) {
            switch event {
            case .newSlab(let cache, let pfn, let order, let objects):
                lines.append(
                    "\(cache) had no free slot: new slab of \(objects) objects, order-\(order) "
                        + "block at pfn \(pfn) from the buddy allocator"
                )
            case .slabDiscarded(let cache, let pfn, let order):
                lines.append(
                    "the \(cache) slab at pfn \(pfn) is empty: its order-\(order) block goes back "
                        + "to the buddy allocator"
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

    private func resolve(_ p: PointerReference) -> UInt64 {
        guard let variable = p.variable else { return 0 }
        return (pointers[variable] ?? 0) &+ UInt64(bitPattern: p.offset)
    }

    private func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    private func pages(_ n: Int) -> String { n == 1 ? "1 page" : "\(n) pages" }

    static func list(_ items: [String]) -> String {
        items.count <= 8
            ? items.joined(separator: ", ")
            : items.prefix(8).joined(separator: ", ") + ", … (\(items.count) in all)"
    }

    /// The model's GFP bits for the flags a statement names.
    static func gfp(_ flags: GFPFlags) -> GFP {
        var gfp: GFP = []
        for name in flags.names {
            switch name {
            case "GFP_ATOMIC": gfp.formUnion(.atomic)
            case "GFP_NOWAIT": gfp.formUnion(.noWait)
            case "GFP_KERNEL_ACCOUNT": gfp.formUnion(GFP.kernel.union(.account))
            case "GFP_NOIO": gfp.formUnion([.directReclaim, .kswapdReclaim])
            case "GFP_NOFS": gfp.formUnion([.directReclaim, .kswapdReclaim, .io])
            case "__GFP_ZERO": gfp.formUnion(.zero)
            case "__GFP_NOWARN": gfp.formUnion(.noWarn)
            case "__GFP_ACCOUNT": gfp.formUnion(.account)
            case "__GFP_HIGH": gfp.formUnion(.high)
            case "__GFP_NORETRY", "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL", "__GFP_COMP",
                "__GFP_HIGHMEM", "__GFP_DMA":
                break
            default: gfp.formUnion(.kernel)
            }
        }
        return gfp
    }
}

extension KernelScenarioRunner: ScenarioEngine {
    /// The kernel machine after the last statement, with the variables' labels.
    public func figureContent() -> FigureFrame.Content? {
        .kernel(snapshot(), labels: labels)
    }
}
