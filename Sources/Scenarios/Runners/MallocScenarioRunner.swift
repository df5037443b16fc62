import AllocatorModels

/// Runs `malloc` scenario statements on the glibc 2.36 model and words what happened for
/// students: the pointer (absolute and as heap offset), the chunk, the path glibc took (tcache,
/// fastbin, bins, top, mmap), and what moved (brk, mmap, trim, thresholds).
public struct MallocScenarioRunner: Sendable {
    /// The modelled process.
    public private(set) var malloc = GlibcMalloc()
    /// Each variable's current value (0 is NULL).
    public private(set) var pointers: [String: UInt64] = [:]
    /// The order variables were first assigned, for stable figure labels.
    public private(set) var names: [String] = []

    /// Creates a fresh process.
    public init() {}

    /// Runs one statement, on its thread (created by the main thread on first use).
    public mutating func execute(_ statement: ScenarioStatement) -> ScenarioStepResult {
        let thread = statement.thread ?? "main"
        switch statement.action {
        case .memset, .mallocUsableSize, .mallocStats, .mallinfo2, .cat:
            // The same on every thread: no need to start one.
            return run(statement)
        default: break
        }
        guard thread != malloc.currentThreadName else { return run(statement) }
        let outcome = malloc.switchThread(to: thread)
        if let fatal = outcome.fatal { return Self.fatal(fatal) }
        var step = run(statement)
        let cached = outcome.events.contains { if case .stackReused = $0 { true } else { false } }
        for case .threadCreated(let name, let stack) in outcome.events where !step.lines.isEmpty {
            step.lines[0] =
                (cached
                    ? "pthread_create: \(name) reuses the cached stack at \(hex(stack)) and its "
                        + "DTV (no mmap, no calloc); "
                    : "pthread_create: \(name)'s stack mmapped at \(hex(stack)), its DTV calloc'ed "
                        + "by the main thread; ") + step.lines[0]
        }
        return step
    }

    private mutating func run(_ statement: ScenarioStatement) -> ScenarioStepResult {
        let died = malloc.termination != nil
        stepPaths = []
        var result = perform(statement)
        result.paths = stepPaths
        if !died, let fatal = malloc.termination,
            !stepPaths.contains(where: { $0.path.group == "abort" })
        {
            result.paths += MallocPaths.hits([], fatal: fatal, chunk: 0)
        }
        return result
    }

    /// The paths of the current statement's calls.
    private var stepPaths: [PathHit] = []

    private mutating func perform(_ statement: ScenarioStatement) -> ScenarioStepResult {
        switch statement.action {
        case .malloc(let size):
            return allocation(statement) { $0.malloc(size) }
        case .calloc(let count, let size):
            return allocation(statement) { $0.calloc(count, size) }
        case .realloc(let pointer, let size):
            let address = resolve(pointer)
            let oldChunk = chunkSize(address)
            return allocation(statement, oldChunk: oldChunk) {
                $0.realloc(address == 0 ? nil : address, size)
            }
        case .free(let pointer):
            return free(resolve(pointer))
        case .mallopt(let parameter, let value):
            return mallopt(parameter, value)
        case .memset(let pointer, _, let length):
            return touch(resolve(pointer), length)
        case .mallocUsableSize(let pointer):
            return ScenarioStepResult(lines: [String(malloc.usableSize(resolve(pointer)))])
        case .alignedAlloc(let kind, let alignment, let size, let out):
            return aligned(statement, kind, alignment, size, out: out)
        case .mallocTrim(let pad):
            return trim(pad)
        case .mallocStats:
            return ScenarioStepResult(lines: Self.textLines(malloc.mallocStats()))
        case .mallinfo2:
            let i = malloc.mallinfo2()
            let fields: [(String, UInt64)] = [
                ("arena", i.arena), ("ordblks", i.ordblks), ("smblks", i.smblks),
                ("hblks", i.hblks), ("hblkhd", i.hblkhd), ("usmblks", i.usmblks),
                ("fsmblks", i.fsmblks), ("uordblks", i.uordblks), ("fordblks", i.fordblks),
                ("keepcost", i.keepcost),
            ]
            return ScenarioStepResult(lines: fields.map { "\($0.0) = \($0.1)" })
        case .cat:
            return ScenarioStepResult(lines: Self.textLines(malloc.procSelfMaps()))
        case .threadExit:
            return exitThread(statement)
        default:
            return ScenarioStepResult(lines: ["'\(statement.text)' is not a malloc statement"])
        }
    }

