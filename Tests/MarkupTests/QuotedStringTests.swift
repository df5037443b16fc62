import Foundation
import Markup
import Testing

@Suite("JSON and YAML string literals")
struct QuotedStringTests {
    @Test("JSON: quotes, backslashes and controls are escaped; <, > and & are html-safe")
    func jsonEscapes() {
        #expect(
            QuotedString.json("a\"b\\c\nd\t\u{1}</script>&\u{2028}\u{2029}")
                == #""a\"b\\c\u000ad\u0009\u0001\u003c/script\u003e\u0026\u2028\u2029""#)
        #expect(QuotedString.json("") == #""""#)
        #expect(QuotedString.json("größe · 0x7f") == "\"größe · 0x7f\"")
    }

    @Test("YAML, and JSON that is not html-safe, keep <, > and & as they are")
    func yamlKeepsMarkup() {
        #expect(QuotedString.yaml("A & <b>\n") == #""A & <b>\u000a""#)
        #expect(QuotedString.json("(size) >= (nb)\"", htmlSafe: false) == #""(size) >= (nb)\"""#)
    }

    @Test("every scalar of the first two planes round-trips through a JSON parser, html-safe")
    func roundTrips() throws {
        var text = ""
        for value in 0...0x1FFFF {
            if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
        }
        let literal = QuotedString.json(text)
        for forbidden in ["<", ">", "&", "\n", "\u{2028}", "\u{2029}"] {
            #expect(literal.firstRange(of: forbidden) == nil, "\(forbidden.debugDescription)")
        }
        let decoded = try JSONSerialization.jsonObject(
            with: Data(literal.utf8), options: .fragmentsAllowed)
        #expect(decoded as? String == text)
    }

    @Test("arrays of strings, and appending to text already there")
    func arrays() {
        var out = "{\"lines\":"
        QuotedString.appendJSON(strings: ["a", "<b>", ""], to: &out)
        out += ",\"x\":"
        QuotedString.appendJSON("1", to: &out)
        #expect(out == #"{"lines":["a","\u003cb\u003e",""],"x":"1""#)
    }
}
