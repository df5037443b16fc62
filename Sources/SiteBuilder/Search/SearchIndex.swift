import LessonMarkdown
import Markup

/// The course's full-text search index, `assets/search-index.js`: a small inverted index of
/// our own that the page script loads on first use, from `file://` as from a web server (a
/// script, not a fetched JSON file).
///
/// A document is one section of a lesson: the text from one heading to the next (prose,
/// code, scenario statements and their outputs). Terms are lowercase words of letters,
/// digits and `_`; pure numbers and hex addresses are left out, they would only bloat the
/// index. The file holds `window.abSearchIndex = {pages, sections, terms, postings}`:
/// `sections[i] = [page, anchor, heading]`, and `postings[k]` lists the sections of
/// `terms[k]` (sorted) as base-36 gaps joined by `,`.
///
/// Building it is linear in the size of the course: every pass works on UTF-8 bytes, and
/// only runs of non-ASCII text go through `Character`s. A page is analysed on its own
/// (``sections(of:)``, in parallel in a build; cached by `allocbook serve`), and
/// ``SearchPostings`` joins the pages' sections.
struct SearchIndex {
    /// One lesson's rendered body with its headings, in course order.
    struct Page {
        var pageName: String
        var title: String
        var html: String
        var headings: [(id: String, text: String)]
    }

    /// One section of a page, analysed: its anchor, heading and distinct terms (in the order
    /// they first appear).
    struct Section: Hashable, Sendable {
        var anchor: String
        var heading: String
        var terms: [String]
    }

    /// The script text for `pages`.
    static func script(for pages: [Page]) -> String {
        script(
            pages: pages.map { ($0.pageName, $0.title) }, sections: pages.map(sections(of:)))
    }

    /// The script text for pages (name, title) whose sections are already analysed.
    static func script(pages: [(name: String, title: String)], sections: [[Section]]) -> String {
        String(
            decoding: SearchPostings(pages: pages, sections: sections).script(), as: UTF8.self)
    }

    /// `"g1,g2,…"`: a sorted section list as base-36 gaps (the first from 0).
    static func encodePostings(_ sections: [Int], into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var previous = 0
        for (k, section) in sections.enumerated() {
            if k > 0 { bytes.append(UInt8(ascii: ",")) }
            appendBase36(section - previous, to: &bytes)
            previous = section
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `value` in base 36 with lowercase digits, as `String(value, radix: 36)` writes it.
    static func appendBase36(_ value: Int, to bytes: inout [UInt8]) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendBase36(-value, to: &bytes)
            return
        }
        if value >= 36 { appendBase36(value / 36, to: &bytes) }
        let digit = UInt8(value % 36)
        bytes.append(digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10)
    }

    /// A page's sections with their terms; the part before the first heading is the lesson's
    /// own section (anchor "", the lesson's title as heading).
    static func sections(of page: Page) -> [Section] {
        split(page).map { part in
            var text = Array(part.heading.utf8)
            text.append(UInt8(ascii: " "))
            text += part.text
            return Section(
                anchor: part.anchor, heading: part.heading, terms: distinct(terms(in: text)))
        }
    }

    /// The sections of a page: (anchor, heading, text); empty sections without an anchor are
    /// left out.
    static func split(_ page: Page) -> [(anchor: String, heading: String, text: [UInt8])] {
        let html = Array(page.html.utf8)
        // Headings are found in the rendered HTML by their id attribute, in order.
        var searchFrom = 0
        var cuts: [(anchor: String, heading: String, offset: Int)] = []
        for heading in page.headings {
            let marker = Array("id=\"\(Markup.escape(heading.id))\"".utf8)
            guard let found = ByteSearch.first(marker, in: html, from: searchFrom) else { continue }
            cuts.append((heading.id, heading.text, found))
            searchFrom = found + marker.count
        }
        var parts: [(anchor: String, heading: String, text: [UInt8])] = []
        var start = 0
        var anchor = ""
        var heading = page.title
        for cut in cuts {
            parts.append((anchor, heading, plainText(html[start..<cut.offset])))
            start = cut.offset
            anchor = cut.anchor
            heading = cut.heading
        }
        parts.append((anchor, heading, plainText(html[start...])))
        return parts.filter { !$0.text.isEmpty || !$0.anchor.isEmpty }
    }

    /// The text of HTML: tags removed (each closing `>` leaves a space), the few entities the
    /// renderer writes decoded.
    static func plainText(_ html: String) -> String {
        String(decoding: plainText(Array(html.utf8)[...]), as: UTF8.self)
    }

    /// ``plainText(_:)-(String)`` on UTF-8 bytes, in one pass.
    ///
    /// Decoding each entity where it stands is the same as replacing one entity after the
    /// other with `&amp;` last: the five never overlap (each has one `&` and one `;`), and
    /// neither a decoded character nor a removed tag (it leaves a space) can complete another.
    static func plainText(_ html: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(html.count / 2)
        var inTag = false
        var i = html.startIndex
        let end = html.endIndex
        while i < end {
            let byte = html[i]
            i += 1
            if inTag {
                if byte == UInt8(ascii: ">") {
                    inTag = false
                    out.append(UInt8(ascii: " "))
                }
            } else if byte == UInt8(ascii: "<") {
                inTag = true
            } else if byte == UInt8(ascii: "&"), let (length, character) = entity(in: html, at: i) {
                out.append(character)
                i += length
            } else {
                out.append(byte)
            }
        }
        return out
    }

