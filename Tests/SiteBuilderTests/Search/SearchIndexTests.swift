import TestSupport
import Testing

@testable import SiteBuilder

/// The search index reads UTF-8 bytes; these tests hold it to the definition it replaced: a
/// walk over the `Character`s of the lowercased text, and tags, then entities, removed with
/// `String` operations.
@Suite struct SearchIndexTests {
    /// The terms as the first index defined them, on `Character`s.
    static func referenceTerms(_ text: String) -> [String] {
        var terms: [String] = []
        var word = ""
        func flush() {
            defer { word = "" }
            guard word.count >= 2, word.count <= 40 else { return }
            if word.allSatisfy(\.isNumber) { return }
            if word.hasPrefix("0x") { return }
            terms.append(word)
        }
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "_" {
                word.append(character)
            } else {
                flush()
            }
        }
        flush()
        return terms
    }

    /// Plain text as the first index made it, on `Character`s and with `String.replacing`.
    static func referencePlainText(_ html: String) -> String {
        var out = ""
        var inTag = false
        for character in html {
            if inTag {
                if character == ">" {
                    inTag = false
                    out.append(" ")
                }
            } else if character == "<" {
                inTag = true
            } else {
                out.append(character)
            }
        }
        return out.replacing("&lt;", with: "<").replacing("&gt;", with: ">")
            .replacing("&quot;", with: "\"").replacing("&#39;", with: "'")
            .replacing("&amp;", with: "&")
    }

    /// Pieces that stress the byte reader: case, digits, `0x`, `_`, accents precomposed and
    /// combining, scripts without case, emoji with joiners, CR LF, a prepended mark, symbols.
    static let pieces = [
        "kmalloc", "KMALLOC", "Größe", "0x1f", "0X1F", "4096", "_", "__GFP_ZERO", " ", "\n",
        "\r\n", "-", "e\u{301}", "\u{301}", "ΣΑΣ", "İ", "ﬁ", "日本語", "👩‍💻", "١٢٣", "x²",
        "\u{600}a", "→", "✓", "’", "ǅ", "K", "a", "b1", "tcache", "&amp;", "&lt;", "&#39;", ".",
        "0", "x", "\t", "ä", "\u{200d}", "🇩🇪",
    ]

    static func randomText(_ random: inout SeededRandom, pieces: [String], count: Int) -> String {
        (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }

    @Test func termsAreTheCharacterWalksTerms() {
        var random = SeededRandom(state: 16)
        for _ in 0..<3000 {
            let text = Self.randomText(
                &random, pieces: Self.pieces, count: 1 + Int(random.next() % 12))
            #expect(
                SearchIndex.terms(in: text) == Self.referenceTerms(text), "\(text.debugDescription)"
            )
        }
        let long = String(repeating: "a", count: 40) + " " + String(repeating: "b", count: 41)
        #expect(SearchIndex.terms(in: long) == [String(repeating: "a", count: 40)])
    }

    /// Markup pieces; no combining mark right after `<`, `>`, `&` or `;` (there the old
    /// `Character` reading was wrong: `>\u{301}` is one character, so the tag never closed).
    static let markup = [
        "<p>", "</p>", "<a href=\"#x\">", "</a>", "&lt;", "&gt;", "&quot;", "&#39;", "&amp;",
        "&amp;lt;", "&&lt;amp;", "&", ";", "lt", "amp", "text", " ", "→", "e\u{301}x", "日本",
        "<code>", "<", ">", "#39", "quot",
    ]

    @Test func plainTextIsTheStringVersions() {
        var random = SeededRandom(state: 61)
        for _ in 0..<3000 {
            let html = Self.randomText(
                &random, pieces: Self.markup, count: 1 + Int(random.next() % 16))
            #expect(
                SearchIndex.plainText(html) == Self.referencePlainText(html),
                "\(html.debugDescription)")
        }
    }

    @Test func postingsAreBase36GapsAsStringRadixWritesThem() {
        for value in [0, 1, 35, 36, 1295, 1296, 123_456_789] {
            var bytes: [UInt8] = []
            SearchIndex.appendBase36(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(value, radix: 36))
        }
        var bytes: [UInt8] = []
        SearchIndex.encodePostings([3, 4, 40, 1000], into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "\"3,1,10,qo\"")
    }
}
