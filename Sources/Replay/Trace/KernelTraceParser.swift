import AllocatorModels
import Scenarios

/// One operation of a kernel trace.
///
/// IDs and cache names are numbered slots (see `KernelTraceParser.ids` / `cacheNames`), so replay needs no string hashing.
struct KernelTraceOperation: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case kmalloc(id: Int, size: UInt64, zero: Bool, gfp: GFP)
        case kmallocArray(id: Int, count: UInt64, size: UInt64, zero: Bool, gfp: GFP)
        case krealloc(id: Int, size: UInt64, gfp: GFP)
        case kvmalloc(id: Int, size: UInt64, zero: Bool, gfp: GFP)
        case kvfree(id: Int)
        case kvmallocArray(id: Int, count: UInt64, size: UInt64, zero: Bool, gfp: GFP)
        /// 6.1's `kvrealloc(p, oldsize, newsize, gfp)` when `oldSize` is set, else 6.18's
        /// `kvrealloc(p, size, gfp)`.
        case kvrealloc(id: Int, oldSize: UInt64?, size: UInt64, gfp: GFP)
        case kfree(id: Int)
        case allocPages(id: Int, order: Int)
        case freePages(id: Int)
        case vmalloc(id: Int, size: UInt64, zero: Bool)
        case vfree(id: Int)
        case cacheCreate(cache: Int, size: Int, align: Int, flags: SlabFlags, constructor: Bool)
        case cacheDestroy(cache: Int)
        case cacheAlloc(id: Int, cache: Int)
        case cacheFree(id: Int)
    }

    var kind: Kind
    var line: Int

    /// The ID whose object the operation may reallocate (`krealloc`, `kvrealloc`), else `nil`.
    var reallocated: Int? {
        switch kind {
        case .krealloc(let id, _, _), .kvrealloc(let id, _, _, _): return id
        default: return nil
        }
    }
}

/// Parses a kernel trace (`allocbook trace --model kernel`).
///
/// One operation a line, `#` starting a comment, working on UTF-8 bytes. Checks names statically: an ID must have
/// been allocated on an earlier line before it is freed, a cache must be created before use
/// and only once. Columns count Unicode scalars.
struct KernelTraceParser {
    /// What an ID was last allocated by.
    enum IdKind { case slab, large, pages, vmalloc, cacheObject, kvmalloc }

    var operations: [KernelTraceOperation] = []
    var errors: [TraceError] = []
    /// ID slots, and what each holds at this point of the parse.
    var ids = KernelTraceNameTable()
    var idKinds: [IdKind?] = []
    /// Cache slot → name.
    var cacheNames: [String] = []
    var cacheSlots: [String: Int] = [:]

    /// The trace as UTF-8 bytes.
    var bytes: [UInt8] = []
    /// The words of the current line (reused between lines).
    var words: [Word] = []

    /// A whitespace-separated word: its byte range in `bytes` and 1-based column.
    struct Word {
        var start: Int
        var end: Int
        var column: Int
        var count: Int { end - start }
    }

    func text(_ word: Word) -> String {
        String(decoding: bytes[word.start..<word.end], as: UTF8.self)
    }

    func slice(_ word: Word) -> ArraySlice<UInt8> {
        bytes[word.start..<word.end]
    }

    static func parse(_ text: String) -> KernelTraceParser {
        var parser = KernelTraceParser()
        parser.bytes = Array(text.utf8)
        parser.words.reserveCapacity(8)
        let count = parser.bytes.count
        var number = 0
        var start = 0
        while start <= count {
            var end = start
            parser.bytes.withUnsafeBufferPointer { buffer in
                while end < count && buffer[end] != 10 { end += 1 }
            }
            number += 1
            parser.parseLine(start, end, number: number)
            if end == count { break }
            start = end + 1
        }
        return parser
    }

