import Foundation
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

    /// Compares `actual` with `Snapshots/<name>`; records it when missing or when
    /// `RECORD_SNAPSHOTS=1`, and fails with the first differing lines otherwise.
    static func assertSnapshot(
        _ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let url = testsFolder.appendingPathComponent("Snapshots/\(name)")
        let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
        guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            do {
                try write(Data(actual.utf8), to: url)
            } catch {
                Issue.record(
                    Comment(rawValue: "cannot record snapshot \(name): \(error)"),
                    sourceLocation: sourceLocation)
            }
            return
        }
        guard expected != actual else { return }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var diff: [String] = []
        for i in 0..<max(e.count, a.count) where diff.count < 12 {
            let left = i < e.count ? String(e[i]) : "<end>"
            let right = i < a.count ? String(a[i]) : "<end>"
            if left != right { diff += ["line \(i + 1):", "- \(left)", "+ \(right)"] }
        }
        Issue.record(
            Comment(
                rawValue: "snapshot \(name) differs (RECORD_SNAPSHOTS=1 to accept):\n"
                    + diff.joined(separator: "\n")), sourceLocation: sourceLocation)
    }
}
