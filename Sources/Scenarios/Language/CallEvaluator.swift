import AllocatorModels

/// Turns a parsed call's argument expressions into a `ScenarioAction`.
extension CallParser {
    /// Evaluates every argument of `call` against its parameter and builds the action.
    func evaluate(
        _ call: Call, target: Target?, variables: ScenarioVariables
    ) throws(ScenarioIssue) -> ScenarioAction {
        guard let function = ScenarioFunction.table[call.name] else {
            throw issue(call.column, "unknown function '\(call.name)'")
        }
        return try function.action(CallArguments(parser: self, call: call, variables: variables))
    }

    func issue(_ column: Int, _ message: String) -> ScenarioIssue {
        ScenarioIssue(line: lineNumber, column: column, message)
    }

    fileprivate func value(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> Int64
    {
        try ConstantEvaluator.evaluate(e, line: lineNumber) { name in
            v[name] != nil ? "'\(name)' is a variable" : nil
        }
    }

    /// A size: a constant, converted to `size_t` as C does (a negative value wraps).
    fileprivate func size(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> UInt64
    {
        UInt64(bitPattern: try value(e, v))
    }

    fileprivate func order(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> Int {
        let order = try value(e, v)
        guard order >= 0, order < 64 else {
            throw issue(e.column, "order must be between 0 and 63, got \(order)")
        }
        return Int(order)
    }

    fileprivate func pointer(
        _ e: CExpression, _ v: ScenarioVariables
    ) throws(ScenarioIssue) -> PointerReference {
        switch e {
        case .name("NULL", let column), .number(0, let column):
            return PointerReference(variable: nil, column: column)
        case .name(let name, let column):
            try checkPointerVariable(name, column, v)
            return PointerReference(variable: name, column: column)
        case .binary(let op, .name(let name, let column), let rhs, _) where op == "+" || op == "-":
            try checkPointerVariable(name, column, v)
            let offset = try value(rhs, v)
            return PointerReference(
                variable: name, offset: op == "+" ? offset : 0 &- offset, column: column)
        default:
            throw issue(e.column, "expected a pointer variable, 'NULL', or 'variable + offset'")
        }
    }

    fileprivate func address(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue)
        -> String
    {
        guard case .unary("&", .name(let name, let column), _) = e else {
            throw issue(
                e.column, "expected '&' and a pointer variable, as in 'posix_memalign(&p, 64, 100)'"
            )
        }
        switch v[name] {
        case .pointer, nil:
            if ScenarioFunction.table[name] != nil || ["sizeof", "NULL"].contains(name) {
                throw issue(column, "'\(name)' cannot be a variable name")
            }
            return name
        case .cache: throw issue(column, "'\(name)' is a cache, not a pointer")
        case .value: throw issue(column, "'\(name)' is a value, not a pointer")
        }
    }

    fileprivate func checkPointerVariable(
        _ name: String, _ column: Int, _ v: ScenarioVariables
    ) throws(ScenarioIssue) {
        switch v[name] {
        case .pointer: return
        case .cache: throw issue(column, "'\(name)' is a cache, not a pointer")
        case .value: throw issue(column, "'\(name)' is a value, not a pointer")
        case nil: throw issue(column, "unknown variable '\(name)'")
        }
    }

    fileprivate func cache(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> String
    {
        guard case .name(let name, let column) = e else {
            throw issue(e.column, "expected a cache variable from 'kmem_cache_create'")
        }
        switch v[name] {
        case .cache: return name
        case nil: throw issue(column, "unknown variable '\(name)'")
        default: throw issue(column, "'\(name)' is not a cache from 'kmem_cache_create'")
        }
    }

    fileprivate func gfp(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> GFPFlags
    {
        switch e {
        case .name(let name, let column):
            guard GFPFlags.isKnown(name) else {
                throw issue(
                    column,
                    v[name] != nil
                        ? "expected GFP flags, found variable '\(name)'"
                        : "unknown GFP flag '\(name)'")
            }
            return GFPFlags([name])
        case .binary("|", let lhs, let rhs, _):
            return GFPFlags(try gfp(lhs, v).names + gfp(rhs, v).names)
        default:
            throw issue(e.column, "expected GFP flags such as 'GFP_KERNEL'")
        }
    }

    fileprivate func malloptParameter(_ e: CExpression) throws(ScenarioIssue) -> String {
        guard case .name(let name, let column) = e else {
            throw issue(e.column, "expected a mallopt parameter such as 'M_MMAP_THRESHOLD'")
        }
        guard ScenarioFunction.malloptParameters.contains(name) else {
            throw issue(column, "unknown mallopt parameter '\(name)'")
        }
        return name
    }

    fileprivate func string(_ e: CExpression) throws(ScenarioIssue) -> String {
        guard case .string(let text, _) = e else {
            throw issue(e.column, "expected a string literal")
        }
        return text
    }

    /// The flags of `kmem_cache_create`: `0`, or `SLAB_*` names the model knows joined by `|`.
    fileprivate func slabFlags(_ e: CExpression) throws(ScenarioIssue) -> [String] {
        switch e {
        case .number(0, _): return []
        case .name(let name, let column):
            guard SlabFlags.named(name) != nil else {
                throw issue(
                    column,
                    name.hasPrefix("SLAB_")
                        ? "slab flag '\(name)' is not modelled (known: \(SlabFlags.knownNames.joined(separator: ", ")))"
                        : "expected SLAB_* flags or 0, found '\(name)'")
            }
            return [name]
        case .binary("|", let lhs, let rhs, _):
            return try slabFlags(lhs) + slabFlags(rhs)
        default:
            throw issue(e.column, "expected SLAB_* flags or 0")
        }
    }

    /// The constructor of `kmem_cache_create`: `NULL` (none) or a function name.
    fileprivate func constructor(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue)
        -> Bool
    {
        switch e {
        case .name("NULL", _), .number(0, _): return false
        case .name(let name, let column):
            if v[name] != nil {
                throw issue(
                    column, "expected a constructor function or NULL, found variable '\(name)'")
            }
            return true
        default: throw issue(e.column, "expected a constructor function or NULL")
        }
    }
}

/// A call's arguments, each evaluated as the parameter a `ScenarioFunction` action reads it as.
struct CallArguments {
    fileprivate let parser: CallParser
    fileprivate let call: CallParser.Call
    fileprivate let variables: ScenarioVariables

    private func argument(_ i: Int) -> CExpression { call.arguments[i] }

    /// How many arguments the call passes.
    var count: Int { call.arguments.count }

    /// A problem with argument `i`, located at it.
    func issue(_ i: Int, _ message: String) -> ScenarioIssue {
        parser.issue(argument(i).column, message)
    }

    /// A constant.
    func value(_ i: Int) throws(ScenarioIssue) -> Int64 {
        try parser.value(argument(i), variables)
    }
    /// A size: a constant converted to `size_t`.
    func size(_ i: Int) throws(ScenarioIssue) -> UInt64 {
        try parser.size(argument(i), variables)
    }
    /// A page order from 0 to 63.
    func order(_ i: Int) throws(ScenarioIssue) -> Int {
        try parser.order(argument(i), variables)
    }
    /// A pointer variable, `NULL`, or `variable ± offset`.
    func pointer(_ i: Int) throws(ScenarioIssue) -> PointerReference {
        try parser.pointer(argument(i), variables)
    }
    /// A cache variable from `kmem_cache_create`.
    func cache(_ i: Int) throws(ScenarioIssue) -> String {
        try parser.cache(argument(i), variables)
    }
    /// GFP flags.
    func gfp(_ i: Int) throws(ScenarioIssue) -> GFPFlags {
        try parser.gfp(argument(i), variables)
    }
    /// A `mallopt` parameter name.
    func malloptParameter(_ i: Int) throws(ScenarioIssue) -> String {
        try parser.malloptParameter(argument(i))
    }
    /// `&name`: a pointer variable, or a new name the call defines as one.
    func address(_ i: Int) throws(ScenarioIssue) -> String {
        try parser.address(argument(i), variables)
    }
    /// A string literal.
    func string(_ i: Int) throws(ScenarioIssue) -> String {
        try parser.string(argument(i))
    }
    /// `kmem_cache_create` flags: `0` or known `SLAB_*` names joined by `|`.
    func slabFlags(_ i: Int) throws(ScenarioIssue) -> [String] {
        try parser.slabFlags(argument(i))
    }
    /// `kmem_cache_create`'s constructor: `NULL` or a function name.
    func constructor(_ i: Int) throws(ScenarioIssue) -> Bool {
        try parser.constructor(argument(i), variables)
    }
}
