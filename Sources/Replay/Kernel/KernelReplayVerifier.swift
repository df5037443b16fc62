import AllocatorModels
import Foundation
public import Scenarios

/// One `verify=kernel` block: its session's statements from the start, and the machine.
public struct KernelVerificationJob: Hashable, Sendable {
    /// The statements, in order.
    public var statements: [ScenarioStatement]
    /// CPUs of the model and of the guest.
    public var cpus: Int
    /// The model's memory (the guest has 256 MiB).
    public var memoryBytes: UInt64

    /// Creates a job.
    public init(statements: [ScenarioStatement], cpus: Int, memoryBytes: UInt64) {
        self.statements = statements
        self.cpus = cpus
        self.memoryBytes = memoryBytes
    }
}

/// A `verify=kernel` outcome with, for each differing step, what the model and the real kernel
/// did differently in the allocator's terms.
public struct KernelVerification: Hashable, Sendable {
    /// Agreed, skipped, or the differing steps (one issue per step, in step order).
    public var outcome: GlibcVerificationOutcome
    /// For a step's issue in ``outcome``: its differences in words (``KernelDifferenceWording``).
    public var explanations: [ScenarioIssue: String]

    /// Creates a verification.
    public init(_ outcome: GlibcVerificationOutcome, explanations: [ScenarioIssue: String] = [:]) {
        self.outcome = outcome
        self.explanations = explanations
    }
}

/// Runs sessions in a real kernel and compares each step's facts with the model's 6.1 profile.
public protocol KernelVerifier: Sendable {
    /// Verifies every job, booting once per CPU count; one outcome per job, in order.
    func verify(_ jobs: [KernelVerificationJob]) -> [GlibcVerificationOutcome]
    /// Like ``verify(_:)``, with the differing steps explained.
    func verifyExplained(_ jobs: [KernelVerificationJob]) -> [KernelVerification]
}

extension KernelVerifier {
    /// The outcomes without explanations.
    public func verifyExplained(_ jobs: [KernelVerificationJob]) -> [KernelVerification] {
        verify(jobs).map { KernelVerification($0) }
    }
}

/// `verify=kernel`: the model's facts (`KernelTraceFacts`, 6.1 profile) against the facts the
/// replay module reports from a real Linux 6.1 guest.
public struct KernelReplayVerifier: KernelVerifier {
    /// The model's facts of a trace for (trace, cpus, memory); a test double may lie.
    public var model: @Sendable (String, Int, UInt64) -> Result<KernelFactTrace, TraceErrorList>
    /// Replays wire traces in one boot with a CPU count; each trace's result lines.
    public var replay: @Sendable ([String], Int) -> Result<[[String]], KernelReplayRunner.Failure>

    /// Creates a verifier from a model and a replay function.
    public init(
        model:
            @escaping @Sendable (String, Int, UInt64) -> Result<KernelFactTrace, TraceErrorList> =
            Self.model61,
        replay:
            @escaping @Sendable ([String], Int) -> Result<[[String]], KernelReplayRunner.Failure>
    ) {
        self.model = model
        self.replay = replay
    }

    /// The model's 6.1 profile.
    public static let model61:
        @Sendable (String, Int, UInt64) -> Result<KernelFactTrace, TraceErrorList> = {
            KernelTraceFacts.model($0, cpus: $1, memoryBytes: $2, version: .v6_1)
        }

    /// The verifier `check` uses: the `run-traces` that `allocbook` carries
    /// (`KernelReplayRunner`, `KernelReplayInstaller`).
    public static func standard() -> KernelReplayVerifier {
        KernelReplayVerifier { traces, cpus in
            do throws(KernelReplayRunner.Failure) {
                return .success(try KernelReplayRunner().run(traces, cpus: cpus))
            } catch {
                return .failure(error)
            }
        }
    }

    /// The real kernel's name in messages and on pages.
    public static let kernelName = "Linux 6.1 (Debian 12)"

    /// Verifies every job: one boot per CPU count for all of them, the boots side by side.
    public func verify(_ jobs: [KernelVerificationJob]) -> [GlibcVerificationOutcome] {
        verifyExplained(jobs).map(\.outcome)
    }

