import Foundation

/// Installs the kernel replayer that `allocbook` carries (the repository's `KernelReplay/`
/// folder, embedded at build time as `EmbeddedKernelReplay`) into the cache folder, once per
/// content: `$XDG_CACHE_HOME/allocbook/kernel-replayer-HASH/` (else under `~/.cache`).
///
/// The installed `run-traces` then builds the module against the pinned kernel's headers and
/// boots QEMU as it does from the repository (its own cache is `…/allocbook/kernel-replay/`).
/// Nothing is looked up in the source tree: a copied `allocbook` works as well as a freshly
/// built one.
public enum KernelReplayInstaller {
    /// The files, by name, that `allocbook` carries.
    static let files: [String: String] = EmbeddedKernelReplay.files

    /// The files that must be executable.
    static let executables: Set<String> = ["run-traces", "init"]

    /// FNV-1a 64 of every file's name and text, 16 hex digits: the cache key.
    public static let contentHash: String = {
        var bytes: [UInt8] = []
        for name in files.keys.sorted() {
            bytes += Array(name.utf8) + [0] + Array((files[name] ?? "").utf8) + [0]
        }
        return ReplayCache.hash(bytes)
    }()

    /// The installed `run-traces`, writing the folder first when the cache does not hold it.
    ///
    /// Safe to call from several threads and processes: the folder is written under a
    /// temporary name and renamed into place.
    public static func script(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KernelReplayRunner.Failure) -> URL {
        guard let cache = ReplayCache.folder(environment: environment) else {
            throw .host("neither XDG_CACHE_HOME nor HOME is set: no cache folder for the replayer")
        }
        guard files["run-traces"] != nil else {
            throw .host("this allocbook was built without the kernel replayer")
        }
        let folder = cache.appendingPathComponent("kernel-replayer-\(contentHash)")
        let script = folder.appendingPathComponent("run-traces")
        if FileManager.default.isExecutableFile(atPath: script.path) { return script }
        let unique = "\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        let temporary = cache.appendingPathComponent("kernel-replayer-\(contentHash).\(unique)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        do {
            try FileManager.default.createDirectory(
                at: temporary, withIntermediateDirectories: true)
            for (name, text) in files {
                let file = temporary.appendingPathComponent(name)
                try Data(text.utf8).write(to: file)
                try FileManager.default.setAttributes(
                    [.posixPermissions: executables.contains(name) ? 0o755 : 0o644],
                    ofItemAtPath: file.path)
            }
        } catch {
            throw .host("cannot install the kernel replayer into '\(cache.path)': \(error)")
        }
        // Another process may have installed the same content meanwhile: either copy will do.
        if rename(temporary.path, folder.path) != 0,
            !FileManager.default.isExecutableFile(atPath: script.path)
        {
            throw .host("cannot move the kernel replayer into '\(folder.path)'")
        }
        return script
    }
}
