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

    /// The folder that holds the output, its staging folders and its lock file.
    var parent: URL { url.deletingLastPathComponent() }
    /// The output folder's own name (`site`).
    var name: String { url.lastPathComponent }
    /// Staging folders of this output start with this name (`.site.allocbook-staging-`).
    var stagingPrefix: String { ".\(name).allocbook-staging-" }

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
        if let target = try? manager.destinationOfSymbolicLink(atPath: url.path) {
            return [
                .error(
                    "output '\(path)' is a symbolic link to '\(target)'; allocbook replaces the "
                        + "output folder as a whole and does not follow links: give the folder "
                        + "itself as the output", at: nil)
            ]
        }
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

    /// Creates an empty staging folder beside the output (`.site.allocbook-staging-PID`),
    /// holding only the marker's header from the start, so that the folder a killed build
    /// leaves behind is recognisably allocbook's.
    func makeStaging() throws -> URL {
        let staging = parent.appendingPathComponent("\(stagingPrefix)\(getpid())")
        if FileManager.default.fileExists(atPath: staging.path) {
            try FileManager.default.removeItem(at: staging)
        }
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try Data(Self.markerHeader.utf8).write(to: staging.appendingPathComponent(Self.markerName))
        return staging
    }

    /// Removes the staging folders earlier builds of this output left behind.
    ///
    /// Those are the folders of killed builds and previous sites a build could not remove:
    /// folders named like a staging folder that hold allocbook's marker. Call it with the output's lock held, so none is in use. Returns a
    /// warning for each one that cannot be removed.
    func removeStaleStaging() -> [Diagnostic] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: parent.path) else { return [] }
        var warnings: [Diagnostic] = []
        for stale in names where stale.hasPrefix(stagingPrefix) {
            let folder = parent.appendingPathComponent(stale)
            var info = stat()
            guard lstat(folder.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            let marker = try? String(
                contentsOf: folder.appendingPathComponent(Self.markerName), encoding: .utf8)
            guard marker?.hasPrefix(Self.markerHeader) == true else { continue }
            do {
                try Self.remove(folder)
            } catch {
                warnings.append(
                    .warning(
                        "cannot remove the stale staging folder '\(folder.path)' of an earlier "
                            + "build: \(SystemReason.text(error))", at: nil))
            }
        }
        return warnings
    }

    /// Writes the marker listing `files` into the staging folder.
    static func writeMarker(in staging: URL, files: [String]) throws {
        let text =
            markerHeader
            + files.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: staging.appendingPathComponent(markerName))
    }

    /// Why the new site could not be put in place; the previous output is untouched.
    struct SwapError: Error {
        /// The system's reason.
        var reason: String
    }

    /// Puts the staging folder in the output's place and removes the previous output.
    ///
    /// With an existing output the two folders are exchanged in one `renameat2(RENAME_EXCHANGE)`
    /// call where the kernel supports it, so the output path always holds a complete site.
    /// Throws only when the new site is not in place. Once it is, a previous site that cannot be
    /// removed is reported as a warning (the new site stands; the next build removes the rest).
    func commit(staging: URL) throws(SwapError) -> [Diagnostic] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: url.path) else {
            do {
                try manager.moveItem(at: staging, to: url)
            } catch {
                throw SwapError(reason: SystemReason.text(error))
            }
            return []
        }
        var previous = staging
        if !Self.exchange(staging.path, url.path) {
            previous = staging.deletingLastPathComponent().appendingPathComponent(
                staging.lastPathComponent + "-previous")
            do {
                try manager.moveItem(at: url, to: previous)
            } catch {
                throw SwapError(reason: SystemReason.text(error))
            }
            do {
                try manager.moveItem(at: staging, to: url)
            } catch {
                try? manager.moveItem(at: previous, to: url)
                throw SwapError(reason: SystemReason.text(error))
            }
        }
        do {
            try Self.remove(previous)  // the previous output
        } catch {
            return [
                .warning(
                    "the new site is in '\(path)', but the previous one could not be removed "
                        + "from '\(previous.path)': \(SystemReason.text(error)); the next build "
                        + "removes it", at: nil)
            ]
        }
        return []
    }

    /// Removes a folder of ours (a staging folder or a previous site) with its marker last, so
    /// that a removal that fails halfway leaves a folder the next build still recognises.
    static func remove(_ folder: URL) throws {
        let manager = FileManager.default
        for entry in try manager.contentsOfDirectory(atPath: folder.path) where entry != markerName
        {
            try manager.removeItem(at: folder.appendingPathComponent(entry))
        }
        try manager.removeItem(at: folder)
    }

    /// Removes a staging folder after a failed build.
    static func discard(staging: URL) {
        try? remove(staging)
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
