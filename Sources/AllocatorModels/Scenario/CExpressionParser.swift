/// Parses C expressions from a token stream, with C's precedence for the operators a size
/// needs: unary `- + ~` (and `&`, for `posix_memalign(&p, …)`), then `* / %`, `+ -`, `<< >>`, `&`, `^`, `|`.
struct CExpressionParser {
    private let tokens: [CToken]
    private(set) var index: Int
    private let line: Int
    private let endColumn: Int

    /// Starts at `index` of `tokens`; `endColumn` locates errors at the end of the line.
    init(tokens: [CToken], index: Int, line: Int, endColumn: Int) {
        self.tokens = tokens
        self.index = index
        self.line = line
        self.endColumn = endColumn
    }

    private static let levels: [Set<String>] = [
        ["|"], ["^"], ["&"], ["<<", ">>"], ["+", "-"],
        ["*", "/", "%"],
    ]

    /// Parses one full expression.
    mutating func parseExpression() throws(ScenarioIssue) -> CExpression {
        try parseLevel(0)
    }

    private mutating func parseLevel(_ level: Int) throws(ScenarioIssue) -> CExpression {
        if level == Self.levels.count { return try parseUnary() }
        var lhs = try parseLevel(level + 1)
        while let token = peek, case .punct(let op) = token.kind, Self.levels[level].contains(op) {
            index += 1
            let rhs = try parseLevel(level + 1)
            lhs = .binary(op, lhs, rhs, column: token.column)
        }
        return lhs
    }

    private mutating func parseUnary() throws(ScenarioIssue) -> CExpression {
        guard let token = peek else { throw issue(at: endColumn, "expected an expression") }
        if case .punct(let op) = token.kind, op == "-" || op == "+" || op == "~" || op == "&" {
            index += 1
            return .unary(op, try parseUnary(), column: token.column)
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(ScenarioIssue) -> CExpression {
        guard let token = peek else { throw issue(at: endColumn, "expected an expression") }
        index += 1
        switch token.kind {
        case .number(let v): return .number(v, column: token.column)
        case .string(let s): return .string(s, column: token.column)
        case .identifier("sizeof"): return try parseSizeof(at: token.column)
        case .identifier(let name): return .name(name, column: token.column)
        case .punct("("):
            let inner = try parseExpression()
            try expect(")")
            return inner
        case .punct:
            throw issue(at: token.column, "expected an expression, found '\(token.spelling)'")
        }
    }

    private mutating func parseSizeof(at column: Int) throws(ScenarioIssue) -> CExpression {
        try expect("(")
        var words: [String] = []
        var pointer = false
        let typeColumn = peek?.column ?? endColumn
        while let token = peek {
            if let name = token.identifier, !pointer {
                words.append(name)
            } else if token.isPunct("*") {
                pointer = true
            } else {
                break
            }
            index += 1
        }
        if words == ["struct"] || words.first == "struct" || words.first == "union" {
            if !pointer {
                throw issue(
                    at: typeColumn,
                    "unknown size of '\(words.joined(separator: " "))'; use a number instead")
            }
        }
        guard !words.isEmpty, let size = CTypeSizes.size(of: words, pointer: pointer) else {
            let written = words.joined(separator: " ") + (pointer ? " *" : "")
            throw issue(
                at: typeColumn,
                written.isEmpty ? "expected a type in 'sizeof'" : "unknown type '\(written)'")
        }
        try expect(")")
        let type = words.joined(separator: " ") + (pointer ? " *" : "")
        return .sizeOf(type: type, size: size, column: column)
    }

    /// Consumes the punctuation `text` or throws "expected 'text'".
    mutating func expect(_ text: String) throws(ScenarioIssue) {
        guard let token = peek else { throw issue(at: endColumn, "expected '\(text)'") }
        guard token.isPunct(text) else {
            throw issue(at: token.column, "expected '\(text)', found '\(token.spelling)'")
        }
        index += 1
    }

    /// Skips the next token.
    mutating func advance() { index += 1 }

    /// The next token, if any.
    var peek: CToken? { index < tokens.count ? tokens[index] : nil }

    private func issue(at column: Int, _ message: String) -> ScenarioIssue {
        ScenarioIssue(line: line, column: column, message)
    }
}
