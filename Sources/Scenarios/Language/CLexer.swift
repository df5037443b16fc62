/// Splits one scenario statement line into C tokens.
///
/// A `//` comment ends the line. Integer literals take C's `u`/`l` suffixes and the scenario
/// format's `K` (×1024), `M` (×1024²) and `G` (×1024³) suffixes.
public enum CLexer {
    private static let twoCharacterOperators: Set<String> = ["<<", ">>"]
    private static let singleCharacterPunctuation: Set<Unicode.Scalar> = [
        "(", ")", ",", ";", "*", "+", "-", "/", "%", "&", "|", "^", "~", "=", "[", "]", ".",
    ]

    /// Tokenizes `text`, whose first scalar is at 1-based `column` of lesson line `line`.
    public static func tokenize(
        _ text: Substring, line: Int, column: Int
    ) -> Result<[CToken], ScenarioIssue> {
        let scalars = Array(text.unicodeScalars)
        var tokens: [CToken] = []
        var i = 0
        func col(_ index: Int) -> Int { column + index }
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\r" || c == "\n" {
                i += 1
                continue
            }
            if c == "/" && i + 1 < scalars.count && scalars[i + 1] == "/" { break }
            if isIdentifierStart(c) {
                let start = i
                while i < scalars.count && isIdentifierContinue(scalars[i]) { i += 1 }
                let name = String(String.UnicodeScalarView(scalars[start..<i]))
                tokens.append(CToken(.identifier(name), column: col(start), endColumn: col(i)))
                continue
            }
            if c.properties.numericType != nil && c.isASCII {
                switch lexNumber(scalars, from: i) {
                case .success(let (value, end)):
                    tokens.append(CToken(.number(value), column: col(i), endColumn: col(end)))
                    i = end
                case .failure(let failure):
                    return .failure(ScenarioIssue(line: line, column: col(i), failure.message))
                }
                continue
            }
            if c == "\"" {
                switch lexString(scalars, from: i) {
                case .success(let (value, end)):
                    tokens.append(CToken(.string(value), column: col(i), endColumn: col(end)))
                    i = end
                case .failure(let failure):
                    return .failure(ScenarioIssue(line: line, column: col(i), failure.message))
                }
                continue
            }
            if i + 1 < scalars.count {
                let pair = String(Character(c)) + String(Character(scalars[i + 1]))
                if twoCharacterOperators.contains(pair) {
                    tokens.append(CToken(.punct(pair), column: col(i), endColumn: col(i + 2)))
                    i += 2
                    continue
                }
            }
            if singleCharacterPunctuation.contains(c) {
                tokens.append(
                    CToken(.punct(String(Character(c))), column: col(i), endColumn: col(i + 1)))
                i += 1
                continue
            }
            return .failure(
                ScenarioIssue(line: line, column: col(i), "unexpected character '\(Character(c))'"))
        }
        return .success(tokens)
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
    }

    private static func isIdentifierContinue(_ c: Unicode.Scalar) -> Bool {
        isIdentifierStart(c) || (c >= "0" && c <= "9")
    }

    /// Lexes an integer literal with its suffixes; returns the value and the end index.
    private static func lexNumber(
        _ s: [Unicode.Scalar], from start: Int
    ) -> Result<(UInt64, Int), LexFailure> {
        var i = start
        var radix: UInt64 = 10
        if s[i] == "0", i + 1 < s.count, s[i + 1] == "x" || s[i + 1] == "X" {
            radix = 16
            i += 2
        } else if s[i] == "0", i + 1 < s.count, s[i + 1] >= "0" && s[i + 1] <= "9" {
            radix = 8
            i += 1
        }
        let digitsStart = i
        var value: UInt64 = 0
        var overflow = false
        while i < s.count, let d = digitValue(s[i]), d < radix {
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(d)
            overflow = overflow || o1 || o2
            value = a
            i += 1
        }
        if radix == 16 && i == digitsStart {
            return .failure(LexFailure("hexadecimal literal has no digits"))
        }
        var scale: UInt64 = 1
        var seenScale = false
        while i < s.count, isIdentifierContinue(s[i]) {
            switch s[i] {
            case "u", "U", "l",
                "L" where !seenScale:
                break
            case "K" where !seenScale:
                scale = 1 << 10
                seenScale = true
            case "M" where !seenScale:
                scale = 1 << 20
                seenScale = true
            case "G" where !seenScale:
                scale = 1 << 30
                seenScale = true
            default:
                let text = String(String.UnicodeScalarView(s[start...i]))
                return .failure(LexFailure("invalid suffix in number '\(text)'"))
            }
            i += 1
        }
        let (scaled, o3) = value.multipliedReportingOverflow(by: scale)
        if overflow || o3 { return .failure(LexFailure("number is too large")) }
        return .success((scaled, i))
    }

    private static func digitValue(_ c: Unicode.Scalar) -> UInt64? {
        switch c {
        case "0"..."9": return UInt64(c.value - 48)
        case "a"..."f": return UInt64(c.value - 87)
        case "A"..."F": return UInt64(c.value - 55)
        default: return nil
        }
    }

    /// Lexes a string literal (`\"`, `\\`, `\n`, `\t` escapes); returns the text and end index.
    private static func lexString(
        _ s: [Unicode.Scalar], from start: Int
    ) -> Result<(String, Int), LexFailure> {
        var text = String.UnicodeScalarView()
        var i = start + 1
        while i < s.count {
            let c = s[i]
            if c == "\"" { return .success((String(text), i + 1)) }
            if c == "\\" {
                guard i + 1 < s.count else { break }
                switch s[i + 1] {
                case "n": text.append("\n")
                case "t": text.append("\t")
                case "\\": text.append("\\")
                case "\"": text.append("\"")
                default:
                    return .failure(
                        LexFailure("unknown escape '\\\(Character(s[i + 1]))' in string"))
                }
                i += 2
                continue
            }
            text.append(c)
            i += 1
        }
        return .failure(LexFailure("unterminated string literal"))
    }

    /// Why a literal could not be read.
    private struct LexFailure: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }
}
