import AllocatorModels
import Replay
import Scenarios

/// `verify=glibc`: each verified block's session, from its first statement to the block's last,
/// replayed on the real glibc. Replays of one lesson run in parallel (each is its own process).
extension LessonScenarioRunner {
    func verify(
        _ jobs: [(block: Int, statements: [ScenarioStatement])],
        into results: inout [ScenarioBlockResult], path: String
    ) {
        guard !jobs.isEmpty else { return }
        guard let verifier else {
            for job in jobs {
                record(
                    .skipped("no real-glibc verifier is configured"), into: &results[job.block],
                    path: path)
            }
            return
        }
        let outcomes = ConcurrentMap.mapWaiting(jobs.map(\.statements), width: 8) {
            verifier.verify($0)
        }
        for (job, outcome) in zip(jobs, outcomes) {
            record(outcome, into: &results[job.block], path: path)
        }
    }

    /// Records a verification outcome on its block; `option` names it in the skip warning.
    func record(
        _ outcome: GlibcVerificationOutcome, into result: inout ScenarioBlockResult, path: String,
        option: String = "verify=glibc"
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
            result.diagnostics += issues.map { diagnostic($0, path) }
        }
    }
}
