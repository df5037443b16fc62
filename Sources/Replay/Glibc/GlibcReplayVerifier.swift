import AllocatorModels
import Foundation
import Scenarios

#if canImport(Glibc)
    import Glibc
#endif

/// `verify=glibc`: replays a session's statements on the real glibc (through the
/// `glibc-replay` program) and on the model's trace runner, and compares every step and field.
public struct GlibcReplayVerifier: GlibcVerifier {
    /// Why the real glibc could not be asked.
    public struct ReplayFailure: Error, Hashable, Sendable {
        /// What went wrong, for the skip warning.
        public var reason: String
        /// When the replay ran but did not finish in time: the steps that had completed.
        public var unfinishedAfterSteps: Int?
        /// Creates a failure.
        public init(_ reason: String, unfinishedAfterSteps: Int? = nil) {
            self.reason = reason
            self.unfinishedAfterSteps = unfinishedAfterSteps
        }
        /// The failure of a replay run.
        public init(_ failure: GlibcReplayRunner.Failure) {
            self.reason = GlibcReplayVerifier.describe(failure)
            if case .timedOut(_, let completed) = failure { unfinishedAfterSteps = completed }
        }
    }

    /// Runs a trace on the real glibc and returns its JSON lines.
    public var replay: @Sendable (String) -> Result<[String], ReplayFailure>
    /// `nil` when this host can run the comparison, else why not.
    public var hostProblem: String?

    /// Creates a verifier from a replay function and the host check's finding.
    public init(
        hostProblem: String?,
        replay: @escaping @Sendable (String) -> Result<[String], ReplayFailure>
    ) {
        self.hostProblem = hostProblem
        self.replay = replay
    }

    /// `nil` on glibc 2.36 x86_64, else a sentence saying what this host has.
    public static func hostCheck() -> String? {
        #if arch(x86_64) && canImport(Glibc)
            var buffer = [CChar](repeating: 0, count: 64)
            guard confstr(Int32(_CS_GNU_LIBC_VERSION), &buffer, buffer.count) > 0 else {
                return "this host's C library does not report a glibc version"
            }
            let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
            let version = String(decoding: bytes, as: UTF8.self)
            return version == "glibc 2.36" ? nil : "this host has \(version), not glibc 2.36"
        #else
            return "this host is not Linux with glibc 2.36 on x86_64"
        #endif
    }

    /// Verifies statements from a fresh process.
    public func verify(_ statements: [ScenarioStatement]) -> GlibcVerificationOutcome {
        if let hostProblem { return .skipped(hostProblem) }
        let translation = GlibcTraceTranslation.translate(statements)
        if !translation.unsupported.isEmpty { return .disagreed(translation.unsupported) }
        if translation.stepStatements.isEmpty { return .agreed }
        var model: [String] = []
        let errors = GlibcTraceRunner.run(translation.trace) { model.append($0) }
        if let error = errors.first {
            let statement = translation.stepStatements.first
            return .disagreed([
                ScenarioIssue(
                    line: statement?.line ?? 1, column: statement?.column ?? 1,
                    "verify=glibc: the trace could not be read: \(error.message)")
            ])
        }
        let real: [String]
        switch replay(translation.trace) {
        case .success(let lines): real = lines
        case .failure(let failure):
            // A replay that hangs is the scenario's doing (e.g. mallinfo2 looping on a fastbin
            // cycle): an error at the step that did not finish, not a skipped check.
            guard let completed = failure.unfinishedAfterSteps else {
                return .skipped(failure.reason)
            }
            let steps = translation.stepStatements
            let statement = steps[min(completed, steps.count - 1)]
            return .disagreed([
                ScenarioIssue(
                    line: statement.line, column: statement.column,
                    "verify=glibc: step \(completed + 1) ('\(statement.text)') did not finish on "
                        + "the real glibc: \(failure.reason)")
            ])
        }
        let issues = Self.differences(
            model: model, real: real, steps: translation.stepStatements)
        return issues.isEmpty ? .agreed : .disagreed(issues)
    }

    /// The first disagreement, at the statement of its step, naming the field; `[]` if none.
    static func compare(
        model: [String], real: [String], steps: [ScenarioStatement]
    ) -> [ScenarioIssue] {
        Array(differences(model: model, real: real, steps: steps).prefix(1))
    }

    /// One issue per step where the model and the real glibc disagree (the first differing
    /// field of each), in step order; `[]` if they agree.
    static func differences(
        model: [String], real: [String], steps: [ScenarioStatement]
    ) -> [ScenarioIssue] {
        var issues: [ScenarioIssue] = []
        for k in 0..<max(model.count, real.count) {
            issues += difference(at: k, model: model, real: real, steps: steps)
            if k >= model.count || k >= real.count { break }
        }
        return issues
    }

    private static func difference(
        at k: Int, model: [String], real: [String], steps: [ScenarioStatement]
    ) -> [ScenarioIssue] {
        let statement = steps[min(k, steps.count - 1)]
        func issue(_ message: String) -> [ScenarioIssue] {
            [
                ScenarioIssue(
                    line: statement.line, column: statement.column,
                    "verify=glibc: step \(k + 1) ('\(statement.text)') \(message)")
            ]
        }
        guard k < model.count else {
            return issue("ran on the real glibc but not on the model")
        }
        guard k < real.count else {
            return issue("did not run on the real glibc (it ended earlier)")
        }
        let m = StepFields.parse(model[k])
        let r = StepFields.parse(real[k])
        for key in StepFields.order(m, r) where m[key] != r[key] {
            return issue(
                "differs in '\(key)': model \(m[key] ?? "absent"), real glibc "
                    + "\(r[key] ?? "absent")"
            )
        }
        return []
    }
}

/// The fields of one JSON step line, flattened (`ptr.heap`, `ptr.chunk`, `brk`, …).
enum StepFields {
    static let preferred = [
        "step", "ptr", "ptr.heap", "ptr.mmap", "ptr.chunk", "brk", "arena", "ordblks", "smblks",
        "hblks", "hblkhd", "uordblks", "fsmblks", "fordblks", "keepcost", "abort", "signal",
    ]

    static func parse(_ line: String) -> [String: String] {
        guard let data = line.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return ["line": line] }
        var fields: [String: String] = [:]
        for (key, value) in object {
            if let nested = value as? [String: Any] {
                for (inner, v) in nested { fields[key + "." + inner] = "\(v)" }
            } else if value is NSNull {
                fields[key] = "null"
            } else {
                fields[key] = "\(value)"
            }
        }
        return fields
    }

    static func order(_ a: [String: String], _ b: [String: String]) -> [String] {
        let all = Set(a.keys).union(b.keys)
        return preferred.filter(all.contains) + all.subtracting(preferred).sorted()
    }
}
