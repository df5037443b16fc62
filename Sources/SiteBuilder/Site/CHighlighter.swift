/// A small, deterministic C highlighter run at build time: no script on the page.
///
/// It marks comments, string and character literals, numbers, keywords, types, constants in
/// capitals (`GFP_KERNEL`), function names before `(` and preprocessor lines with `<span
/// class="tok-…">`, and escapes everything else. It never fails: unknown text stays plain.
public enum CHighlighter {
    /// Info-string languages highlighted as C.
    public static let languages: Set<String> = ["c", "h", "C"]

    /// The whole `<pre><code class="language-c">…</code></pre>` block for a C code body.
    public static func codeBlock(_ code: String) -> String {
        "<pre><code class=\"language-c\">" + highlight(code) + "</code></pre>\n"
    }

    /// Highlighted, escaped HTML for C source text.
    public static func highlight(_ code: String) -> String {
        var scanner = CTokenScanner(Array(code.utf8))
        return scanner.run()
    }

    static let keywords: Set<String> = [
        "auto", "break", "case", "const", "continue", "default", "do", "else", "enum", "extern",
        "for", "goto", "if", "inline", "register", "restrict", "return", "sizeof", "static",
        "struct", "switch", "typedef", "union", "volatile", "while", "_Alignas", "_Alignof",
        "_Atomic", "_Noreturn", "_Static_assert", "_Thread_local", "__init", "__exit",
    ]

    static let types: Set<String> = [
        "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "bool",
        "_Bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
    ]
}

/// Scans C source bytes into highlighted HTML bytes.
private struct CTokenScanner {
    private let bytes: [UInt8]
    private var index = 0
    private var out: [UInt8] = []
    private var atLineStart = true

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        out.reserveCapacity(bytes.count * 2)
    }

    mutating func run() -> String {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                out.append(byte)
                index += 1
                atLineStart = true
                continue
            }
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                plain(index, index + 1)
                index += 1
                continue
            }
            let lineStart = atLineStart
            atLineStart = false
            if lineStart && byte == UInt8(ascii: "#") {
                span("pp", index, lineEnd(from: index))
            } else if starts("//") {
                span("com", index, lineEnd(from: index))
            } else if starts("/*") {
                let end = find("*/", from: index + 2).map { $0 + 2 } ?? bytes.count
                span("com", index, end)
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                span("str", index, quotedEnd(from: index, quote: byte))
            } else if isDigit(byte) || (byte == UInt8(ascii: ".") && isDigit(peek(1))) {
                var end = index + 1
                while end < bytes.count, isWord(bytes[end]) || bytes[end] == UInt8(ascii: ".") {
                    end += 1
                }
                span("num", index, end)
            } else if isWordStart(byte) {
                word()
            } else {
                plain(index, index + 1)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func word() {
        var end = index + 1
        while end < bytes.count, isWord(bytes[end]) { end += 1 }
        let text = String(decoding: bytes[index..<end], as: UTF8.self)
        var next = end
        while next < bytes.count, bytes[next] == UInt8(ascii: " ") { next += 1 }
        let isCall = next < bytes.count && bytes[next] == UInt8(ascii: "(")
        if CHighlighter.keywords.contains(text) {
            span("kw", index, end)
        } else if CHighlighter.types.contains(text) || text.hasSuffix("_t") {
            span("type", index, end)
        } else if isCall {
            span("fn", index, end)
        } else if text.count > 1, text.utf8.allSatisfy({ isUpper($0) || isDigit($0) || $0 == 0x5F })
        {
            span("const", index, end)
        } else {
            plain(index, end)
        }
        index = end
    }

    // MARK: - Output

    private mutating func span(_ kind: String, _ start: Int, _ end: Int) {
        out.append(contentsOf: "<span class=\"tok-\(kind)\">".utf8)
        plain(start, end)
        out.append(contentsOf: "</span>".utf8)
        index = end
    }

    private mutating func plain(_ start: Int, _ end: Int) {
        for byte in bytes[start..<end] {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&quot;".utf8)
            default: out.append(byte)
            }
        }
    }

    // MARK: - Scanning

    private func peek(_ offset: Int) -> UInt8 {
        index + offset < bytes.count ? bytes[index + offset] : 0
    }

    private func starts(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        for k in 0..<count where bytes[index + k] != text.utf8Start[k] { return false }
        return true
    }

    private func find(_ text: StaticString, from start: Int) -> Int? {
        let count = text.utf8CodeUnitCount
        var position = start
        while position + count <= bytes.count {
            var match = true
            for k in 0..<count where bytes[position + k] != text.utf8Start[k] {
                match = false
                break
            }
            if match { return position }
            position += 1
        }
        return nil
    }

    private func lineEnd(from start: Int) -> Int {
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        return end
    }

    /// The end of a string or character literal; an unclosed one ends at the line's end.
    private func quotedEnd(from start: Int, quote: UInt8) -> Int {
        var end = start + 1
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\\") {
                end += 2
                continue
            }
            if byte == UInt8(ascii: "\n") { return end }
            end += 1
            if byte == quote { return end }
        }
        return min(end, bytes.count)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private func isUpper(_ b: UInt8) -> Bool { b >= 0x41 && b <= 0x5A }
    private func isWordStart(_ b: UInt8) -> Bool {
        isUpper(b) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }
    private func isWord(_ b: UInt8) -> Bool { isWordStart(b) || isDigit(b) }
}
