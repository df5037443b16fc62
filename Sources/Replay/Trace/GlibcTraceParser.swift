import AllocatorModels
import Scenarios

/// The byte-level parser behind `GlibcTrace.parse` (fast enough for million-line traces).
struct GlibcTraceParser {
    let bytes: UnsafeBufferPointer<UInt8>

    /// A field of a line: its bytes and 1-based column.
    struct Field {
        var start: Int
        var end: Int
        var column: Int
    }

    func text(_ f: Field) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[f.start..<f.end]), as: UTF8.self)
    }

    func equals(_ f: Field, _ word: StaticString) -> Bool {
        guard f.end - f.start == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<(f.end - f.start) where bytes[f.start + i] != w[i] { return false }
        return true
    }

    func parse() -> Result<GlibcTrace, TraceErrorList> {
        var operations: [GlibcTrace.Operation] = []
        var lines: [Int] = []
        var names: [String] = []
        var slots = GlibcSlotTable()
        var errors: [TraceError] = []
        var fields: [Field] = []
        var lineNumber = 0
        var threadOf: [Int] = []
        var threaded = false
        var threadNames = ["main"]
        var i = 0
        let n = bytes.count
        while i < n {
            lineNumber += 1
            let lineStart = i
            var lineEnd = i
            while lineEnd < n, bytes[lineEnd] != 10 { lineEnd += 1 }
            i = lineEnd + 1
            var contentEnd = lineEnd
            if contentEnd > lineStart, bytes[contentEnd - 1] == 13 { contentEnd -= 1 }
            fields.removeAll(keepingCapacity: true)
            var j = lineStart
            while j < contentEnd {
                let c = bytes[j]
                if c == 35 { break }  // '#'
                if c == 32 || c == 9 {
                    j += 1
                    continue
                }
                let start = j
                while j < contentEnd, bytes[j] != 32, bytes[j] != 9, bytes[j] != 35 { j += 1 }
                fields.append(Field(start: start, end: j, column: start - lineStart + 1))
            }
            let endColumn = (fields.last.map { $0.end - lineStart } ?? 0) + 1
            var thread = 0
            if let first = fields.first, equals(first, "thread") {
                guard fields.count >= 3, bytes[fields[1].end - 1] == 58,
                    isIdentifier(fields[1].start, fields[1].end - 1)
                else {
                    errors.append(
                        TraceError(
                            line: lineNumber,
                            column: fields.count > 1 ? fields[1].column : endColumn,
                            message: "expected 'thread NAME: OPERATION'"))
                    continue
                }
                let name = String(
                    decoding: UnsafeBufferPointer(
                        rebasing: bytes[fields[1].start..<fields[1].end - 1]),
                    as: UTF8.self)
                if let known = threadNames.firstIndex(of: name) {
                    thread = known
                } else {
                    threadNames.append(name)
                    thread = threadNames.count - 1
                }
                fields.removeFirst(2)
            }
            guard let op = fields.first else { continue }
            func fail(_ column: Int, _ message: String) {
                errors.append(TraceError(line: lineNumber, column: column, message: message))
            }
            func arity(_ count: Int, _ usage: String) -> Bool {
                if fields.count < count {
                    fail(endColumn, "'\(text(op))' expects \(usage)")
                    return false
                }
                if fields.count > count {
                    fail(fields[count].column, "unexpected '\(text(fields[count]))'")
                    return false
                }
                return true
            }
            func newSlot(_ f: Field) -> Int? {
                guard isIdentifier(f.start, f.end) else {
                    fail(f.column, "invalid ID '\(text(f))'")
                    return nil
                }
                let (slot, inserted) = slots.findOrInsert(bytes, f.start, f.end, next: names.count)
                if inserted { names.append(text(f)) }
                return slot
            }
            func existingSlot(_ f: Field) -> Int? {
                guard isIdentifier(f.start, f.end) else {
                    fail(f.column, "invalid ID '\(text(f))'")
                    return nil
                }
                guard let slot = slots.find(bytes, f.start, f.end) else {
                    fail(f.column, "unknown ID '\(text(f))'")
                    return nil
                }
                return slot
            }
            /// `ID` or `ID+OFFSET`, the ID assigned earlier.
            func pointer(_ field: Field) -> (Int, UInt64)? {
                var f = field
                var offset: UInt64 = 0
                if let plus = (f.start..<f.end).first(where: { bytes[$0] == 43 }) {
                    let offsetField = Field(
                        start: plus + 1, end: f.end, column: f.column + plus + 1 - f.start)
                    f.end = plus
                    guard let value = number(offsetField.start, offsetField.end) else {
                        fail(offsetField.column, "invalid offset '\(text(offsetField))'")
                        return nil
                    }
                    offset = value
                }
                guard let slot = existingSlot(f) else { return nil }
                return (slot, offset)
            }
            func size(_ f: Field, _ what: String) -> UInt64? {
                guard let value = number(f.start, f.end) else {
                    fail(f.column, "invalid \(what) '\(text(f))'")
                    return nil
                }
                return value
            }
            let before = errors.count
            if equals(op, "malloc") {
                guard arity(3, "ID SIZE") else { continue }
                let slot = newSlot(fields[1])
                let s = size(fields[2], "size")
                if errors.count == before, let slot, let s {
                    operations.append(.malloc(slot: slot, size: s))
                }
            } else if equals(op, "calloc") {
                guard arity(4, "ID NMEMB SIZE") else { continue }
                let slot = newSlot(fields[1])
                let count = size(fields[2], "count")
                let s = size(fields[3], "size")
                if errors.count == before, let slot, let count, let s {
                    operations.append(.calloc(slot: slot, count: count, size: s))
                }
            } else if equals(op, "realloc") {
                guard arity(3, "ID SIZE") else { continue }
                let slot = existingSlot(fields[1])
                let s = size(fields[2], "size")
                if errors.count == before, let slot, let s {
                    operations.append(.realloc(slot: slot, size: s))
                }
            } else if equals(op, "free") {
                guard arity(2, "ID or ID+OFFSET") else { continue }
                guard let (slot, offset) = pointer(fields[1]) else { continue }
                operations.append(.free(slot: slot, offset: offset))
            } else if equals(op, "write") {
                guard arity(3, "ID+OFFSET VALUE") else { continue }
                let target = pointer(fields[1])
                let value = size(fields[2], "value")
                guard let (slot, offset) = target, let value else { continue }
                guard offset % 8 == 0 else {
                    fail(fields[1].column, "offset in '\(text(fields[1]))' is not a multiple of 8")
                    continue
                }
                operations.append(.write(slot: slot, offset: offset, value: value))
            } else if let kind = alignedAllocator(op) {
                let sized = kind == .valloc || kind == .pvalloc
                guard arity(sized ? 3 : 4, sized ? "ID SIZE" : "ID ALIGN SIZE") else { continue }
                let slot = newSlot(fields[1])
                let alignment = sized ? 4096 : size(fields[2], "alignment")
                let s = size(fields[sized ? 2 : 3], "size")
                if errors.count == before, let slot, let alignment, let s {
                    operations.append(.aligned(slot: slot, kind, alignment: alignment, size: s))
                }
            } else if equals(op, "malloc_usable_size") || equals(op, "read") {
                let isRead = equals(op, "read")
                guard arity(2, isRead ? "ID+OFFSET" : "ID or ID+OFFSET") else { continue }
                guard let (slot, offset) = pointer(fields[1]) else { continue }
                if isRead, offset % 8 != 0 {
                    fail(fields[1].column, "offset in '\(text(fields[1]))' is not a multiple of 8")
                    continue
                }
                operations.append(
                    isRead
                        ? .read(slot: slot, offset: offset)
                        : .usableSize(slot: slot, offset: offset))
            } else if equals(op, "exit") {
                guard arity(1, "nothing") else { continue }
                guard thread != 0 else {
                    fail(
                        op.column,
                        "'exit' needs a 'thread NAME:' prefix: the main thread's exit is not "
                            + "modelled (glibc runs no thread freeres for it, and the replay "
                            + "needs it)")
                    continue
                }
                operations.append(.exitThread)
            } else if equals(op, "malloc_trim") {
                guard arity(2, "PAD") else { continue }
                guard let pad = size(fields[1], "pad") else { continue }
                operations.append(.trim(pad: pad))
            } else if equals(op, "mallopt") {
                guard arity(3, "NAME VALUE") else { continue }
                let param = MalloptParam(rawValue: text(fields[1]))
                if param == nil {
                    fail(fields[1].column, "unknown mallopt parameter '\(text(fields[1]))'")
                }
                let value = intValue(fields[2])
                if value == nil {
                    fail(fields[2].column, "invalid value '\(text(fields[2]))'")
                }
                if let param, let value { operations.append(.mallopt(param, value)) }
            } else {
                fail(op.column, "unknown operation '\(text(op))'")
                continue
            }
            if errors.count == before {
                lines.append(lineNumber)
                if thread != 0, !threaded {
                    threaded = true
                    threadOf = Array(repeating: 0, count: operations.count - 1)
                }
                if threaded { threadOf.append(thread) }
            }
        }
        if !errors.isEmpty { return .failure(TraceErrorList(errors: errors)) }
        return .success(
            GlibcTrace(
                operations: operations, lines: lines, slotNames: names, threads: threadOf,
                threadNames: threadNames))
    }

    func alignedAllocator(_ f: Field) -> AlignedAllocator? {
        if equals(f, "memalign") { return .memalign }
        if equals(f, "aligned_alloc") { return .alignedAlloc }
        if equals(f, "posix_memalign") { return .posixMemalign }
        if equals(f, "valloc") { return .valloc }
        if equals(f, "pvalloc") { return .pvalloc }
        return nil
    }

    func isIdentifier(_ start: Int, _ end: Int) -> Bool {
        guard start < end else { return false }
        for k in start..<end {
            let c = bytes[k]
            let ok =
                (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95
            if !ok { return false }
        }
        return true
    }

    /// Decimal or 0x-hex with an optional K/M/G suffix; `nil` when malformed or too large.
    func number(_ start: Int, _ end: Int) -> UInt64? {
        guard start < end else { return nil }
        return ByteSize.parse(bytes[start..<end])
    }

    /// A C `int`, possibly negative.
    func intValue(_ f: Field) -> Int32? {
        var start = f.start
        var negative = false
        if start < f.end, bytes[start] == 45 {
            negative = true
            start += 1
        }
        guard let magnitude = number(start, f.end) else { return nil }
        if negative {
            guard magnitude <= 1 << 31 else { return nil }
            return Int32(truncatingIfNeeded: 0 &- Int64(magnitude))
        }
        guard magnitude <= UInt64(Int32.max) else { return nil }
        return Int32(magnitude)
    }
}
