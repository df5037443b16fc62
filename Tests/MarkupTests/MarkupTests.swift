import Markup
import Testing

@Suite("Markup escaping")
struct MarkupTests {
    @Test("the five characters become entities")
    func fiveCharacters() {
        #expect(
            Markup.escape(#"<a href="x">Tom & Jerry's</a>"#)
                == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
    }

    @Test("clean text comes back unchanged, from a String or a Substring")
    func cleanText() {
        let text = "kmalloc-64 · 0x7f00 — größe\tok\r\n"
        #expect(Markup.escape(text) == text)
        #expect(Markup.escape(text.dropFirst(3)) == String(text.dropFirst(3)))
        #expect(Markup.escape("") == "")
    }

    @Test("characters XML 1.0 forbids become U+FFFD; tab, line feed and carriage return stay")
    func forbiddenCharacters() {
        #expect(Markup.escape("a\u{0}b\u{1}c\u{1F}d") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d")
        #expect(Markup.escape("x\u{FFFE}y\u{FFFF}z") == "x\u{FFFD}y\u{FFFD}z")
        #expect(Markup.escape("t\tl\nc\r") == "t\tl\nc\r")
        // U+FFFD itself and other scalars that start with the byte 0xEF stay as they are.
        #expect(Markup.escape("\u{FFFD}\u{FFFC}\u{F000}&") == "\u{FFFD}\u{FFFC}\u{F000}&amp;")
        #expect(Markup.escape("\u{7F}\u{80}") == "\u{7F}\u{80}")
    }

    @Test("encodingWhitespace writes tab, line feed and carriage return as references")
    func encodedWhitespace() {
        #expect(
            Markup.escape("a\tb\nc\rd'\u{2}", encodingWhitespace: true)
                == "a&#9;b&#10;c&#13;d&#39;\u{FFFD}")
        #expect(Markup.escape("plain", encodingWhitespace: true) == "plain")
    }

    @Test("every scalar of the first two planes escapes the same way, fast path or not")
    func agreesWithScalarRule() {
        // The byte pre-check must never call a string clean that the scalar rule changes.
        for value in UInt32(0)...0x1_FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "a" + String(Character(scalar))
            let escaped = Markup.escape(text)
            let expected: String
            switch scalar {
            case "&": expected = "a&amp;"
            case "<": expected = "a&lt;"
            case ">": expected = "a&gt;"
            case "\"": expected = "a&quot;"
            case "'": expected = "a&#39;"
            default:
                let allowed =
                    value >= 0x20
                    ? value != 0xFFFE && value != 0xFFFF
                    : value == 0x09 || value == 0x0A || value == 0x0D
                expected = allowed ? text : "a\u{FFFD}"
            }
            if escaped != expected {
                Issue.record("U+\(String(value, radix: 16)): \(escaped.debugDescription)")
                return
            }
        }
    }

    @Test("attributes keep their order and escape their values")
    func attributes() {
        #expect(
            Markup.attributes([("class", "a b"), ("title", "x<y"), ("id", "q\"")])
                == #" class="a b" title="x&lt;y" id="q&quot;""#)
    }
}
