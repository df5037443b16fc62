import AllocatorModels
import Scenarios

/// Translates `malloc` scenario statements into the glibc trace format
/// (`malloc ID SIZE`, `calloc ID NMEMB SIZE`, `realloc ID SIZE`, `free ID[+OFFSET]`,
/// `mallopt NAME VALUE`, the aligned allocators, `malloc_trim PAD`) that both the model's trace runner and the real-glibc replayer read.
public struct GlibcTraceTranslation: Hashable, Sendable {
    /// The trace text, one operation per line.
    public var trace: String
    /// For each trace step (0-based), the statement it came from.
    public var stepStatements: [ScenarioStatement]
    /// Statements the trace format cannot express; verification cannot cover them.
    public var unsupported: [ScenarioIssue]

    /// Translates statements in order.
    ///
    /// Statements that do not change the heap
    /// (`memset`, `malloc_usable_size`, `malloc_stats`, `mallinfo2`, `cat`, `free(NULL)`) have no
    /// step.
    public static func translate(_ statements: [ScenarioStatement]) -> GlibcTraceTranslation {
        var lines: [String] = []
        var steps: [ScenarioStatement] = []
        var unsupported: [ScenarioIssue] = []
        var slots: [String: String] = [:]
        var stale: [String: String] = [:]
        var anonymous = 0
        func slot(for target: String?) -> String {
            if let target {
                stale[target] = nil
                slots[target] = target
                return target
            }
            anonymous += 1
            return "_anonymous\(anonymous)"
        }
        func unsupportedIssue(_ s: ScenarioStatement, _ column: Int, _ why: String) {
            unsupported.append(
                ScenarioIssue(
                    line: s.line, column: column, "verify=glibc cannot replay this: \(why)"))
        }
        for s in statements {
            switch s.action {
            case .malloc(let size):
                lines.append("malloc \(slot(for: s.target)) \(size)")
            case .calloc(let count, let size):
                lines.append("calloc \(slot(for: s.target)) \(count) \(size)")
            case .realloc(let pointer, let size):
                guard let variable = pointer.variable else {
                    lines.append("malloc \(slot(for: s.target)) \(size)")
                    break
                }
                if let by = stale[variable] {
                    unsupportedIssue(
                        s, pointer.column, "'\(variable)' was reallocated into '\(by)'")
                    continue
                }
                guard pointer.offset == 0, let id = slots[variable] else {
                    unsupportedIssue(s, pointer.column, "realloc of an interior pointer")
                    continue
                }
                lines.append("realloc \(id) \(size)")
                if let target = s.target, target != variable {
                    slots[target] = id
                    stale[target] = nil
                    stale[variable] = target
                    slots[variable] = nil
                }
            case .free(let pointer):
                guard let variable = pointer.variable else {
                    if s.thread != nil {
                        unsupportedIssue(s, pointer.column, "free(NULL) on another thread")
                    }
                    continue
                }
                if let by = stale[variable] {
                    unsupportedIssue(
                        s, pointer.column, "'\(variable)' was reallocated into '\(by)'")
                    continue
                }
                guard pointer.offset >= 0, let id = slots[variable] else {
                    unsupportedIssue(s, pointer.column, "a negative offset")
                    continue
                }
                lines.append(pointer.offset == 0 ? "free \(id)" : "free \(id)+\(pointer.offset)")
            case .mallopt(let parameter, let value):
                lines.append("mallopt \(parameter) \(value)")
            case .alignedAlloc(let kind, let alignment, let size, let out):
                let id = slot(for: out ?? s.target)
                switch kind {
                case .valloc, .pvalloc: lines.append("\(kind.rawValue) \(id) \(size)")
                default: lines.append("\(kind.rawValue) \(id) \(alignment) \(size)")
                }
            case .mallocTrim(let pad):
                lines.append("malloc_trim \(pad)")
            case .threadExit:
                guard s.thread != nil else { continue }
                lines.append("exit")
            default:
                continue
            }
            if let thread = s.thread, let last = lines.popLast() {
                lines.append("thread \(thread): " + last)
            }
            steps.append(s)
        }
        return GlibcTraceTranslation(
            trace: lines.map { $0 + "\n" }.joined(), stepStatements: steps, unsupported: unsupported
        )
    }
}
