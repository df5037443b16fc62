/// One operation of a kernel trace.
struct KernelTraceOperation: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case kmalloc(id: String, size: UInt64, zero: Bool)
        case kfree(id: String)
        case allocPages(id: String, order: Int)
        case freePages(id: String)
        case vmalloc(id: String, size: UInt64, zero: Bool)
        case vfree(id: String)
        case cacheCreate(name: String, size: Int)
        case cacheAlloc(id: String, cache: String)
        case cacheFree(id: String)
    }

    var kind: Kind
    /// The operation's keyword, as written.
    var name: String
    var line: Int
}

/// Parses a kernel trace (`allocbook trace --model kernel`), one operation a line, `#`
/// starting a comment. Checks names statically: an ID must have been allocated on an
/// earlier line before it is freed, a cache must be created before use and only once.
struct KernelTraceParser {
    /// What an ID was last allocated by.
    enum IdKind { case slab, large, pages, vmalloc, cacheObject }

    var operations: [KernelTraceOperation] = []
    var errors: [TraceError] = []
    var ids: [String: IdKind] = [:]
    var cacheNames: Set<String> = []

    /// A whitespace-separated word and its 1-based column.
    struct Word {
        var text: Substring
        var column: Int
    }

    static func parse(_ text: String) -> KernelTraceParser {
        var parser = KernelTraceParser()
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            parser.parseLine(line, number: number)
        }
        return parser
    }

    static func words(_ line: Substring) -> [Word] {
        var words: [Word] = []
        var column = 0
        var start: Substring.Index?
        var startColumn = 0
        var index = line.startIndex
        while index < line.endIndex {
            let ch = line.unicodeScalars[index]
            column += 1
            if ch == "#" && start == nil { break }
            if ch == " " || ch == "\t" || ch == "\r" {
                if let s = start {
                    words.append(Word(text: line[s..<index], column: startColumn))
                    start = nil
                }
            } else if start == nil {
                start = index
                startColumn = column
            }
            index = line.unicodeScalars.index(after: index)
        }
        if let s = start { words.append(Word(text: line[s..<line.endIndex], column: startColumn)) }
        return words
    }

    mutating func error(_ line: Int, _ column: Int, _ message: String) {
        errors.append(TraceError(line: line, column: column, message: message))
    }

    mutating func parseLine(_ text: Substring, number: Int) {
        let words = Self.words(text)
        guard let op = words.first else { return }
        let arity: Int
        switch op.text {
        case "kfree", "free_pages", "vfree", "kmem_cache_free": arity = 1
        case "kmalloc", "kzalloc", "alloc_pages", "vmalloc", "vzalloc", "kmem_cache_create",
            "kmem_cache_alloc":
            arity = 2
        default:
            error(number, op.column, "unknown operation '\(op.text)'")
            return
        }
        if words.count < arity + 1 {
            let last = words[words.count - 1]
            let column = last.column + last.text.unicodeScalars.count
            let what = ["kmem_cache_create"].contains(op.text) ? (words.count == 1 ? "NAME" : "OBJSIZE")
                : words.count == 1 ? "ID" : (op.text == "alloc_pages" ? "ORDER" : op.text == "kmem_cache_alloc" ? "NAME" : "SIZE")
            error(number, column, "'\(op.text)' needs \(what)")
            return
        }
        if words.count > arity + 1 {
            error(number, words[arity + 1].column, "unexpected '\(words[arity + 1].text)' after '\(op.text)'")
            return
        }
        let name = String(op.text)
        let a = words[1]
        switch op.text {
        case "kmalloc", "kzalloc", "vmalloc", "vzalloc":
            guard checkId(a, number) else { return }
            guard let size = Self.size(words[2].text) else {
                error(number, words[2].column, "invalid size '\(words[2].text)'")
                return
            }
            let id = String(a.text)
            if op.text.hasPrefix("v") {
                ids[id] = .vmalloc
                append(.vmalloc(id: id, size: size, zero: op.text == "vzalloc"), name, number)
            } else {
                ids[id] = size > UInt64(KernelLayout.kmallocMaxCacheSize) ? .large : .slab
                append(.kmalloc(id: id, size: size, zero: op.text == "kzalloc"), name, number)
            }
        case "alloc_pages":
            guard checkId(a, number) else { return }
            guard let order = Int(words[2].text), order >= 0, order <= 63 else {
                error(number, words[2].column, "invalid order '\(words[2].text)'")
                return
            }
            ids[String(a.text)] = .pages
            append(.allocPages(id: String(a.text), order: order), name, number)
        case "kmem_cache_create":
            guard let size = Self.size(words[2].text), size > 0, size <= KernelLayout.kmallocMaxSize else {
                error(number, words[2].column, "invalid object size '\(words[2].text)'")
                return
            }
            let cache = String(a.text)
            guard !cacheNames.contains(cache) else {
                error(number, a.column, "cache '\(cache)' already exists")
                return
            }
            cacheNames.insert(cache)
            append(.cacheCreate(name: cache, size: Int(size)), name, number)
        case "kmem_cache_alloc":
            guard checkId(a, number) else { return }
            guard cacheNames.contains(String(words[2].text)) else {
                error(number, words[2].column, "unknown cache '\(words[2].text)'")
                return
            }
            ids[String(a.text)] = .cacheObject
            append(.cacheAlloc(id: String(a.text), cache: String(words[2].text)), name, number)
        default:  // frees
            let id = String(a.text)
            guard let kind = ids[id] else {
                error(number, a.column, "unknown id '\(id)'")
                return
            }
            switch (op.text, kind) {
            case ("kfree", .vmalloc):
                error(number, op.column, "'kfree' of '\(id)', a vmalloc area, is not modelled")
            case ("free_pages", .slab), ("free_pages", .large), ("free_pages", .vmalloc), ("free_pages", .cacheObject):
                error(number, op.column, "'free_pages' of '\(id)', which 'alloc_pages' did not return")
            case ("kmem_cache_free", let k) where k != .cacheObject && k != .slab:
                error(number, op.column, "'kmem_cache_free' of '\(id)', which is not a slab object")
            case ("kfree", _): append(.kfree(id: id), name, number)
            case ("free_pages", _): append(.freePages(id: id), name, number)
            case ("vfree", _): append(.vfree(id: id), name, number)
            default: append(.cacheFree(id: id), name, number)
            }
        }
    }

    mutating func append(_ kind: KernelTraceOperation.Kind, _ name: String, _ line: Int) {
        operations.append(KernelTraceOperation(kind: kind, name: name, line: line))
    }

    mutating func checkId(_ word: Word, _ line: Int) -> Bool {
        let scalars = word.text.unicodeScalars
        let valid = scalars.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
            && !(scalars.first.map { $0 >= "0" && $0 <= "9" } ?? true)
        if !valid { error(line, word.column, "invalid id '\(word.text)'") }
        return valid
    }

    /// A size: decimal or 0x hexadecimal, optionally followed by K, M or G.
    static func size(_ text: Substring) -> UInt64? {
        var digits = text
        var scale: UInt64 = 1
        switch digits.last {
        case "K", "k": scale = 1 << 10
        case "M", "m": scale = 1 << 20
        case "G", "g": scale = 1 << 30
        default: break
        }
        if scale != 1 { digits = digits.dropLast() }
        let value: UInt64?
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") {
            value = UInt64(digits.dropFirst(2), radix: 16)
        } else {
            value = digits.allSatisfy({ $0.isASCII && $0.isNumber }) ? UInt64(digits) : nil
        }
        guard let value else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }
}