    /// `pthread_exit(NULL)` on the statement's thread, then the main thread's join.
    private mutating func exitThread(_ statement: ScenarioStatement) -> ScenarioStepResult {
        guard let name = statement.thread else {
            // The parser refuses it (StatementParser.mainThreadExit); a statement built by hand
            // gets the same words.
            return ScenarioStepResult(lines: [StatementParser.mainThreadExit])
        }
        let outcome = malloc.exitThread()
        stepPaths += MallocPaths.hits(outcome.events, fatal: outcome.fatal, chunk: 0)
        if let fatal = outcome.fatal { return Self.fatal(fatal) }
        var lines: [String] = []
        for event in outcome.events {
            switch event {
            case .threadExited(_, let chunks, let freedArena, let stack):
                lines.append(
                    "\(name) exits: tcache_thread_shutdown frees its \(chunks) tcache "
                        + "chunk\(chunks == 1 ? "" : "s") and the tcache itself into their arenas")
                if let arena = freedArena {
                    lines.append(
                        "arena \(arena) has no thread left: it goes on the free list for the next new thread"
                    )
                }
                lines.append(
                    "the main thread joins \(name): its stack at \(hex(stack)) stays mapped in nptl's "
                        + "stack cache for the next thread")
            case .stackUnmapped(let stack):
                lines.append(
                    "the stack cache is above 40 MiB: the oldest stack at \(hex(stack)) is unmapped "
                        + "and its DTV freed")
            default:
                continue
            }
        }
        return ScenarioStepResult(lines: lines)
    }

    /// The model's state, for a diagram.
    public func snapshot() -> MallocSnapshot { malloc.snapshot() }

    /// Variable labels for a diagram: each non-NULL variable and the pointer it holds.
    public var labels: [String: UInt64] { pointers.filter { $0.value != 0 } }

    // MARK: - Calls

    private mutating func allocation(
        _ statement: ScenarioStatement, oldChunk: UInt64? = nil,
        _ call: (inout GlibcMalloc) -> MallocOutcome
    ) -> ScenarioStepResult {
        let before = malloc.programBreak
        let threshold = malloc.currentMmapThreshold
        let outcome = call(&malloc)
        stepPaths += MallocPaths.hits(
            outcome.events, fatal: outcome.fatal, chunk: outcome.pointer.map { chunkSize($0) } ?? 0)
        if let fatal = outcome.fatal { return Self.fatal(fatal) }
        let name = statement.target.map { $0 + " = " } ?? "returns "
        if let target = statement.target { assign(target, outcome.pointer ?? 0) }
        guard let pointer = outcome.pointer else {
            let freed =
                outcome.events.isEmpty ? "" : "; " + freeWords(outcome.events, size: oldChunk ?? 0)
            return ScenarioStepResult(lines: [
                name + "NULL" + (outcome.events.contains(.failed) ? " (out of memory)" : freed)
            ])
        }
        var parts = [
            "\(name)\(hex(pointer)) (\(region(pointer))), \(chunkSize(pointer))-byte chunk "
                + path(outcome.events, threshold: threshold)
        ]
        parts += extras(outcome.events, breakBefore: before)
        return ScenarioStepResult(lines: [parts.joined(separator: "; ")])
    }