    /// Splits bytes[start..<end] into `words`, stopping at `#`.
    mutating func split(_ start: Int, _ end: Int) {
        words.removeAll(keepingCapacity: true)
        var column = 0
        var wordStart = -1
        var startColumn = 0
        var i = start
        while i < end {
            let byte = bytes[i]
            if byte & 0xC0 != 0x80 { column += 1 }  // a new scalar starts
            if byte == UInt8(ascii: "#") && wordStart < 0 { break }
            if byte == 32 || byte == 9 || byte == 13 {
                if wordStart >= 0 {
                    words.append(Word(start: wordStart, end: i, column: startColumn))
                    wordStart = -1
                }
            } else if wordStart < 0 {
                wordStart = i
                startColumn = column
            }
            i += 1
        }
        if wordStart >= 0 { words.append(Word(start: wordStart, end: i, column: startColumn)) }
    }

    mutating func error(_ line: Int, _ column: Int, _ message: String) {
        errors.append(TraceError(line: line, column: column, message: message))
    }

    static func equals(_ bytes: ArraySlice<UInt8>, _ text: StaticString) -> Bool {
        guard bytes.count == text.utf8CodeUnitCount else { return false }
        let p = text.utf8Start
        var i = 0
        for b in bytes {
            if b != p[i] { return false }
            i += 1
        }
        return true
    }

    enum Keyword: String {
        case kmalloc, kzalloc, kfree, vmalloc, vzalloc, vfree, kcalloc, krealloc, kvmalloc
        case kvzalloc, kvfree, kvcalloc, kvrealloc
        case kmallocArray = "kmalloc_array", kvmallocArray = "kvmalloc_array"
        case allocPages = "alloc_pages", freePages = "free_pages"
        case cacheCreate = "kmem_cache_create", cacheAlloc = "kmem_cache_alloc"
        case cacheFree = "kmem_cache_free", cacheDestroy = "kmem_cache_destroy"

        static let all: [(StaticString, Keyword)] = [
            ("kmalloc", .kmalloc), ("kfree", .kfree), ("kzalloc", .kzalloc),
            ("kmem_cache_alloc", .cacheAlloc), ("kmem_cache_free", .cacheFree),
            ("alloc_pages", .allocPages), ("free_pages", .freePages), ("vmalloc", .vmalloc),
            ("vzalloc", .vzalloc), ("vfree", .vfree), ("kmem_cache_create", .cacheCreate),
            ("kmalloc_array", .kmallocArray), ("kcalloc", .kcalloc), ("krealloc", .krealloc),
            ("kvmalloc", .kvmalloc), ("kvzalloc", .kvzalloc), ("kvfree", .kvfree),
            ("kmem_cache_destroy", .cacheDestroy), ("kvmalloc_array", .kvmallocArray),
            ("kvcalloc", .kvcalloc), ("kvrealloc", .kvrealloc),
        ]

        /// Required arguments.
        var arity: Int {
            switch self {
            case .kfree, .freePages, .vfree, .cacheFree, .kvfree, .cacheDestroy: return 1
            case .kmallocArray, .kcalloc, .kvmallocArray, .kvcalloc: return 3
            default: return 2
            }
        }

        /// Optional arguments after the required ones (FLAGS; ALIGN FLAGS ctor).
        var optional: Int {
            switch self {
            case .kmalloc, .kzalloc, .kmallocArray, .kcalloc, .krealloc, .kvmalloc, .kvzalloc,
                .kvmallocArray, .kvcalloc:
                return 1
            case .kvrealloc: return 2  // [NEWSIZE] [FLAGS]
            case .cacheCreate: return 3
            default: return 0
            }
        }

        /// What the second argument is called in messages.
        var secondArgument: String {
            switch self {
            case .allocPages: return "ORDER"
            case .cacheAlloc: return "NAME"
            case .cacheCreate: return "OBJSIZE"
            case .kmallocArray, .kcalloc, .kvmallocArray, .kvcalloc: return "N"
            default: return "SIZE"
            }
        }
    }

