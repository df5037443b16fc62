import AllocatorModels
import Scenarios

/// How a block's body reads with the actual output in place of the expected `//>` lines: the
/// plan `--fix` writes, and the "actual" side of the diff.
public enum ScenarioRewrite {
    /// A line of the rewritten body.
    public enum Line: Hashable, Sendable {
        /// The file's line at this 0-based index, kept byte for byte.
        case original(Int)
        /// A new `//>` line (its text, without a terminator).
        case inserted(String)
    }

    /// The rewritten body of `fence`: each statement's `//>` lines replaced by `actual`, at the
    /// place of its first `//>` line (or right after the statement when it had none), with that
    /// line's indentation.
    ///
    /// Every other line is kept.
    public static func plan(
        fence: ScenarioFence, lines: LessonLines, program: ScenarioProgram, actual: [[String]]
    ) -> [Line] {
        var kinds: [Int: ScenarioProgram.Item] = [:]
        for item in program.items {
            switch item {
            case .statement(let s): kinds[program.statements[s].line] = item
            case .expected(_, _, let line), .comment(_, let line), .blank(let line),
                .invalid(_, let line):
                kinds[line] = item
            }
        }
        var plan: [Line] = []
        var written: Set<Int> = []
        for index in fence.bodyIndexes(lineCount: lines.spans.count) {
            let text = lines.text(index)
            let indent = String(text.prefix { $0 == " " || $0 == "\t" })
            switch kinds[index + 1] {
            case .expected(let s, _, _)?:
                if written.insert(s).inserted {
                    plan += outputLines(actual, s, indent: indent)
                }
            case .statement(let s)?:
                plan.append(.original(index))
                if program.expected[s].isEmpty {
                    written.insert(s)
                    plan += outputLines(actual, s, indent: indent)
                }
            default:
                plan.append(.original(index))
            }
        }
        return plan
    }

    private static func outputLines(_ actual: [[String]], _ s: Int, indent: String) -> [Line] {
        guard s < actual.count else { return [] }
        return actual[s].map { .inserted(indent + ($0.isEmpty ? "//>" : "//> " + $0)) }
    }

    /// The texts of a plan's lines.
    public static func texts(_ plan: [Line], lines: LessonLines) -> [String] {
        plan.map {
            switch $0 {
            case .original(let index): return lines.text(index)
            case .inserted(let text): return text
            }
        }
    }

    /// The 1-based line of the first expected line that differs (or of the statement whose
    /// output is missing), for the diagnostic.
    public static func firstDifferingLine(
        _ program: ScenarioProgram, actual: [[String]], fallback: Int
    ) -> Int {
        var expectedLines: [Int: [Int]] = [:]
        for case .expected(let s, _, let line) in program.items {
            expectedLines[s, default: []].append(line)
        }
        for (s, statement) in program.statements.enumerated() {
            let got = s < actual.count ? actual[s] : []
            let want = program.expected[s]
            guard got != want else { continue }
            let located = expectedLines[s] ?? []
            if located.isEmpty { return statement.line }
            let k = zip(want, got).prefix { $0 == $1 }.count
            return located[min(k, located.count - 1)]
        }
        return fallback
    }
}
