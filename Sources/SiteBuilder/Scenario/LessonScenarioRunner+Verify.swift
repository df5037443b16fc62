import AllocatorModels
import Replay
import Scenarios

/// `verify=glibc`: each verified block's session, from its first statement to the block's last,
/// replayed on the real glibc. Replays of one lesson run in parallel (each is its own process).
extension LessonScenarioRunner {
    func verify(
        _ jobs: [(block: Int, statements: [ScenarioStatement])],
        into results: inout [ScenarioBlockResult], path: String, paths: [Int: [PathHit]] = [:]
    ) {
        guard !jobs.isEmpty else { return }
        guard let verifier else {
            for job in jobs {
                record(
                    .skipped("no real-glibc verifier is configured"), into: &results[job.block],
                    path: path, paths: paths)
            }
            return
        }
        let outcomes = Parallel.mapWaiting(jobs.map(\.statements), width: 8) {
            verifier.verify($0)
        }
        for (job, outcome) in zip(jobs, outcomes) {
            record(outcome, into: &results[job.block], path: path, paths: paths)
        }
    }

    /// Records a verification outcome on its block; `option` names it in the skip warning and
    /// starts the messages of differing steps; `paths` (by statement line) says what the model
    /// did at each differing step, `explanations` (by issue) what the real allocator did
    /// differently.
    func record(
        _ outcome: GlibcVerificationOutcome, into result: inout ScenarioBlockResult, path: String,
        paths: [Int: [PathHit]] = [:], option: String = "verify=glibc",
        explanations: [ScenarioIssue: String] = [:]
    ) {
        let at = SourceLocation(path: path, line: result.fence.line, column: 1)
        switch outcome {
        case .agreed:
            result.verification = .agreed
        case .skipped(let reason):
            result.verification = .skipped(reason)
            result.diagnostics.append(
                Diagnostic(strict ? .error : .warning, at: at, "\(option) skipped: \(reason)"))
        case .disagreed(let issues):
            result.verification = .disagreed
            let stepPrefix = "\(option): step "
            let steps = issues.filter { $0.message.hasPrefix(stepPrefix) }
            let others = issues.filter { !$0.message.hasPrefix(stepPrefix) }
            result.diagnostics += others.map { diagnostic($0, path) }
            guard let first = steps.first else { return }
            var details = steps.prefix(DifferenceExplanation.limit).map { issue in
                let did = (paths[issue.line] ?? []).map(\.detail).joined(separator: "; ")
                var step = String(issue.message.dropFirst("\(option): ".count))
                if let explanation = explanations[issue] { step += "; \(explanation)" }
                return did.isEmpty ? step : "\(step); the model: \(did)"
            }
            if steps.count > DifferenceExplanation.limit {
                details.append("… and \(steps.count - DifferenceExplanation.limit) more")
            }
            result.diagnostics.append(
                .error(
                    first.message,
                    at: SourceLocation(path: path, line: first.line, column: first.column),
                    details: steps.count > 1 || !(paths[first.line] ?? []).isEmpty
                        || explanations[first] != nil ? details : []))
        }
    }
}
