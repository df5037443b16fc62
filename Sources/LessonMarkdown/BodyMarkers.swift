/// The markers ``CmarkDocument/body(_:)`` renders in place of fenced blocks
/// (`<!--allocbook-0-block-3-->`) and link destinations (`allocbook-0-link-7`), and the cut of
/// the rendered HTML at them.
struct BodyMarkers {
    /// The number in every marker, chosen so that the lesson's own text does not hold it.
    let nonce: Int

    private var prefix: [UInt8] { Array("allocbook-\(nonce)-".utf8) }

    func block(_ index: Int) -> String { "<!--allocbook-\(nonce)-block-\(index)-->" }

    func link(_ position: Int) -> String { "allocbook-\(nonce)-link-\(position)" }

    /// Cuts `html` at the markers; `nil` unless it holds each block marker (with the line
    /// break cmark puts after it) and each link marker (as a whole attribute value) exactly
    /// once, and no other text that starts like a marker.
    func pieces(of html: String, blocks: Int, links: Int) -> [LessonBody.Piece]? {
        let bytes = Array(html.utf8)
        let prefix = self.prefix
        var pieces: [LessonBody.Piece] = []
        var seenBlocks = [Bool](repeating: false, count: blocks)
        var seenLinks = [Bool](repeating: false, count: links)
        var literalStart = 0
        var i = 0
        while let found = Self.find(prefix, in: bytes, from: i) {
            var cursor = found + prefix.count
            let comment = Array("<!--".utf8)
            if found >= comment.count, Array(bytes[(found - comment.count)..<found]) == comment,
                Self.skip("block-", in: bytes, at: &cursor),
                let index = Self.number(in: bytes, at: &cursor), index < blocks,
                !seenBlocks[index], Self.skip("-->\n", in: bytes, at: &cursor)
            {
                seenBlocks[index] = true
                pieces.append(.html(Self.text(bytes[literalStart..<(found - comment.count)])))
                pieces.append(.block(index))
            } else if found >= 2, bytes[found - 2] == UInt8(ascii: "="),
                bytes[found - 1] == UInt8(ascii: "\""), Self.skip("link-", in: bytes, at: &cursor),
                let position = Self.number(in: bytes, at: &cursor), position < links,
                !seenLinks[position], cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\"")
            {
                seenLinks[position] = true
                pieces.append(.html(Self.text(bytes[literalStart..<found])))
                pieces.append(.link(position))
            } else {
                return nil
            }
            literalStart = cursor
            i = cursor
        }
        guard seenBlocks.allSatisfy({ $0 }), seenLinks.allSatisfy({ $0 }) else { return nil }
        pieces.append(.html(Self.text(bytes[literalStart...])))
        return pieces.filter { $0 != .html("") }
    }

    /// A number larger than that of any text in `html` that looks like a marker
    /// (`allocbook-<digits>-`).
    func nextNonce(after html: String) -> Int {
        let bytes = Array(html.utf8)
        let start = Array("allocbook-".utf8)
        var largest = nonce
        var i = 0
        while let found = Self.find(start, in: bytes, from: i) {
            var cursor = found + start.count
            if let value = Self.number(in: bytes, at: &cursor) { largest = max(largest, value) }
            i = found + 1
        }
        return largest + 1
    }

    /// The first position at or after `from` where `needle` starts.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var i = from
        while i + needle.count <= bytes.count {
            if bytes[i] == first, bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Moves `cursor` past `text` if the bytes there are `text`.
    private static func skip(_ text: String, in bytes: [UInt8], at cursor: inout Int) -> Bool {
        let expected = Array(text.utf8)
        guard cursor + expected.count <= bytes.count,
            bytes[cursor..<(cursor + expected.count)].elementsEqual(expected)
        else { return false }
        cursor += expected.count
        return true
    }

    /// A decimal number of at most 18 digits at `cursor`, moving past it (`nil` for a longer
    /// run, which no marker has).
    private static func number(in bytes: [UInt8], at cursor: inout Int) -> Int? {
        var value = 0
        var digits = 0
        while cursor < bytes.count, (0x30...0x39).contains(bytes[cursor]) {
            guard digits < 18 else { return nil }
            value = value * 10 + Int(bytes[cursor] - 0x30)
            digits += 1
            cursor += 1
        }
        return digits == 0 ? nil : value
    }

    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
