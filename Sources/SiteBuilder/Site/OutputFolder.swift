import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The output folder, replaced as a whole.
///
/// Pages are written into a staging folder beside it, which is then swapped in. A failed build
/// leaves the previous output as it was.
///
/// The generator only ever replaces a folder it made itself: its marker file, `.allocbook`,
/// lists every file of the output, and a folder holding any other file is refused.
struct OutputFolder {
    /// The marker and manifest file at the root of every generated site.
    static let markerName = ".allocbook"
    static let markerHeader = "# Made by allocbook build; replaced as a whole on every build.\n"

    /// The output folder as the user gave it (`site`).
    let path: String
    private let url: URL

    init(path: String) {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.path = path
        self.url = URL(fileURLWithPath: path).standardizedFileURL
    }

    // MARK: - Checking

    /// Diagnostics if the folder exists and holds anything the generator did not make.
    func check() -> [Diagnostic] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else {
            return [
                .error(
                    "output '\(path)' exists and is not a folder; refusing to replace it", at: nil)
            ]
        }
        let files = Self.listFiles(url)
        if files.isEmpty { return [] }
        let markerURL = url.appendingPathComponent(Self.markerName)
        guard let marker = try? String(contentsOf: markerURL, encoding: .utf8),
            marker.hasPrefix(Self.markerHeader)
        else {
            return [
                .error(
                    "output folder '\(path)' was not made by allocbook (no '\(Self.markerName)' "
                        + "marker); refusing to replace it", at: nil)
            ]
        }
        let made = Set(marker.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init))
        let foreign = files.filter { $0 != Self.markerName && !made.contains($0) }
        guard foreign.isEmpty else {
            let list = foreign.prefix(5).map { "'\($0)'" }.joined(separator: ", ")
            let more = foreign.count > 5 ? " and \(foreign.count - 5) more" : ""
            return [
                .error(
                    "output folder '\(path)' holds \(list)\(more), which allocbook did not make; "
                        + "move it away or choose another output folder", at: nil)
            ]
        }
        return []
    }

    /// Every entry under `root` that is not a folder (files and symbolic links, which are never
    /// followed), as sorted relative paths.
    static func listFiles(_ root: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let full = root.appendingPathComponent(relative).path
            let type = try? FileManager.default.attributesOfItem(atPath: full)[.type]
            if let type = type as? FileAttributeType, type == .typeDirectory { continue }
            files.append(relative)
        }
        return files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    // MARK: - Staging and swapping

    /// Creates an empty staging folder beside the output (`.site.allocbook-staging-PID`).
    func makeStaging() throws -> URL {
        let parent = url.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(
            ".\(url.lastPathComponent).allocbook-staging-\(getpid())")
        if FileManager.default.fileExists(atPath: staging.path) {
            try FileManager.default.removeItem(at: staging)
        }
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return staging
    }

    /// Writes the marker listing `files` into the staging folder.
    static func writeMarker(in staging: URL, files: [String]) throws {
        let text =
            markerHeader
            + files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: staging.appendingPathComponent(markerName))
    }

    /// Puts the staging folder in the output's place and removes the previous output.
    ///
    /// With an existing output the two folders are exchanged in one `renameat2(RENAME_EXCHANGE)`
    /// call where the kernel supports it, so the output path always holds a complete site.
    func commit(staging: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: url.path) else {
            try manager.moveItem(at: staging, to: url)
            return
        }
        if Self.exchange(staging.path, url.path) {
            try manager.removeItem(at: staging)  // now holds the previous output
            return
        }
        let previous = staging.deletingLastPathComponent().appendingPathComponent(
            staging.lastPathComponent + "-previous")
        try manager.moveItem(at: url, to: previous)
        do {
            try manager.moveItem(at: staging, to: url)
        } catch {
            try? manager.moveItem(at: previous, to: url)
            throw error
        }
        try manager.removeItem(at: previous)
    }

    /// Removes a staging folder after a failed build.
    static func discard(staging: URL) {
        try? FileManager.default.removeItem(at: staging)
    }

    private typealias RenameAt2 =
        @convention(c) (
            Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32
        ) -> Int32

    /// Atomically exchanges two paths with `renameat2`, looked up at run time because the Glibc
    /// module does not declare it; `false` when it is missing or the file system refuses.
    private static func exchange(_ a: String, _ b: String) -> Bool {
        guard let symbol = dlsym(nil, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    }
}
