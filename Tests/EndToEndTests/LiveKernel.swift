import Foundation
import Replay
import TestSupport
import Testing

/// Where the tests against a real Linux 6.1 kernel get the kernel's output.
///
/// A boot under QEMU takes most of a minute, so a plain `swift test` boots nothing: it compares
/// the model with real-kernel output recorded in `Fixtures/`. `.ci/test`'s "live kernel" stage
/// runs these suites again with `ALLOCBOOK_LIVE_KERNEL=1`: then every such test boots the real
/// kernel (and fails when it cannot), makes the same assertions on the live output, and fails
/// when the recorded output is not what the live run gave (`RECORD_SNAPSHOTS=1` records it),
/// so the recording cannot go stale silently.
enum LiveKernel {
    /// Whether this run boots the real kernel (`ALLOCBOOK_LIVE_KERNEL`, any value but empty or
    /// `0`).
    static let isOn: Bool = {
        let value = ProcessInfo.processInfo.environment["ALLOCBOOK_LIVE_KERNEL"] ?? ""
        return !value.isEmpty && value != "0"
    }()

    /// The folder of the recorded outputs.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// How to record the output of `suite` again.
    static func recordHint(_ suite: String) -> String {
        "ALLOCBOOK_LIVE_KERNEL=1 RECORD_SNAPSHOTS=1 swift test --filter \(suite)"
    }

    /// Results in `run-traces`' own format: `=== tN`, then the result lines of trace N.
    static func text(_ results: [[String]]) -> String {
        var out = ""
        for (n, lines) in results.enumerated() {
            out += "=== t\(n)\n" + lines.map { $0 + "\n" }.joined()
        }
        return out
    }

    /// The recorded results of `count` traces in `Fixtures/name`; a failure when the file is
    /// missing or does not hold `count` finished traces.
    static func recorded(
        _ name: String, count: Int, suite: String
    ) -> Result<[[String]], KernelReplayRunner.Failure> {
        let url = fixtures.appendingPathComponent(name)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            return .failure(
                .run("the recorded kernel output \(name) is missing (\(recordHint(suite)))"))
        }
        do throws(KernelReplayRunner.Failure) {
            return .success(try KernelReplayRunner.split(text, count: count))
        } catch {
            return .failure(.run("the recorded kernel output \(name) is broken: \(error)"))
        }
    }
}