    private func path(_ events: [MallocEvent], threshold: UInt64) -> String {
        // The first call sets up the tcache before it serves the request: what happened to
        // the tcache struct is not the path of the program's own chunk.
        let setup = events.lastIndex { if case .tcacheCreated = $0 { true } else { false } }
        for event in events[(setup.map { $0 + 1 } ?? 0)...] {
            switch event {
            case .fromTcache(let bin, let left):
                return "reused from tcache bin \(bin) (\(left) left)"
            case .fromFastbin(let bin, _): return "taken from fastbin \(bin)"
            case .fromSmallbin(let bin, _): return "taken from small bin \(bin)"
            case .unsortedExactFit(_, let viaTcache):
                return "an exact fit from the unsorted bin" + (viaTcache ? " (through tcache)" : "")
            case .lastRemainderSplit(_, let remainder):
                return "split from the last remainder (\(remainder) bytes stay in the unsorted bin)"
            case .splitFromBin(let bin, let size, let remainder, _):
                let rest = remainder == 0 ? "" : ", \(remainder) bytes back to the unsorted bin"
                return "split from a free \(size)-byte chunk in \(Self.binName(bin))\(rest)"
            case .fromTop: return "carved from top"
            case .mmapped:
                return "mmapped on its own: at or above the mmap threshold (\(threshold))"
            case .reallocInPlace: return "resized in place"
            case .mremapped(let old, let new, _):
                return old == new
                    ? "kept in its mapping" : "moved by mremap from \(old) to \(new) bytes"
            default: continue
            }
        }
        return "returned"
    }

    private func extras(_ events: [MallocEvent], breakBefore: UInt64) -> [String] {
        var parts: [String] = []
        let sorted = events.filter { if case .binned = $0 { true } else { false } }.count
        if events.contains(.consolidated) { parts.append("fastbins consolidated first") }
        if sorted > 0 {
            parts.append("unsorted scan sorted \(sorted) chunk\(sorted == 1 ? "" : "s") into bins")
        }
        if events.contains(.reallocMoved) { parts.append("data copied, old chunk freed") }
        parts += arenaWords(events)
        for case .aligned(let leader, let trailer) in events where leader + trailer > 0 {
            let freed = [(leader, "before"), (trailer, "after")].filter { $0.0 > 0 }
            parts.append(
                freed.map { "the \($0.0) bytes \($0.1) it" }.joined(separator: " and ") + " freed")
        }
        let after = malloc.programBreak
        let setup = events.contains { if case .tcacheCreated = $0 { true } else { false } }
        let mmapped = events.contains { if case .mmapped = $0 { true } else { false } }
        if after > breakBefore, setup, mmapped {
            parts.append("brk +\(hex(after - breakBefore)) for the tcache struct")
        } else if after > breakBefore {
            parts.append("brk +\(hex(after - breakBefore))")
        }
        if after < breakBefore { parts.append("brk -\(hex(breakBefore - after))") }
        return parts
    }

    /// What happened to arenas and their heaps.
    private func arenaWords(_ events: [MallocEvent]) -> [String] {
        events.compactMap { event in
            switch event {
            case .arenaCreated(let arena, let heap, let size):
                return "new arena \(arena): 64 MiB reserved at \(hex(heap)), \(size) bytes usable"
            case .arenaReused(let arena):
                return "arena limit reached: the thread shares arena \(arena)"
            case .arenaFromFreeList(let arena):
                return "arena \(arena) from the free list (its last thread exited)"
            case .heapResized(let heap, let size):
                return "arena heap at \(hex(heap)) now \(size) bytes"
            case .heapUnmapped(let heap):
                return "arena heap at \(hex(heap)) unmapped"
            default: return nil
            }
        }
    }

    private mutating func free(_ address: UInt64) -> ScenarioStepResult {
        if address == 0 { return ScenarioStepResult(lines: ["free(NULL) does nothing"]) }
        let size = chunkSize(address)
        let arena = malloc.arenaIndex(of: address) ?? 0
        let before = malloc.programBreak
        let topBefore = malloc.mallinfo2().keepcost
        let outcome = malloc.free(address)
        stepPaths += MallocPaths.hits(outcome.events, fatal: outcome.fatal, chunk: size)
        if let fatal = outcome.fatal { return Self.fatal(fatal) }
        var parts = [freeWords(outcome.events, size: size, topBefore: topBefore)]
        parts += extras(outcome.events.filter { $0 == .consolidated }, breakBefore: before)
        parts += arenaWords(outcome.events)
        if arena != 0 {
            parts.append("a chunk of arena \(arena)")
        }
        return ScenarioStepResult(lines: [parts.joined(separator: "; ")])
    }

