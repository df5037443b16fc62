import AllocatorModels
import Foundation
import Scenarios

/// Runs the `glibc-replay` executable (a trace on the machine's real glibc) and returns its
/// output in the same line format as `GlibcTraceRunner`, including the final
/// `{"step":N,"abort":"MESSAGE"}` or `{"step":N,"signal":"SIGSEGV"}` line derived from the exit
/// status and standard error, so the two can be compared line by line.
public struct GlibcReplayRunner: Sendable {
    /// Why a replay could not be run.
    public enum Failure: Error, Hashable, Sendable {
        /// The replayer could not be compiled (no C compiler, a cache folder problem).
        case install(GlibcReplayInstaller.Failure)
        /// The process could not be started or its files could not be used.
        case io(String)
        /// The replayer rejected the trace or ended in an unexpected way.
        case unexpectedExit(status: Int32, stderr: String)
        /// The replay did not end within `seconds` and was killed; `completedSteps` steps had
        /// printed their line (the real glibc loops, e.g. `mallinfo2` on a fastbin cycle).
        case timedOut(seconds: Double, completedSteps: Int)
    }

    /// The default limit on one replay's wall time, in seconds.
    public static let defaultTimeout = 20.0

    /// The executable.
    public var executable: URL
    /// The limit on one replay's wall time, in seconds.
    public var timeout: Double

    /// Uses `executable`, or the replayer `allocbook` carries, compiled once into the cache by
    /// `GlibcReplayInstaller`.
    public init(executable: URL? = nil, timeout: Double = defaultTimeout) throws(Failure) {
        self.timeout = timeout
        if let executable {
            self.executable = executable
            return
        }
        do throws(GlibcReplayInstaller.Failure) {
            self.executable = try GlibcReplayInstaller.executable()
        } catch {
            throw .install(error)
        }
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
        try run(trace, arguments: (quiet ? ["-q"] : []) + ["-"])
    }

    /// Where the real process's mmaps go (`glibc-replay --layout`), for a model that must place
    /// mappings exactly as it does.
    public func layout() throws(Failure) -> MmapLayout {
        let line = try run("", arguments: ["--layout"]).first ?? ""
        var values: [String: UInt64] = [:]
        for part in line.split(whereSeparator: { "{},".contains($0) }) {
            let pair = part.split(separator: ":")
            guard pair.count == 2 else { continue }
            let key = pair[0].filter { $0 != "\"" }
            let hex = pair[1].filter { $0 != "\"" }.dropFirst(2)
            values[key] = UInt64(hex, radix: 16)
        }
        guard let top = values["mmap_top"], let low = values["hole_low"],
            let high = values["hole_high"]
        else { throw .unexpectedExit(status: 0, stderr: "unexpected layout: \(line)") }
        return MmapLayout(mmapTop: top, holeLow: low, holeHigh: high)
    }

    func run(_ trace: String, arguments: [String]) throws(Failure) -> [String] {
        // Pipes only: no scratch file, so nothing is left behind however this process ends.
        // A replayer that exits before reading its input must not kill us with SIGPIPE.
        _ = Self.ignoreBrokenPipes
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = Self.cleanEnvironment()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        do {
            try process.run()
        } catch {
            throw .io("cannot run '\(executable.path)': \(error.localizedDescription)")
        }
        // A replay that does not end in time (the real glibc can loop, e.g. `mallinfo2` on a
        // fastbin cycle) is killed; its closed pipes then end the reads below.
        let watchdog = TimeoutFlag()
        let pid = process.processIdentifier
        let limit = timeout
        DispatchQueue.global().async {
            if ended.wait(timeout: .now() + limit) == .timedOut {
                watchdog.set()
                kill(pid, SIGKILL)
            }
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
        if watchdog.isSet { throw .timedOut(seconds: timeout, completedSteps: lines.count) }
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

/// Set by the watchdog when it killed a replay that ran past its time limit.
private final class TimeoutFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }
}
