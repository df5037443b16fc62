/// Evaluates C constant expressions the way a C compiler folds them, in 64-bit arithmetic.
public enum ConstantEvaluator {
    /// Names a size may use besides literals and `sizeof`.
    public static let sizeConstants: [String: Int64] = [
        "PAGE_SIZE": 4096, "PAGE_SHIFT": 12, "SZ_1K": 1024, "SZ_4K": 4096, "SZ_1M": 1 << 20,
        "NULL": 0,
    ]

    /// Evaluates `expression`; `describe` explains a name that is not a constant (a variable).
    public static func evaluate(
        _ expression: CExpression, line: Int, constants: [String: Int64] = sizeConstants,
        describe: (String) -> String? = { _ in nil }
    ) throws(ScenarioIssue) -> Int64 {
        switch expression {
        case .number(let v, let column):
            guard v <= UInt64(Int64.max) else {
                throw ScenarioIssue(line: line, column: column, "number is too large")
            }
            return Int64(v)
        case .sizeOf(_, let size, _):
            return Int64(size)
        case .string(_, let column):
            throw ScenarioIssue(line: line, column: column, "expected a number, found a string")
        case .name(let name, let column):
            if let value = constants[name] { return value }
            if let why = describe(name) {
                throw ScenarioIssue(
                    line: line, column: column, "size must be a constant expression; \(why)")
            }
            throw ScenarioIssue(line: line, column: column, "unknown name '\(name)'")
        case .unary(let op, let operand, let column):
            if op == "&" {
                throw ScenarioIssue(
                    line: line, column: column,
                    "'&' is allowed only as posix_memalign's first argument")
            }
            let v = try evaluate(operand, line: line, constants: constants, describe: describe)
            switch op {
            case "-":
                guard v != Int64.min else { throw overflow(line, column) }
                return -v
            case "~": return ~v
            default: return v
            }
        case .binary(let op, let lhs, let rhs, let column):
            let l = try evaluate(lhs, line: line, constants: constants, describe: describe)
            let r = try evaluate(rhs, line: line, constants: constants, describe: describe)
            return try apply(op, l, r, line: line, column: column)
        }
    }

    private static func apply(
        _ op: String, _ l: Int64, _ r: Int64, line: Int, column: Int
    ) throws(ScenarioIssue) -> Int64 {
        let result: (Int64, Bool)
        switch op {
        case "+": result = l.addingReportingOverflow(r)
        case "-": result = l.subtractingReportingOverflow(r)
        case "*": result = l.multipliedReportingOverflow(by: r)
        case "/", "%":
            guard r != 0 else {
                throw ScenarioIssue(line: line, column: column, "division by zero")
            }
            result =
                op == "/"
                ? l.dividedReportingOverflow(by: r)
                : l.remainderReportingOverflow(
                    dividingBy: r)
        case "<<":
            guard r >= 0, r < 63 else {
                throw ScenarioIssue(line: line, column: column, "shift count out of range")
            }
            let shifted = l << r
            result = (shifted, shifted >> r != l)
        case ">>":
            guard r >= 0, r < 64 else {
                throw ScenarioIssue(line: line, column: column, "shift count out of range")
            }
            result = (l >> r, false)
        case "&": result = (l & r, false)
        case "|": result = (l | r, false)
        case "^": result = (l ^ r, false)
        default:
            throw ScenarioIssue(line: line, column: column, "operator '\(op)' is not allowed here")
        }
        if result.1 { throw overflow(line, column) }
        return result.0
    }

    private static func overflow(_ line: Int, _ column: Int) -> ScenarioIssue {
        ScenarioIssue(line: line, column: column, "constant expression overflows 64 bits")
    }
}
