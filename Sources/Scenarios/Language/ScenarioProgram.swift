/// One line of a scenario block's body, located in the lesson file.
public struct ScenarioSourceLine: Hashable, Sendable {
    /// The line's text, without its line terminator.
    public var text: String
    /// The 1-based line in the lesson file.
    public var line: Int
    /// The 1-based file column of the text's first scalar.
    public var column: Int

    /// Creates a line.
    public init(text: String, line: Int, column: Int) {
        self.text = text
        self.line = line
        self.column = column
    }
}

/// A scenario block's body, parsed: statements, their expected output, comments.
public struct ScenarioProgram: Hashable, Sendable {
    /// One line of the body, classified.
    public enum Item: Hashable, Sendable {
        /// A statement (index into `statements`).
        case statement(Int)
        /// A `//>` line expected from statement `statement`.
        case expected(statement: Int, text: String, line: Int)
        /// A plain `//` comment, kept on the page (the whole line as written, trimmed).
        case comment(String, line: Int)
        /// A blank line.
        case blank(line: Int)
        /// A line that could not be parsed (its issue is in `issues`).
        case invalid(String, line: Int)
    }

    /// The body in order.
    public var items: [Item]
    /// The statements in order.
    public var statements: [ScenarioStatement]
    /// Each statement's expected output lines (`//>` text), in order.
    public var expected: [[String]]
    /// Every problem found, in line order.
    public var issues: [ScenarioIssue]

    /// Creates a program.
    public init(
        items: [Item], statements: [ScenarioStatement], expected: [[String]],
        issues: [ScenarioIssue]
    ) {
        self.items = items
        self.statements = statements
        self.expected = expected
        self.issues = issues
    }

    /// Parses a block body. `variables` carries declarations from earlier blocks of a session
    /// in, and this block's declarations out.
    public static func parse(
        _ lines: [ScenarioSourceLine], model: ScenarioModelKind,
        variables: inout ScenarioVariables
    ) -> ScenarioProgram {
        var program = ScenarioProgram(items: [], statements: [], expected: [], issues: [])
        for source in lines {
            let indent = source.text.prefix { $0 == " " || $0 == "\t" }
            let body = source.text.dropFirst(indent.count)
            let column = source.column + indent.unicodeScalars.count
            if body.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                program.items.append(.blank(line: source.line))
            } else if body.hasPrefix("//>") {
                var text = body.dropFirst(3)
                if text.hasPrefix(" ") { text = text.dropFirst() }
                while let last = text.last, last == " " || last == "\t" || last == "\r" {
                    text = text.dropLast()
                }
                guard !program.statements.isEmpty else {
                    program.issues.append(
                        ScenarioIssue(
                            line: source.line, column: column,
                            "expected output '//>' before any statement"))
                    program.items.append(.invalid(String(body), line: source.line))
                    continue
                }
                let index = program.statements.count - 1
                program.expected[index].append(String(text))
                program.items.append(
                    .expected(statement: index, text: String(text), line: source.line))
            } else if body.hasPrefix("//-") {
                program.addStatement(
                    body.dropFirst(3), line: source.line, column: column + 3, hidden: true,
                    model: model, variables: &variables)
            } else if body.hasPrefix("//") {
                program.items.append(.comment(String(body), line: source.line))
            } else {
                program.addStatement(
                    body, line: source.line, column: column, hidden: false, model: model,
                    variables: &variables)
            }
        }
        return program
    }

    private mutating func addStatement(
        _ text: Substring, line: Int, column: Int, hidden: Bool, model: ScenarioModelKind,
        variables: inout ScenarioVariables
    ) {
        do {
            if let statement = try StatementParser.parse(
                text, line: line, column: column, hidden: hidden, model: model,
                variables: &variables)
            {
                statements.append(statement)
                expected.append([])
                items.append(.statement(statements.count - 1))
            } else {
                issues.append(
                    ScenarioIssue(line: line, column: column, "expected a statement after '//-'"))
                items.append(.invalid(String(text), line: line))
            }
        } catch {
            issues.append(error)
            items.append(.invalid(String(text), line: line))
            Self.declareAfterFailure(text, line: line, column: column, variables: &variables)
        }
    }

    /// Declares the target of a statement that failed to parse, so that later lines do not
    /// report it as unknown as well.
    private static func declareAfterFailure(
        _ text: Substring, line: Int, column: Int, variables: inout ScenarioVariables
    ) {
        guard case .success(let tokens) = CLexer.tokenize(text, line: line, column: column),
            let equals = tokens.firstIndex(where: { $0.isPunct("=") }), equals > 0,
            let name = tokens[equals - 1].identifier, variables[name] == nil
        else { return }
        let callee = tokens.dropFirst(equals + 1).first?.identifier ?? ""
        variables[name] = callee == "kmem_cache_create" ? .cache : .pointer
    }
}
