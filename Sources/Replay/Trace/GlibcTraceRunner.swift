import AllocatorModels
import Markup

/// Replays a glibc trace (`allocbook trace --model glibc`) through `GlibcMalloc`.
///
/// Output, one JSON object a line, fields in this order and no spaces:
/// `{"step":1,"ptr":{"heap":"0x2a0","chunk":30736},"brk":"0x21000","arena":135168,...}`
/// with `ptr` only on allocation steps (`{"nonmain":"0x…","chunk":N}`, the absolute address, for
/// a chunk of a thread's arena) (malloc, calloc, realloc, memalign, aligned_alloc,
/// posix_memalign, valloc, pvalloc; `{"mmap":true,"chunk":N}` for an mmapped chunk, `null` for
/// NULL); then `"ret":N` on steps whose call returns an int (mallopt, posix_memalign,
/// malloc_usable_size, malloc_trim), `"value":"0x…"` on `read` steps, and `"resident":N` (heap
/// pages between the initial break and the break that are resident, as mincore() counts them) on
/// malloc_trim steps; `brk` and heap offsets relative to the initial break;
/// then the mallinfo2 fields arena, ordblks, smblks, hblks, hblkhd, uordblks, fsmblks,
/// fordblks, keepcost. A fatal error ends the output with `{"step":N,"abort":"MESSAGE"}` or
/// `{"step":N,"signal":"SIGSEGV"}`. The program calls `mallinfo2()` after every step (that is
/// where the figures come from), so on a heap corrupted by `write` that call can be the one
/// that dies, as it does on the real glibc.
public enum GlibcTraceRunner {
    /// Parses the whole trace first; if any line is malformed returns every error and emits
    /// nothing.
    ///
    /// Otherwise runs it, calling `emit` with one JSON line per step.
    public static func run(_ text: String, emit: (String) -> Void) -> [TraceError] {
        run(text, quiet: false, emit: emit)
    }

    /// As `run(_:emit:)`; with `quiet` only the final abort/signal line (if any) is emitted
    /// and mallinfo2 is not computed (for benchmarks).
    ///
    /// `cpus` is what `__get_nprocs` reports: the arena limit is 8 per CPU.
    public static func run(
        _ text: String, quiet: Bool, cpus: Int = 2, layout: MmapLayout = MmapLayout(),
        emit: (String) -> Void
    ) -> [TraceError] {
        switch GlibcTrace.parse(text) {
        case .failure(let list):
            return list.errors
        case .success(let trace):
            replay(trace, quiet: quiet, cpus: cpus, layout: layout, emit: emit)
            return []
        }
    }

