import Foundation
import Testing

/// Golden files, for every test target: one helper, one variable.
///
/// `RECORD_SNAPSHOTS=1` (any value but empty or `0`) writes the actual text as the new golden
/// file. A missing golden file always fails the test, after recording it when recording is on,
/// so a test can never pass by writing its own expectation unnoticed.
public enum Snapshot {
    /// Whether recording is on.
    public static var isRecording: Bool {
        let value = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] ?? ""
        return !value.isEmpty && value != "0"
    }

    /// Compares `actual` with the golden file `folder/name`.
    public static func assert(
        _ actual: String, named name: String, in folder: URL,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = folder.appendingPathComponent(name)
        let expected = try? String(contentsOf: url, encoding: .utf8)
        if isRecording, expected != actual {
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: url, options: .atomic)
            } catch {
                Issue.record(
                    "cannot record golden file \(name): \(error)", sourceLocation: sourceLocation)
            }
        }
        guard let expected else {
            let hint = isRecording ? "recorded now; run again" : "RECORD_SNAPSHOTS=1 records it"
            let message = "golden file \(name) is missing (\(hint))"
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            return
        }
        guard !isRecording, expected != actual else { return }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var diff: [String] = []
        for i in 0..<max(e.count, a.count) where diff.count < 12 {
            let left = i < e.count ? String(e[i]) : "<end>"
            let right = i < a.count ? String(a[i]) : "<end>"
            if left != right { diff += ["line \(i + 1):", "- \(left)", "+ \(right)"] }
        }
        let message =
            "golden file \(name) differs (RECORD_SNAPSHOTS=1 to accept):\n"
            + diff.joined(separator: "\n")
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }
}