    /// Verifies every job (one boot per CPU count); a disagreement has one issue per differing
    /// step, each explained in the allocator's terms.
    public func verifyExplained(_ jobs: [KernelVerificationJob]) -> [KernelVerification] {
        var outcomes: [KernelVerification?] = Array(repeating: nil, count: jobs.count)
        var prepared: [(job: Int, translation: KernelTraceTranslation, facts: KernelFactTrace)] = []
        for (n, job) in jobs.enumerated() {
            let translation = KernelTraceTranslation.translate(job.statements)
            if !translation.unsupported.isEmpty {
                outcomes[n] = KernelVerification(.disagreed(translation.unsupported))
                continue
            }
            if translation.stepStatements.isEmpty {
                // A badge must not claim a check that compared nothing.
                let s = job.statements.last
                outcomes[n] = KernelVerification(
                    .disagreed([
                        ScenarioIssue(
                            line: s?.line ?? 1, column: s?.column ?? 1,
                            "verify=kernel: nothing to compare; the block's session only reads "
                                + "(cat, ksize), which the real kernel does not check")
                    ]))
                continue
            }
            switch model(translation.trace, job.cpus, job.memoryBytes) {
            case .success(let facts):
                prepared.append((n, translation, facts))
            case .failure(let list):
                let s = translation.stepStatements.first
                outcomes[n] = KernelVerification(
                    .disagreed([
                        ScenarioIssue(
                            line: s?.line ?? 1, column: s?.column ?? 1,
                            "verify=kernel: the trace could not be read: "
                                + (list.errors.first?.message ?? "unknown error"))
                    ]))
            }
        }
        let groups = Dictionary(grouping: prepared.indices) { jobs[prepared[$0].job].cpus }
        // One boot per CPU count, the boots side by side.
        let keys = groups.keys.sorted()
        let ready = prepared
        let booted = Self.inParallel(keys) { cpus in
            let members = groups[cpus] ?? []
            return (members, runOnce(members.map { ready[$0].facts }, cpus: cpus))
        }
        for (members, results) in booted {
            for (k, index) in members.enumerated() {
                let item = prepared[index]
                switch results {
                case .failure(.host(let reason)), .failure(.run(let reason)):
                    outcomes[item.job] = KernelVerification(.skipped(reason))
                case .success(let lines):
                    let differences = KernelFactComparison.compare(
                        model: item.facts.steps, real: lines[k]
                    ).differences
                    outcomes[item.job] = explained(differences, item.translation, item.facts)
                }
            }
        }
        return outcomes.map { $0 ?? KernelVerification(.agreed) }
    }

    /// Agreed without differences; else one issue per differing step, explained.
    func explained(
        _ differences: [KernelFactDifference], _ translation: KernelTraceTranslation,
        _ facts: KernelFactTrace
    ) -> KernelVerification {
        guard !differences.isEmpty else { return KernelVerification(.agreed) }
        var issues: [ScenarioIssue] = []
        var explanations: [ScenarioIssue: String] = [:]
        var start = 0
        while start < differences.count {
            let step = differences[start].step
            var end = start
            while end < differences.count, differences[end].step == step { end += 1 }
            let group = Array(differences[start..<end])
            let issue = issue(group, translation)
            issues.append(issue)
            explanations[issue] = KernelDifferenceWording.sentence(
                group, step: step - 1 < facts.steps.count ? facts.steps[step - 1] : nil)
            start = end
        }
        return KernelVerification(.disagreed(issues), explanations: explanations)
    }

    /// Replays the traces in one boot; traces that differ in the free-page count only (the
    /// guest's other CPU can free or take pages during a step) are replayed again, in one more
    /// boot, up to twice; a later run replaces the first only where it agrees.
    public func runOnce(
        _ traces: [KernelFactTrace], cpus: Int
    ) -> Result<[[String]], KernelReplayRunner.Failure> {
        let first = replay(traces.map(\.wire), cpus)
        guard case .success(var lines) = first else { return first }
        for _ in 0..<2 {
            let noisy = traces.indices.filter {
                Self.onlyFreePageNoise(
                    KernelFactComparison.compare(model: traces[$0].steps, real: lines[$0])
                        .differences)
            }
            guard !noisy.isEmpty,
                case .success(let again) = replay(noisy.map { traces[$0].wire }, cpus)
            else { break }
            for (k, i) in noisy.enumerated()
            where KernelFactComparison.compare(model: traces[i].steps, real: again[k])
                .differences.isEmpty
            {
                lines[i] = again[k]
            }
        }
        return .success(lines)
    }

    /// `body` of every item on a thread of its own (each boots a guest and mostly waits),
    /// results in order.
    static func inParallel<T: Sendable, R: Sendable>(
        _ items: [T], _ body: @escaping @Sendable (T) -> R
    ) -> [R] {
        guard items.count > 1 else { return items.map(body) }
        let box = ResultSlots<R>(count: items.count)
        let group = DispatchGroup()
        for (i, item) in items.enumerated() {
            group.enter()
            Thread.detachNewThread {
                box.set(i, body(item))
                group.leave()
            }
        }
        group.wait()
        return box.values()
    }

    static func onlyFreePageNoise(_ differences: [KernelFactDifference]) -> Bool {
        !differences.isEmpty && differences.allSatisfy { $0.fact == "free_pages" }
    }

    /// The issue of one step's differences (all of the same step), at its statement.
    func issue(
        _ group: [KernelFactDifference], _ translation: KernelTraceTranslation
    ) -> ScenarioIssue {
        let step = group.first?.step ?? 1
        let s = translation.stepStatements[min(step - 1, translation.stepStatements.count - 1)]
        let facts = group.map { "'\($0.fact)': model \($0.model), real kernel \($0.real)" }
        return ScenarioIssue(
            line: s.line, column: s.column,
            "verify=kernel: step \(step) ('\(s.text)') differs in "
                + facts.joined(separator: "; in "))
    }
}

/// Results written from several threads.
private final class ResultSlots<R>: @unchecked Sendable {
    private var slots: [R?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ value: R) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }
    func values() -> [R] { slots.compactMap { $0 } }
}