    /// The entity whose name starts at `start` (after its `&`): the bytes after the `&` and
    /// the character it stands for.
    private static func entity(in html: ArraySlice<UInt8>, at start: Int) -> (Int, UInt8)? {
        for (name, character) in entities where start + name.count <= html.endIndex {
            var k = 0
            while k < name.count && html[start + k] == name[k] { k += 1 }
            if k == name.count { return (name.count, character) }
        }
        return nil
    }

    /// The entities the renderer writes (without their `&`).
    private static let entities: [([UInt8], UInt8)] = [
        (Array("lt;".utf8), UInt8(ascii: "<")), (Array("gt;".utf8), UInt8(ascii: ">")),
        (Array("quot;".utf8), UInt8(ascii: "\"")), (Array("#39;".utf8), UInt8(ascii: "'")),
        (Array("amp;".utf8), UInt8(ascii: "&")),
    ]

    /// The terms of `terms`, each once, in the order they first appear.
    static func distinct(_ terms: [String]) -> [String] {
        var seen = Set<String>()
        return terms.filter { seen.insert($0).inserted }
    }

    /// The index terms of a text, in order, with repeats.
    static func terms(in text: String) -> [String] {
        terms(in: Array(text.utf8))
    }

    /// The index terms of UTF-8 text, in order, with repeats: the words of letters, digits
    /// and `_` of the lowercased text, 2 to 40 characters long, neither all digits nor
    /// starting with `0x`.
    ///
    /// ASCII characters are read byte by byte; a run of text with non-ASCII scalars (with the
    /// ASCII character before it, which a combining mark would join) is read as `Character`s,
    /// so the terms are those of a walk over the lowercased text's `Character`s.
    static func terms(in text: [UInt8]) -> [String] {
        let lower = lowercased(text)
        var tokenizer = Tokenizer()
        var i = 0
        let n = lower.count
        while i < n {
            let byte = lower[i]
            if byte < 0x80 && (i + 1 == n || lower[i + 1] < 0x80) {
                tokenizer.ascii(byte)
                i += 1
                continue
            }
            // Up to the next place where two ASCII bytes meet: a grapheme boundary.
            var j = i + 1
            while j < n && !(lower[j] < 0x80 && lower[j - 1] < 0x80) { j += 1 }
            for character in String(decoding: lower[i..<j], as: UTF8.self) {
                tokenizer.character(character)
            }
            i = j
        }
        tokenizer.flush()
        return tokenizer.terms
    }

    /// `text` lowercased as `String.lowercased()` does (scalar by scalar).
    static func lowercased(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            let byte = text[i]
            if byte < 0x80 {
                out.append(
                    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
                i += 1
                continue
            }
            var j = i + 1
            while j < text.count && text[j] >= 0x80 { j += 1 }
            out += String(decoding: text[i..<j], as: UTF8.self).lowercased().utf8
            i = j
        }
        return out
    }

    /// Collects words from ASCII bytes and `Character`s.
    private struct Tokenizer {
        var terms: [String] = []
        var word: [UInt8] = []
        /// Characters in `word`.
        var count = 0
        /// Whether every character of `word` is a number.
        var allNumbers = true
        /// Whether `word` has a non-ASCII character.
        var wide = false

        mutating func ascii(_ byte: UInt8) {
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            let letter =
                (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            guard digit || letter || byte == UInt8(ascii: "_") else { return flush() }
            word.append(byte)
            count += 1
            if !digit { allNumbers = false }
        }

        mutating func character(_ character: Character) {
            guard character.isLetter || character.isNumber || character == "_" else {
                return flush()
            }
            word += character.utf8
            count += 1
            if !character.isNumber { allNumbers = false }
            wide = wide || character.utf8.count > 1 || !character.isASCII
        }

        mutating func flush() {
            defer {
                word.removeAll(keepingCapacity: true)
                count = 0
                allNumbers = true
                wide = false
            }
            guard count >= 2, count <= 40, !allNumbers else { return }
            let term = String(decoding: word, as: UTF8.self)
            if wide {
                if term.hasPrefix("0x") { return }
            } else if word[0] == UInt8(ascii: "0") && word[1] == UInt8(ascii: "x") {
                return
            }
            terms.append(term)
        }
    }
}

/// Searching byte strings, in one linear pass.
enum ByteSearch {
    /// The index of the first `pattern` in `bytes` at or after `from`.
    static func first(_ pattern: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let head = pattern.first, pattern.count <= bytes.count else { return nil }
        var i = max(from, 0)
        let last = bytes.count - pattern.count
        while i <= last {
            if bytes[i] == head {
                var k = 1
                while k < pattern.count && bytes[i + k] == pattern[k] { k += 1 }
                if k == pattern.count { return i }
            }
            i += 1
        }
        return nil
    }
}
