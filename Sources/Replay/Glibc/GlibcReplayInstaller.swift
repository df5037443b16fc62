import Foundation

/// Compiles the replayer that `allocbook` carries (`GlibcReplaySource`) with the machine's C
/// compiler, once, into a cache folder keyed by the hash of the source and flags:
/// `$XDG_CACHE_HOME/allocbook/glibc-replay-HASH`, else `~/.cache/allocbook/glibc-replay-HASH`.
///
/// The compiled program links only libc, so its heap is pristine at `main`. Nothing is looked
/// up in the source tree: a copied `allocbook` works as well as a freshly built one.
public enum GlibcReplayInstaller {
    /// Why the replayer could not be made ready.
    public enum Failure: Error, Hashable, Sendable {
        /// No C compiler on `PATH` (`$CC`, else `cc`).
        case noCompiler(String)
        /// The compiler rejected the source (its last lines of output).
        case compileFailed(compiler: String, output: String)
        /// A cache folder or file could not be made.
        case io(String)
    }

    /// The compiler flags (part of the cache key).
    ///
    /// `noseparate-code`: five pages like a small
    /// program, so that with ASLR off the heap starts at 0x555555559000 as in the model.
    static let flags = [
        "-O2", "-std=gnu11", "-DGLIBC_REPLAY_CLEAN", "-fno-asynchronous-unwind-tables",
        "-Wl,-z,noseparate-code", "-Wl,-z,norelro", "-pthread",
    ]

    /// FNV-1a 64 of the source and the flags, 16 hex digits: the cache key.
    public static let sourceHash: String = ReplayCache.hash(
        GlibcReplaySource.text.utf8 + Array(flags.joined(separator: " ").utf8))

    private static let memo = Memo()

    /// The compiled replayer, compiling it first when the cache does not hold this source's
    /// build.
    ///
    /// Safe to call from several threads and processes (the binary is renamed into
    /// place).
    public static func executable(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Failure) -> URL {
        guard let folder = ReplayCache.folder(environment: environment) else {
            throw .io("neither XDG_CACHE_HOME nor HOME is set: no cache folder for the replayer")
        }
        let binary = folder.appendingPathComponent("glibc-replay-\(sourceHash)")
        if memo.contains(binary.path) { return binary }
        if !FileManager.default.isExecutableFile(atPath: binary.path) {
            try compile(into: binary, environment: environment)
        }
        memo.insert(binary.path)
        return binary
    }

    /// `$CC` (else `cc`) resolved on `PATH`.
    static func compiler(environment: [String: String]) throws(Failure) -> URL {
        let name = environment["CC"].flatMap { $0.isEmpty ? nil : $0 } ?? "cc"
        if name.contains("/") {
            guard FileManager.default.isExecutableFile(atPath: name) else {
                throw .noCompiler("the C compiler '\(name)' (from CC) is not an executable file")
            }
            return URL(fileURLWithPath: name)
        }
        for folder in (environment["PATH"] ?? "").split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw .noCompiler(
            "verify=glibc compiles its replayer with the machine's C compiler, and '\(name)' "
                + "is not on PATH (install one, e.g. 'apt-get install gcc', or set CC)")
    }

    private static func compile(into binary: URL, environment: [String: String]) throws(Failure) {
        let cc = try compiler(environment: environment)
        let folder = binary.deletingLastPathComponent()
        let unique = "\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        let source = folder.appendingPathComponent("glibc-replay-\(sourceHash)-\(unique).c")
        let temporary = folder.appendingPathComponent("glibc-replay-\(sourceHash)-\(unique).tmp")
        defer {
            try? FileManager.default.removeItem(at: source)
            try? FileManager.default.removeItem(at: temporary)
        }
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true)
            try Data(GlibcReplaySource.text.utf8).write(to: source)
        } catch {
            throw .io("cannot write the replayer's source into '\(folder.path)': \(error)")
        }
        let process = Process()
        process.executableURL = cc
        process.arguments = flags + ["-o", temporary.path, source.path]
        let output = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            throw .noCompiler("cannot run the C compiler '\(cc.path)': \(error)")
        }
        let text = String(
            decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let tail = text.split(separator: "\n").suffix(5).joined(separator: "\n")
            throw .compileFailed(compiler: cc.path, output: tail)
        }
        if rename(temporary.path, binary.path) != 0 {
            throw .io("cannot move the compiled replayer to '\(binary.path)'")
        }
    }
}

/// The binaries already known to exist in this process.
private final class Memo: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: Set<String> = []

    func contains(_ path: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return paths.contains(path)
    }

    func insert(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.insert(path)
    }
}
