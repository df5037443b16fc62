import Foundation
import TestSupport
import Testing

/// Compares `text` with the golden file `Snapshots/<name>` beside this file (see
/// `TestSupport.Snapshot`: a missing golden file fails; RECORD_SNAPSHOTS=1 records).
func assertSnapshot(
    _ text: String, named name: String, filePath: String = #filePath,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots")
    Snapshot.assert(text, named: name, in: folder, sourceLocation: sourceLocation)
}
