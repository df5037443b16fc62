/// Parses C expressions from a token stream, with C's precedence for the operators a size
/// needs: unary `- + ~`, then `* / %`, `+ -`, `<< >>`, `&`, `^`, `|`.
///
/// Nesting is bounded: an expression whose parentheses and unary operators nest deeper than
/// `maxDepth`, or whose tree (a long chain of binary operators) is taller than that, is an
/// error at the token where it goes too deep, so that neither this parser nor the recursive
/// walks over the tree (evaluation, hashing) can exhaust the stack on hostile input.
struct CExpressionParser {
    /// The deepest nesting and the tallest expression tree accepted.
    static let maxDepth = 100

    private let tokens: [CToken]
    private(set) var index: Int
    private let line: Int
    private let endColumn: Int
    /// Parentheses and unary operators open at this point.
    private var nesting = 0

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
        try parseLevel(0).expression
    }

    /// An expression and the height of its tree.
    private typealias Parsed = (expression: CExpression, height: Int)

    private mutating func parseLevel(_ level: Int) throws(ScenarioIssue) -> Parsed {
        if level == Self.levels.count { return try parseUnary() }
        var lhs = try parseLevel(level + 1)
        while let token = peek, case .punct(let op) = token.kind, Self.levels[level].contains(op) {
            index += 1
            let rhs = try parseLevel(level + 1)
            let height = max(lhs.height, rhs.height) + 1
            if height > Self.maxDepth { throw tooDeep(at: token.column) }
            lhs = (.binary(op, lhs.expression, rhs.expression, column: token.column), height)
        }
        return lhs
    }

    private mutating func parseUnary() throws(ScenarioIssue) -> Parsed {
        guard let token = peek else { throw issue(at: endColumn, "expected an expression") }
        if case .punct(let op) = token.kind, op == "-" || op == "+" || op == "~" {
            index += 1
            try enter(at: token.column)
            let operand = try parseUnary()
            nesting -= 1
            return (.unary(op, operand.expression, column: token.column), operand.height + 1)
        }
        return (try parsePrimary(), 1)
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
            try enter(at: token.column)
            let inner = try parseExpression()
            nesting -= 1
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

    /// Opens one more level of nesting, or throws when that is one too many.
    private mutating func enter(at column: Int) throws(ScenarioIssue) {
        nesting += 1
        if nesting > Self.maxDepth { throw tooDeep(at: column) }
    }

    private func tooDeep(at column: Int) -> ScenarioIssue {
        issue(at: column, "expression nests too deeply (more than \(Self.maxDepth) levels)")
    }

    private func issue(at column: Int, _ message: String) -> ScenarioIssue {
        ScenarioIssue(line: line, column: column, message)
    }
}