    /// Replays a parsed trace; returns the number of steps run.
    ///
    /// `afterEachStep` sees the model after every step that did not kill the process (tests check
    /// invariants there).
    @discardableResult
    public static func replay(
        _ trace: GlibcTrace, quiet: Bool, cpus: Int = 2, layout: MmapLayout = MmapLayout(),
        afterEachStep: ((GlibcMalloc) -> Void)? = nil, emit: (String) -> Void
    ) -> Int {
        var model = GlibcMalloc()
        model.cpus = cpus
        model.layout = layout
        model.recordsEvents = false
        var pointers = [UInt64](repeating: 0, count: trace.slotNames.count)
        var line: [UInt8] = []
        line.reserveCapacity(256)
        for (index, operation) in trace.operations.enumerated() {
            let step = index + 1
            var outcome: MallocOutcome
            var returnsPointer = true
            var ret: UInt64?
            var value: UInt64?
            if !trace.threads.isEmpty {
                let name = trace.threadNames[trace.threads[index]]
                if name != model.currentThreadName,
                    let fatal = model.switchThread(to: name).fatal
                {
                    emit(fatalLine(step, fatal))
                    return step
                }
            }
            switch operation {
            case .malloc(let slot, let size):
                outcome = model.malloc(size)
                pointers[slot] = outcome.pointer ?? 0
            case .calloc(let slot, let count, let size):
                outcome = model.calloc(count, size)
                pointers[slot] = outcome.pointer ?? 0
            case .realloc(let slot, let size):
                let old = pointers[slot]
                outcome = model.realloc(old == 0 ? nil : old, size)
                if outcome.fatal == nil, outcome.pointer != nil || size == 0 || old == 0 {
                    pointers[slot] = outcome.pointer ?? 0
                }
            case .free(let slot, let offset):
                let p = pointers[slot]
                outcome = model.free(p == 0 && offset == 0 ? 0 : p &+ offset)
                returnsPointer = false
            case .write(let slot, let offset, let value):
                outcome = MallocOutcome(fatal: model.write(pointers[slot] &+ offset, value))
                returnsPointer = false
            case .mallopt(let param, let v):
                ret = UInt64(model.mallopt(param, v))
                outcome = MallocOutcome(fatal: model.termination)
                returnsPointer = false
            case .aligned(let slot, let kind, let alignment, let size):
                switch kind {
                case .valloc: outcome = model.valloc(size)
                case .pvalloc: outcome = model.pvalloc(size)
                case .posixMemalign:
                    let (r, o) = model.posixMemalign(alignment, size)
                    ret = UInt64(r)
                    outcome = o
                case .memalign, .alignedAlloc: outcome = model.memalign(alignment, size)
                }
                if kind != .posixMemalign || outcome.pointer != nil {
                    pointers[slot] = outcome.pointer ?? 0
                }
            case .usableSize(let slot, let offset):
                ret = model.usableSize(
                    pointers[slot] == 0 && offset == 0 ? 0 : pointers[slot] &+ offset)
                outcome = MallocOutcome(fatal: model.termination)
                returnsPointer = false
            case .trim(let pad):
                let (r, o) = model.mallocTrim(pad)
                ret = UInt64(r)
                outcome = o
                returnsPointer = false
            case .read(let slot, let offset):
                let (word, fatal) = model.read(pointers[slot] &+ offset)
                value = word
                outcome = MallocOutcome(fatal: fatal)
                returnsPointer = false
            case .exitThread:
                outcome = model.exitThread()
                returnsPointer = false
            }
            if let fatal = outcome.fatal {
                emit(fatalLine(step, fatal))
                return step
            }
            afterEachStep?(model)
            if quiet { continue }
            // The replayed program calls mallinfo2() after every step; on a heap corrupted by
            // `write` that call can itself crash.
            let info: MallInfo2
            do {
                info = try model.checkedMallinfo2()
            } catch {
                emit(fatalLine(step, error))
                return step
            }
            line.removeAll(keepingCapacity: true)
            line.append(contentsOf: "{\"step\":".utf8)
            appendDecimal(&line, UInt64(step))
            if returnsPointer {
                line.append(contentsOf: ",\"ptr\":".utf8)
                if let p = outcome.pointer {
                    let head = model.headerWord(of: p)
                    if head & 2 != 0 {
                        line.append(contentsOf: "{\"mmap\":true,\"chunk\":".utf8)
                    } else if head & 4 != 0 {
                        line.append(contentsOf: "{\"nonmain\":\"0x".utf8)
                        appendHex(&line, p)
                        line.append(contentsOf: "\",\"chunk\":".utf8)
                    } else {
                        line.append(contentsOf: "{\"heap\":\"0x".utf8)
                        appendHex(&line, p &- model.initialBreak)
                        line.append(contentsOf: "\",\"chunk\":".utf8)
                    }
                    appendDecimal(&line, head & ~7)
                    line.append(125)
                } else {
                    line.append(contentsOf: "null".utf8)
                }
            }
            if let ret {
                line.append(contentsOf: ",\"ret\":".utf8)
                appendDecimal(&line, ret)
            }
            if let value {
                line.append(contentsOf: ",\"value\":\"0x".utf8)
                appendHex(&line, value)
                line.append(34)
            }
            if case .trim = operation {
                line.append(contentsOf: ",\"resident\":".utf8)
                appendDecimal(&line, UInt64(model.space.residentHeapPageCount))
            }
            line.append(contentsOf: ",\"brk\":\"0x".utf8)
            appendHex(&line, model.programBreak &- model.initialBreak)
            line.append(34)  // closing quote of brk
            let fields: [(StaticString, UInt64)] = [
                (",\"arena\":", info.arena), (",\"ordblks\":", info.ordblks),
                (",\"smblks\":", info.smblks), (",\"hblks\":", info.hblks),
                (",\"hblkhd\":", info.hblkhd), (",\"uordblks\":", info.uordblks),
                (",\"fsmblks\":", info.fsmblks), (",\"fordblks\":", info.fordblks),
                (",\"keepcost\":", info.keepcost),
            ]
            for (name, value) in fields {
                name.withUTF8Buffer { line.append(contentsOf: $0) }
                appendDecimal(&line, value)
            }
            line.append(125)
            emit(String(decoding: line, as: UTF8.self))
        }
        return trace.operations.count
    }

    /// The line that ends the output of a dead process.
    public static func fatalLine(_ step: Int, _ fatal: MallocFatal) -> String {
        switch fatal {
        case .abort(let message):
            "{\"step\":\(step),\"abort\":\(QuotedString.json(message, htmlSafe: false))}"
        case .segfault: "{\"step\":\(step),\"signal\":\"SIGSEGV\"}"
        }
    }

    static func appendDecimal(_ out: inout [UInt8], _ value: UInt64) {
        if value == 0 {
            out.append(48)
            return
        }
        var digits: (UInt64, Int) = (value, 0)
        var buffer = [UInt8](repeating: 0, count: 20)
        while digits.0 > 0 {
            buffer[digits.1] = UInt8(48 + digits.0 % 10)
            digits.0 /= 10
            digits.1 += 1
        }
        for k in stride(from: digits.1 - 1, through: 0, by: -1) { out.append(buffer[k]) }
    }

    static func appendHex(_ out: inout [UInt8], _ value: UInt64) {
        var shift = 60
        while shift > 0, (value >> UInt64(shift)) & 15 == 0 { shift -= 4 }
        while shift >= 0 {
            let d = UInt8((value >> UInt64(shift)) & 15)
            out.append(d < 10 ? 48 + d : 87 + d)
            shift -= 4
        }
    }
}
