import Foundation
import TestSupport
import Testing

/// The golden-file helper every test target uses cannot pass by accident.
@Suite struct MissingGoldenTests {
    @Test func aMissingGoldenFileFailsWhetherOrNotRecordingIsOn() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        withKnownIssue("a missing golden file is an issue") {
            Snapshot.assert("<svg/>", named: "absent.svg", in: folder)
        } matching: { issue in
            issue.comments.contains { $0.rawValue.hasPrefix("golden file absent.svg is missing") }
        }
        // Recording writes the file (and still fails above); without recording nothing is
        // written.
        let written = FileManager.default.fileExists(
            atPath: folder.appendingPathComponent("absent.svg").path)
        #expect(written == Snapshot.isRecording)
    }

    @Test func aDifferingGoldenFileFailsWithTheLines() throws {
        guard !Snapshot.isRecording else { return }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-golden-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("a\nb\n".utf8).write(to: folder.appendingPathComponent("g.txt"))
        Snapshot.assert("a\nb\n", named: "g.txt", in: folder)
        withKnownIssue("a differing golden file is an issue") {
            Snapshot.assert("a\nc\n", named: "g.txt", in: folder)
        } matching: { issue in
            issue.comments.contains { $0.rawValue.contains("line 2:\n- b\n+ c") }
        }
    }
}
