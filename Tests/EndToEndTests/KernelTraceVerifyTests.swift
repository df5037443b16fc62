import AllocatorModels
import Foundation
import Replay
import TestSupport
import Testing

/// `allocbook trace --model kernel --verify`: the side-by-side report.
///
/// Exit status 1 on a divergence: with `--memory 1M` the model has no order-9 block; the
/// 256 MiB guest has one.
///
/// A plain `swift test` renders the report over the kernel's output recorded in
/// `Fixtures/kernel-trace-verify.txt`; `.ci/test`'s "live kernel" stage (``LiveKernel``) runs
/// the command itself (one boot), makes the same assertions on what it prints, and requires
/// that to be the report of the recording.
@Suite struct KernelTraceVerifyTests {
    static let trace = "kmalloc a 100\nkfree a\nalloc_pages p 9\n"
    static let fixture = "kernel-trace-verify.txt"

    /// The model's facts as `--verify --memory 1M` computes them.
    static func model() throws -> KernelFactTrace {
        try KernelTraceFacts.model(trace, cpus: 2, memoryBytes: 1 << 20, version: .v6_1).get()
    }

    /// What `--verify` prints for the kernel's result lines `real`.
    static func report(real: [String]) throws -> [String] {
        KernelSideBySide.report(trace: trace, model: try model(), real: real).lines
    }

    /// The assertions on the report, recorded or live.
    static func expectTheDivergence(_ lines: [String]) {
        #expect(lines.first?.hasPrefix("fact") == true)
        #expect(lines.contains { $0.hasPrefix("  cache") && $0.hasSuffix("kmalloc-128") })
        #expect(lines.contains { $0.hasPrefix("  slab_freed") && !$0.contains("differs") })
        #expect(
            lines.contains {
                $0.hasPrefix("  ptr") && $0.contains("NULL") && $0.hasSuffix("<- differs")
            })
        #expect(lines.last?.hasPrefix("3 steps, ") == true)
        // kmalloc: cache, objsize, objperslab, pagesperslab, ksize, slab, slot, free_pages;
        // kfree: slab_freed, free_pages; alloc_pages: ptr (differs), free_pages (differs).
        #expect(lines.last == "3 steps, 12 facts compared, 2 differ")
    }

    @Test func theReportOfTheRecordedKernelShowsTheDivergence() throws {
        let real = try LiveKernel.recorded(
            Self.fixture, count: 1, suite: "KernelTraceVerifyTests"
        ).get()
        Self.expectTheDivergence(try Self.report(real: real[0]))
    }

    @Test(.enabled(if: LiveKernel.isOn))
    func verifyPrintsTheFactsSideBySideAndFailsOnADivergence() throws {
        let outcome = try ProcessRunner.allocbook(
            ["trace", "--model", "kernel", "--verify", "--memory", "1M"], stdin: Self.trace)
        #expect(outcome.status == 1, "stderr: \(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map(String.init)
        Self.expectTheDivergence(lines)
        // The recording gives the same report, every real fact included.
        let recorded = try? LiveKernel.recorded(
            Self.fixture, count: 1, suite: "KernelTraceVerifyTests"
        ).get()
        if let recorded, try Self.report(real: recorded[0]) == lines { return }
        guard Snapshot.isRecording else {
            let message =
                "\(Self.fixture) is \(recorded == nil ? "missing" : "stale"): the live kernel "
                + "printed \(lines) (\(LiveKernel.recordHint("KernelTraceVerifyTests")))"
            Issue.record(Comment(rawValue: message))
            return
        }
        // Recording: one more boot, its result lines kept as they come.
        let real = try KernelReplayVerifier.standard().runOnce([try Self.model()], cpus: 2).get()
        #expect(try Self.report(real: real[0]) == lines, "the two boots disagree")
        Snapshot.assert(LiveKernel.text(real), named: Self.fixture, in: LiveKernel.fixtures)
    }
}
