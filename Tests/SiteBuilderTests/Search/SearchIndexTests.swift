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

    /// Runs `check` on 3,000 texts of 1 to `most` random `pieces`.
    static func randomTexts(
        _ pieces: [String], seed: UInt64, most: Int, _ check: (String) -> Void
    ) {
        var random = SeededRandom(state: seed)
        for _ in 0..<3000 {
            let count = 1 + Int(random.next() % UInt64(most))
            check(
                (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined())
        }
    }

    @Test func termsAreTheCharacterWalksTerms() {
        Self.randomTexts(Self.pieces, seed: 16, most: 12) { text in
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
        Self.randomTexts(Self.markup, seed: 61, most: 16) { html in
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