    mutating func parseLine(_ start: Int, _ end: Int, number: Int) {
        split(start, end)
        guard let op = words.first else { return }
        let opBytes = slice(op)
        guard let keyword = Keyword.all.first(where: { Self.equals(opBytes, $0.0) })?.1 else {
            error(number, op.column, "unknown operation '\(text(op))'")
            return
        }
        let name = keyword.rawValue
        if words.count < keyword.arity + 1 {
            let last = words[words.count - 1]
            let column = last.column + slice(last).reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
            let what =
                words.count == 1
                ? (keyword == .cacheCreate || keyword == .cacheDestroy ? "NAME" : "ID")
                : (words.count == 3 ? "SIZE" : keyword.secondArgument)
            error(number, column, "'\(name)' needs \(what)")
            return
        }
        if words.count > keyword.arity + keyword.optional + 1 {
            let extra = words[keyword.arity + keyword.optional + 1]
            error(number, extra.column, "unexpected '\(text(extra))' after '\(name)'")
            return
        }
        let a = words[1]
        switch keyword {
        case .kmalloc, .kzalloc, .vmalloc, .vzalloc, .kvmalloc, .kvzalloc:
            guard checkId(a, number) else { return }
            guard let size = Self.size(slice(words[2])) else {
                error(number, words[2].column, "invalid size '\(text(words[2]))'")
                return
            }
            guard let gfp = flags(at: 3, number) else { return }
            switch keyword {
            case .vmalloc, .vzalloc:
                let id = define(a, .vmalloc)
                append(.vmalloc(id: id, size: size, zero: keyword == .vzalloc), number)
            case .kvmalloc, .kvzalloc:
                let id = define(a, .kvmalloc)
                append(.kvmalloc(id: id, size: size, zero: keyword == .kvzalloc, gfp: gfp), number)
            default:
                let id = define(a, size > UInt64(KernelLayout.kmallocMaxCacheSize) ? .large : .slab)
                append(.kmalloc(id: id, size: size, zero: keyword == .kzalloc, gfp: gfp), number)
            }
        case .kmallocArray, .kcalloc, .kvmallocArray, .kvcalloc:
            guard checkId(a, number) else { return }
            guard let count = Self.size(slice(words[2])) else {
                error(number, words[2].column, "invalid count '\(text(words[2]))'")
                return
            }
            guard let size = Self.size(slice(words[3])) else {
                error(number, words[3].column, "invalid size '\(text(words[3]))'")
                return
            }
            guard let gfp = flags(at: 4, number) else { return }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: size)
            if keyword == .kvmallocArray || keyword == .kvcalloc {
                let id = define(a, .kvmalloc)
                append(
                    .kvmallocArray(
                        id: id, count: count, size: size, zero: keyword == .kvcalloc, gfp: gfp),
                    number)
                return
            }
            let id = define(
                a, !overflow && bytes > UInt64(KernelLayout.kmallocMaxCacheSize) ? .large : .slab)
            append(
                .kmallocArray(
                    id: id, count: count, size: size, zero: keyword == .kcalloc, gfp: gfp),
                number)
        case .krealloc:
            guard let id = ids.find(slice(a)), let kind = idKinds[id] else {
                error(number, a.column, "unknown id '\(text(a))'")
                return
            }
            guard kind == .slab || kind == .large || kind == .cacheObject else {
                error(number, op.column, "'krealloc' of '\(text(a))', which kmalloc did not return")
                return
            }
            guard let size = Self.size(slice(words[2])) else {
                error(number, words[2].column, "invalid size '\(text(words[2]))'")
                return
            }
            guard let gfp = flags(at: 3, number) else { return }
            _ = define(a, size > UInt64(KernelLayout.kmallocMaxCacheSize) ? .large : .slab)
            append(.krealloc(id: id, size: size, gfp: gfp), number)
        case .kvrealloc:
            guard let id = ids.find(slice(a)), let kind = idKinds[id] else {
                error(number, a.column, "unknown id '\(text(a))'")
                return
            }
            guard kind != .pages else {
                error(number, op.column, "'kvrealloc' of '\(text(a))', which alloc_pages returned")
                return
            }
            guard let first = Self.size(slice(words[2])) else {
                error(number, words[2].column, "invalid size '\(text(words[2]))'")
                return
            }
            // `kvrealloc ID OLDSIZE NEWSIZE [FLAGS]` (6.1) or `kvrealloc ID SIZE [FLAGS]` (6.18).
            let second = words.count > 3 ? Self.size(slice(words[3])) : nil
            if second == nil && words.count > 4 {
                error(number, words[3].column, "invalid size '\(text(words[3]))'")
                return
            }
            guard let gfp = flags(at: second == nil ? 3 : 4, number) else { return }
            _ = define(a, .kvmalloc)
            append(
                .kvrealloc(
                    id: id, oldSize: second == nil ? nil : first, size: second ?? first, gfp: gfp),
                number)
        case .cacheDestroy:
            guard let cache = cacheSlots[text(a)] else {
                error(number, a.column, "unknown cache '\(text(a))'")
                return
            }
            append(.cacheDestroy(cache: cache), number)
        case .allocPages:
            guard checkId(a, number) else { return }
            guard let order = Self.size(slice(words[2])).flatMap({ $0 <= 63 ? Int($0) : nil }),
                slice(words[2]).allSatisfy({ $0 >= 48 && $0 <= 57 })
            else {
                error(number, words[2].column, "invalid order '\(text(words[2]))'")
                return
            }
            append(.allocPages(id: define(a, .pages), order: order), number)
        case .cacheCreate:
            guard let size = Self.size(slice(words[2])), size > 0,
                size <= KernelLayout.kmallocMaxSize
            else {
                error(number, words[2].column, "invalid object size '\(text(words[2]))'")
                return
            }
            var align = 0
            if words.count > 3 {
                guard let value = Self.size(slice(words[3])), value <= 4096,
                    value & (value &- 1) == 0
                else {
                    error(
                        number, words[3].column,
                        "invalid alignment '\(text(words[3]))' (0 or a power of two up to 4096)")
                    return
                }
                align = Int(value)
            }
            var slabFlags: SlabFlags = []
            if words.count > 4 && !Self.equals(slice(words[4]), "0") {
                for (part, column) in parts(words[4]) {
                    guard let flag = SlabFlags.named(part) else {
                        error(number, column, "unknown slab flag '\(part)'")
                        return
                    }
                    slabFlags.formUnion(flag)
                }
            }
            var constructor = false
            if words.count > 5 {
                guard Self.equals(slice(words[5]), "ctor") else {
                    error(number, words[5].column, "expected 'ctor', found '\(text(words[5]))'")
                    return
                }
                constructor = true
            }
            let cache = text(a)
            guard cacheSlots[cache] == nil else {
                error(number, a.column, "cache '\(cache)' already exists")
                return
            }
            cacheSlots[cache] = cacheNames.count
            cacheNames.append(cache)
            append(
                .cacheCreate(
                    cache: cacheNames.count - 1, size: Int(size), align: align, flags: slabFlags,
                    constructor: constructor), number)
        case .cacheAlloc:
            guard checkId(a, number) else { return }
            guard let cache = cacheSlots[text(words[2])] else {
                error(number, words[2].column, "unknown cache '\(text(words[2]))'")
                return
            }
            append(.cacheAlloc(id: define(a, .cacheObject), cache: cache), number)
        case .kfree, .freePages, .vfree, .cacheFree, .kvfree:
            guard let id = ids.find(slice(a)), let kind = idKinds[id] else {
                error(number, a.column, "unknown id '\(text(a))'")
                return
            }
            switch (keyword, kind) {
            case (.kvfree, _): append(.kvfree(id: id), number)
            case (.freePages, .slab), (.freePages, .large), (.freePages, .vmalloc),
                (.freePages, .cacheObject), (.freePages, .kvmalloc):
                error(
                    number, op.column,
                    "'free_pages' of '\(text(a))', which 'alloc_pages' did not return")
            case (.cacheFree, .large), (.cacheFree, .pages), (.cacheFree, .vmalloc),
                (.cacheFree, .kvmalloc):
                error(
                    number, op.column,
                    "'kmem_cache_free' of '\(text(a))', which is not a slab object")
            case (.kfree, _): append(.kfree(id: id), number)
            case (.freePages, _): append(.freePages(id: id), number)
            case (.vfree, _): append(.vfree(id: id), number)
            default: append(.cacheFree(id: id), number)
            }
        }
    }

    /// The optional GFP flags at word `index`: names `GFP.named` knows joined by `|`
    /// (`GFP_KERNEL|__GFP_ZERO`); GFP_KERNEL when absent; `nil` after an error.
    mutating func flags(at index: Int, _ line: Int) -> GFP? {
        guard index < words.count else { return .kernel }
        var gfp: GFP = []
        for (part, column) in parts(words[index]) {
            guard let mask = GFP.named(part) else {
                error(line, column, "unknown GFP flag '\(part)'")
                return nil
            }
            gfp.formUnion(mask)
        }
        return gfp
    }

    /// The `|`-separated parts of a word with their columns (ASCII names).
    func parts(_ word: Word) -> [(String, Int)] {
        var result: [(String, Int)] = []
        var start = word.start
        for i in word.start...word.end where i == word.end || bytes[i] == UInt8(ascii: "|") {
            let column = word.column + (start - word.start)
            result.append((String(decoding: bytes[start..<i], as: UTF8.self), column))
            start = i + 1
        }
        return result
    }

    /// The slot of an ID, created on first use, now holding `kind`.
    mutating func define(_ word: Word, _ kind: IdKind) -> Int {
        let (slot, isNew) = ids.insert(slice(word))
        if isNew { idKinds.append(kind) } else { idKinds[slot] = kind }
        return slot
    }

    mutating func append(_ kind: KernelTraceOperation.Kind, _ line: Int) {
        operations.append(KernelTraceOperation(kind: kind, line: line))
    }

    mutating func checkId(_ word: Word, _ line: Int) -> Bool {
        var valid = word.count > 0
        for i in word.start..<word.end {
            let b = bytes[i]
            let letter = (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95
            let digit = b >= 48 && b <= 57
            if !(letter || (digit && i > word.start)) { valid = false }
        }
        if !valid { error(line, word.column, "invalid id '\(text(word))'") }
        return valid
    }

    /// A size: decimal or 0x hexadecimal, optionally followed by K, M or G.
    static func size(_ text: ArraySlice<UInt8>) -> UInt64? { ByteSize.parse(text) }
}

extension KernelTraceParser {
    /// A `kvrealloc` in the other release's form: 6.1's takes the old size
    /// (`kvrealloc ID OLDSIZE NEWSIZE`), 6.18's does not (`kvrealloc ID SIZE`), as in scenarios.
    func versionErrors(_ version: KernelVersion) -> [TraceError] {
        operations.compactMap { operation in
            guard case .kvrealloc(_, let oldSize, _, _) = operation.kind else { return nil }
            switch (version, oldSize) {
            case (.v6_1, nil):
                return TraceError(
                    line: operation.line, column: 1,
                    message: "6.1's kvrealloc takes the old size: 'kvrealloc ID OLDSIZE NEWSIZE'")
            case (.v6_18, _?):
                return TraceError(
                    line: operation.line, column: 1,
                    message: "6.18's kvrealloc takes no old size: 'kvrealloc ID SIZE'")
            default:
                return nil
            }
        }
    }
}