    private func freeWords(_ events: [MallocEvent], size: UInt64, topBefore: UInt64? = nil)
        -> String
    {
        var words: [String] = []
        for event in events {
            switch event {
            case .freedToTcache(let bin, let count):
                words.append("\(size)-byte chunk into tcache bin \(bin) (\(count) of 7)")
            case .freedToFastbin(let bin):
                words.append("\(size)-byte chunk into fastbin \(bin)")
            case .freedToUnsorted(_, let merged):
                words.append(
                    merged == size
                        ? "\(size)-byte chunk into the unsorted bin"
                        : "\(size)-byte chunk merged with free neighbours into \(merged) bytes, "
                            + "into the unsorted bin"
                )
            case .mergedIntoTop(let topSize):
                let withPrevious = topBefore.map { topSize > $0 + size } ?? false
                words.append(
                    "\(size)-byte chunk merged"
                        + (withPrevious ? " with the free chunk before it" : "")
                        + " into top (top now \(topSize) bytes)")
            case .trimmed(let bytes, _):
                words.append("top trimmed: \(bytes) bytes given back")
            case .munmapped(let mapSize, let mmapThreshold, let trimThreshold):
                var text = "munmap of its \(mapSize)-byte mapping"
                if let mmapThreshold, let trimThreshold {
                    text +=
                        "; mmap threshold raised to \(mmapThreshold), trim threshold to "
                        + "\(trimThreshold)"
                }
                words.append(text)
            default: continue
            }
        }
        return words.isEmpty ? "freed" : words.joined(separator: "; ")
    }

    private mutating func mallopt(_ parameter: String, _ value: Int64) -> ScenarioStepResult {
        guard let param = MalloptParam(rawValue: parameter) else {
            return ScenarioStepResult(lines: ["unknown parameter \(parameter)"])
        }
        let result = malloc.mallopt(param, value)
        if let fatal = malloc.termination { return Self.fatal(fatal) }
        let effect: String
        switch param {
        case .mxfast: effect = "fastbins now serve requests up to \(value) bytes"
        case .checkAction: effect = "ignored since glibc 2.34"
        case .perturb:
            let fill = String((value ^ 0xff) & 0xff, radix: 16)
            let freed = String(value & 0xff, radix: 16)
            effect =
                value == 0
                ? "perturbing off"
                : "allocated bytes are filled with 0x\(fill), freed bytes with 0x\(freed)"
        case .arenaTest:
            effect =
                value > 0 ? "the arena limit is computed after \(value) arenas" : "value ignored"
        case .arenaMax:
            effect =
                value > 0 ? "at most \(value) \(value == 1 ? "arena" : "arenas")" : "value ignored"
        case .mmapThreshold:
            effect =
                "chunks of \(value) bytes or more that no bin or top can serve are mmapped"
        case .trimThreshold: effect = "top is trimmed once it reaches \(value) bytes"
        case .topPad: effect = "each brk growth adds \(value) bytes of padding"
        case .mmapMax:
            effect = "at most \(value) mmapped \(value == 1 ? "chunk" : "chunks")"
        }
        let dynamic = param.fixesThresholds ? "; the dynamic mmap threshold is off" : ""
        return ScenarioStepResult(
            lines: [result == 1 ? "returns 1: \(effect)\(dynamic)" : "returns 0: value rejected"])
    }

    private mutating func aligned(
        _ statement: ScenarioStatement, _ kind: AlignedAllocator, _ alignment: UInt64,
        _ size: UInt64, out: String?
    ) -> ScenarioStepResult {
        guard kind == .posixMemalign, let out else {
            return allocation(statement) { (m: inout GlibcMalloc) in
                switch kind {
                case .valloc: m.valloc(size)
                case .pvalloc: m.pvalloc(size)
                default: m.memalign(alignment, size)
                }
            }
        }
        var result: Int32 = 0
        let previous = (pointers[out], names)
        var target = statement
        target.target = out
        let step = allocation(target) { (m: inout GlibcMalloc) in
            let (r, outcome) = m.posixMemalign(alignment, size)
            result = r
            return outcome
        }
        if step.ends { return step }
        if result != 0 {
            // posix_memalign leaves *memptr alone when it fails.
            pointers[out] = previous.0
            names = previous.1
        }
        let name = statement.target.map { $0 + " = " } ?? "returns "
        switch result {
        case 0:
            return ScenarioStepResult(lines: step.lines.map { name + "0; " + $0 })
        case 22:
            return ScenarioStepResult(lines: [
                name + "22 (EINVAL): the alignment must be a power of two times sizeof(void *); "
                    + "\(out) is unchanged"
            ])
        default:
            return ScenarioStepResult(lines: [name + "12 (ENOMEM); \(out) is unchanged"])
        }
    }

