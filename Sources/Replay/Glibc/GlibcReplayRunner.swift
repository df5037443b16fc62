import AllocatorModels
import Foundation
import Scenarios

/// Runs the `glibc-replay` executable (a trace on the machine's real glibc) and returns its
/// output in the same line format as `GlibcTraceRunner`, including the final
/// `{"step":N,"abort":"MESSAGE"}` or `{"step":N,"signal":"SIGSEGV"}` line derived from the exit
/// status and standard error, so the two can be compared line by line.
public struct GlibcReplayRunner: Sendable {
    /// Environment variable that overrides where the executable is.
    public static let overrideVariable = "ALLOCBOOK_GLIBC_REPLAY"

    /// Why a replay could not be run.
    public enum Failure: Error, Hashable, Sendable {
        /// No executable was found; the paths tried.
        case notFound([String])
        /// The process could not be started or its files could not be used.
        case io(String)
        /// The replayer rejected the trace or ended in an unexpected way.
        case unexpectedExit(status: Int32, stderr: String)
    }

    /// The executable.
    public var executable: URL

    /// Uses `executable`, or finds it: `$ALLOCBOOK_GLIBC_REPLAY`, else `glibc-replay` beside the
    /// running program (SwiftPM's build products folder holds `allocbook`, the test bundle and
    /// `glibc-replay` together).
    public init(executable: URL? = nil) throws(Failure) {
        if let executable {
            self.executable = executable
            return
        }
        var tried: [String] = []
        if let path = ProcessInfo.processInfo.environment[Self.overrideVariable], !path.isEmpty {
            tried.append(path)
            if FileManager.default.isExecutableFile(atPath: path) {
                self.executable = URL(fileURLWithPath: path)
                return
            }
        }
        var folders: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        if let first = CommandLine.arguments.first {
            var url = URL(fileURLWithPath: first).deletingLastPathComponent()
            for _ in 0..<4 {
                folders.append(url)
                url.deleteLastPathComponent()
            }
        }
        for folder in folders {
            let candidate = folder.appendingPathComponent("glibc-replay")
            tried.append(candidate.path)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                self.executable = candidate
                return
            }
        }
        throw .notFound(tried)
    }

    /// Writes to a closed pipe fail with EPIPE instead of killing the process.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// The environment for the replayer: ours without GLIBC_TUNABLES and MALLOC_*_.
    static func cleanEnvironment() -> [String: String] {
        ProcessInfo.processInfo.environment.filter { key, _ in
            !(key == "GLIBC_TUNABLES" || (key.hasPrefix("MALLOC_") && key.hasSuffix("_")))
        }
    }

    /// Replays `trace` and returns the JSON lines (with the abort/signal line when the process
    /// died).
    ///
    /// `quiet` passes `-q` (no per-step lines, one summary line).
    public func run(_ trace: String, quiet: Bool = false) throws(Failure) -> [String] {
        // Pipes only: no scratch file, so nothing is left behind however this process ends.
        // A replayer that exits before reading its input must not kill us with SIGPIPE.
        _ = Self.ignoreBrokenPipes
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        let process = Process()
        process.executableURL = executable
        process.arguments = (quiet ? ["-q"] : []) + ["-"]
        process.environment = Self.cleanEnvironment()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw .io("cannot run '\(executable.path)': \(error.localizedDescription)")
        }
        // The three pipes are served at once, so that no side waits for another to drain.
        let group = DispatchGroup()
        let collected = PipeOutputs()
        DispatchQueue.global().async(group: group) {
            let handle = input.fileHandleForWriting
            try? handle.write(contentsOf: Data(trace.utf8))
            try? handle.close()
        }
        DispatchQueue.global().async(group: group) {
            collected.setErrors(errors.fileHandleForReading.readDataToEndOfFile())
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        let status = process.terminationStatus
        let reason = process.terminationReason
        let stdout = String(decoding: out, as: UTF8.self)
        let stderr = String(decoding: collected.errors, as: UTF8.self)
        var lines = stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let step = lines.count + 1
        switch (reason, status) {
        case (.exit, 0):
            break
        case (.uncaughtSignal, SIGABRT):
            let message = stderr.split(separator: "\n").last.map(String.init) ?? ""
            lines.append(GlibcTraceRunner.fatalLine(step, .abort(message)))
        case (.uncaughtSignal, SIGSEGV):
            lines.append(GlibcTraceRunner.fatalLine(step, .segfault))
        default:
            throw .unexpectedExit(status: status, stderr: stderr)
        }
        return lines
    }
}

/// The replayer's standard error, read on another thread.
private final class PipeOutputs: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Data()

    var errors: Data {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func setErrors(_ data: Data) {
        lock.lock()
        stored = data
        lock.unlock()
    }
}
