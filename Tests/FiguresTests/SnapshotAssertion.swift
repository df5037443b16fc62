import Foundation
import Testing

/// Compares `text` with the golden file `Snapshots/<name>`, recording it when it is missing
/// or when RECORD_SNAPSHOTS is set.
func assertSnapshot(
    _ text: String, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots")
    let file = folder.appendingPathComponent(name)
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
    if record || !FileManager.default.fileExists(atPath: file.path) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return
    }
    let golden = try String(contentsOf: file, encoding: .utf8)
    if golden != text {
        let a = golden.components(separatedBy: ">")
        let b = text.components(separatedBy: ">")
        let first =
            zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(a.count, b.count)
        Issue.record(
            """
            snapshot '\(name)' differs (RECORD_SNAPSHOTS=1 to accept); first difference at tag \(first):
            golden: \(first < a.count ? a[first] : "<end>")
            actual: \(first < b.count ? b[first] : "<end>")
            """, sourceLocation: sourceLocation)
    }
}