    private mutating func trim(_ pad: UInt64) -> ScenarioStepResult {
        let before = malloc.programBreak
        let (result, outcome) = malloc.mallocTrim(pad)
        if let fatal = outcome.fatal { return Self.fatal(fatal) }
        var parts = ["returns \(result)"]
        for event in outcome.events {
            switch event {
            case .madvised(let pages):
                let plural = pages == 1 ? "" : "s"
                parts.append("MADV_DONTNEED on \(pages) free page\(plural) inside free chunks")
            case .trimmed(let bytes, _): parts.append("top trimmed: \(bytes) bytes given back")
            default: continue
            }
        }
        parts += extras(outcome.events.filter { $0 == .consolidated }, breakBefore: before)
        let snapshot = malloc.snapshot()
        let heapPages = (snapshot.brk + 4095) / 4096
        parts.append("\(snapshot.residentHeapPages.count) of \(heapPages) heap pages resident")
        return ScenarioStepResult(lines: [parts.joined(separator: "; ")])
    }

    private mutating func touch(_ address: UInt64, _ length: UInt64) -> ScenarioStepResult {
        let before = malloc.snapshot().residentHeapPages.count
        if let fatal = malloc.touch(address, length) { return Self.fatal(fatal) }
        let snapshot = malloc.snapshot()
        let after = snapshot.residentHeapPages.count
        let heapPages = (snapshot.brk + 4095) / 4096
        if address >= malloc.initialBreak && address < malloc.programBreak {
            return ScenarioStepResult(
                lines: [
                    "\(after - before) page\(after - before == 1 ? "" : "s") faulted in; "
                        + "\(after) of \(heapPages) heap pages resident"
                ])
        }
        let first = address & ~4095
        let last = length == 0 ? first : (address &+ length &- 1) & ~4095
        let pages = length == 0 ? 0 : (last &- first) / 4096 &+ 1
        return ScenarioStepResult(lines: [
            "\(pages) page\(pages == 1 ? "" : "s") of the mapping touched"
        ])
    }

    // MARK: - Helpers

    private mutating func assign(_ name: String, _ value: UInt64) {
        if pointers[name] == nil { names.append(name) }
        pointers[name] = value
    }

    private func resolve(_ pointer: PointerReference) -> UInt64 {
        guard let variable = pointer.variable else { return 0 }
        return (pointers[variable] ?? 0) &+ UInt64(bitPattern: pointer.offset)
    }

    private func chunkSize(_ pointer: UInt64) -> UInt64 {
        pointer == 0 ? 0 : malloc.headerWord(of: pointer) & ~7
    }

    private func region(_ pointer: UInt64) -> String {
        if pointer >= malloc.initialBreak && pointer < malloc.programBreak {
            return "heap+\(hex(pointer - malloc.initialBreak))"
        }
        if let arena = malloc.arenaIndex(of: pointer), arena != 0 { return "arena \(arena)" }
        return "mmap"
    }

    private func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    static func binName(_ bin: Int) -> String {
        bin == 1 ? "the unsorted bin" : bin < 64 ? "small bin \(bin)" : "large bin \(bin)"
    }

    static func fatal(_ fatal: MallocFatal) -> ScenarioStepResult {
        switch fatal {
        case .abort(let message):
            return ScenarioStepResult(lines: [message, "Aborted"], ends: true)
        case .segfault: return ScenarioStepResult(lines: ["Segmentation fault"], ends: true)
        }
    }

    /// Splits text into lines, without the empty line after a final newline.
    static func textLines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

extension MallocScenarioRunner: ScenarioEngine {
    /// The heap after the last statement, with the variables' labels.
    public func figureContent() -> FigureFrame.Content? {
        .malloc(snapshot(), labels: labels)
    }
}
