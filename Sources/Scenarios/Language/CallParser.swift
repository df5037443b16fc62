/// Parses `[type] [*] NAME = f(args);` or `f(args);` and evaluates the arguments against the
/// function's parameters.
struct CallParser {
    struct Target {
        var name: String
        var column: Int
        var kind: ScenarioVariables.Kind
    }

    struct Call {
        var name: String
        var column: Int
        var arguments: [CExpression]
        var closeColumn: Int
    }

    private var tokens: [CToken]
    private var expressions: CExpressionParser
    let lineNumber: Int
    private let endColumn: Int
    private let model: ScenarioModelKind

    init(tokens: [CToken], line: Int, endColumn: Int, model: ScenarioModelKind) {
        self.tokens = tokens
        self.lineNumber = line
        self.endColumn = endColumn
        self.model = model
        self.expressions = CExpressionParser(
            tokens: tokens, index: 0, line: lineNumber, endColumn: endColumn)
    }

    /// Parses the statement's shape: an optional declaration and target, then one call.
    mutating func parseStatement(
        variables: ScenarioVariables
    ) throws(ScenarioIssue) -> (Target?, Call) {
        var targetToken: CToken?
        if let equals = tokens.firstIndex(where: { $0.isPunct("=") }),
            !tokens[..<equals].contains(where: { $0.isPunct("(") })
        {
            let declaration = tokens[..<equals]
            guard let last = declaration.last, last.identifier != nil else {
                throw issue(
                    declaration.last?.column ?? tokens[equals].column,
                    "expected a variable name before '='")
            }
            for token in declaration.dropLast()
            where !(token.identifier != nil || token.isPunct("*")) {
                throw issue(token.column, "unexpected '\(token.spelling)' in a declaration")
            }
            targetToken = last
            expressions = CExpressionParser(
                tokens: tokens, index: equals + 1, line: lineNumber, endColumn: endColumn)
        }
        guard let nameToken = expressions.peek else {
            throw issue(endColumn, "expected a function call")
        }
        guard let name = nameToken.identifier else {
            throw issue(nameToken.column, "expected a function call, found '\(nameToken.spelling)'")
        }
        guard let function = ScenarioFunction.table[name] else {
            if let target = targetToken, variables[name] != nil {
                throw issue(
                    nameToken.column,
                    "cannot assign '\(name)' to '\(target.spelling)'; call an allocation function")
            }
            throw issue(nameToken.column, "unknown function '\(name)'")
        }
        guard function.model == model else {
            throw issue(
                nameToken.column,
                "'\(name)' belongs to the '\(function.model.rawValue)' model; this scenario runs "
                    + "'\(model.rawValue)'"
            )
        }
        expressions.advance()
        try expressions.expect("(")
        var arguments: [CExpression] = []
        if let next = expressions.peek, next.isPunct(")") {
        } else {
            while true {
                arguments.append(try expressions.parseExpression())
                guard let next = expressions.peek, next.isPunct(",") else { break }
                expressions.advance()
            }
        }
        let closeColumn = expressions.peek?.column ?? endColumn
        try expressions.expect(")")
        try expressions.expect(";")
        if let extra = expressions.peek {
            throw issue(
                extra.column,
                "unexpected '\(extra.spelling)' after ';'; write one statement per line")
        }
        guard function.accepts(arguments.count) else {
            let count = max(function.parameters.count, function.alternateParameters?.count ?? 0)
            let column = arguments.count > count ? arguments[count].column : closeColumn
            var takes = "\(function.parameters.count)"
            if let alternate = function.alternateParameters { takes += " or \(alternate.count)" }
            throw issue(
                column,
                "'\(name)' takes \(takes) argument\(count == 1 ? "" : "s"), got "
                    + "\(arguments.count): \(function.prototype(name))"
            )
        }
        var target: Target?
        if let targetToken, let targetName = targetToken.identifier {
            let kind: ScenarioVariables.Kind
            switch function.returns {
            case .pointer: kind = .pointer
            case .cache: kind = .cache
            case .value: kind = .value
            case .nothing:
                throw issue(
                    targetToken.column, "'\(name)' returns nothing to assign to '\(targetName)'")
            }
            if ScenarioFunction.table[targetName] != nil || ["sizeof", "NULL"].contains(targetName)
            {
                throw issue(targetToken.column, "'\(targetName)' cannot be a variable name")
            }
            target = Target(name: targetName, column: targetToken.column, kind: kind)
        }
        return (
            target,
            Call(
                name: name, column: nameToken.column, arguments: arguments,
                closeColumn: closeColumn)
        )
    }
}
