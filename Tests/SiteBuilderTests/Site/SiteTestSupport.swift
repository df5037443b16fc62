import Foundation
import TestSupport
import Testing

/// Helpers for the site tests: fixture paths, temporary folders, golden files.
enum SiteTestSupport {
    /// `Tests/SiteBuilderTests`, found from this file's path.
    static let testsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The fixture course.
    static let fixtureCourse = testsFolder.appendingPathComponent("Fixtures/site-course").path

    /// A new empty temporary folder; removed by the caller with `remove`.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-site-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes files (relative path → text) into a new temporary content folder.
    static func content(_ files: [String: String]) throws -> URL {
        let folder = try temporaryFolder()
        for (name, text) in files {
            try write(Data(text.utf8), to: folder.appendingPathComponent(name))
        }
        return folder
    }

    static func write(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Every file under `root` with its bytes, by sorted relative path.
    static func tree(_ root: URL) -> [String: Data] {
        var result: [String: Data] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [:] }
        while let relative = walker.nextObject() as? String {
            let url = root.appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
                !isDirectory.boolValue, let data = FileManager.default.contents(atPath: url.path)
            {
                result[relative] = data
            }
        }
        return result
    }

    /// Compares `actual` with `Snapshots/<name>` (see `TestSupport.Snapshot`: a missing golden
    /// file fails; RECORD_SNAPSHOTS=1 records).
    static func assertSnapshot(
        _ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        Snapshot.assert(
            actual, named: name, in: testsFolder.appendingPathComponent("Snapshots"),
            sourceLocation: sourceLocation)
    }
}
