import Foundation

/// Runs kernel traces (in the replayer's wire format) in a real Linux 6.1 kernel under QEMU,
/// all in one boot, through the `run-traces` script that `allocbook` carries
/// (``KernelReplayInstaller``; the repository's `KernelReplay/`), and returns each trace's
/// result lines.
public struct KernelReplayRunner: Sendable {
    /// Why a replay could not be run.
    public enum Failure: Error, Hashable, Sendable {
        /// This host lacks QEMU or the kernel packages, or a cache folder for the replayer.
        case host(String)
        /// The guest did not finish, or the replayer failed.
        case run(String)
    }

    /// The `run-traces` script.
    public var script: URL

    /// Uses `folder`/run-traces when given (a replayer being worked on), else the replayer
    /// `allocbook` carries, installed into the cache folder on first use.
    public init(
        folder: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(Failure) {
        guard let folder else {
            script = try KernelReplayInstaller.script(environment: environment)
            return
        }
        script = folder.appendingPathComponent("run-traces")
        guard FileManager.default.isExecutableFile(atPath: script.path) else {
            throw .host("'\(script.path)' is not an executable file")
        }
    }

    /// Replays every trace in one boot with `cpus` CPUs; returns each trace's result lines
    /// (`S …` per step, `E …` at the end), in order.
    public func run(_ traces: [String], cpus: Int) throws(Failure) -> [[String]] {
        guard !traces.isEmpty else { return [] }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-kernel-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        var arguments = ["--cpus", String(cpus), folder.appendingPathComponent("out").path]
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (n, trace) in traces.enumerated() {
                let file = folder.appendingPathComponent("t\(n).wire")
                try Data(trace.utf8).write(to: file)
                arguments.append(file.path)
            }
        } catch {
            throw .run("cannot write the traces to '\(folder.path)'")
        }
        let process = Process()
        process.executableURL = script
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .run("cannot start '\(script.path)'")
        }
        let stderr = String(
            decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
        switch process.terminationStatus {
        case 0: break
        case 3: throw .host(last.isEmpty ? "this host cannot boot the kernel" : last)
        default:
            throw .run(
                "the kernel replay failed (status \(process.terminationStatus))\(last.isEmpty ? "" : ": \(last)")"
            )
        }
        guard
            let data = FileManager.default.contents(
                atPath: folder.appendingPathComponent("out").path)
        else {
            throw .run("the kernel replay wrote no results")
        }
        return try Self.split(String(decoding: data, as: UTF8.self), count: traces.count)
    }

    /// Splits run-traces' output (`=== tN` before each trace's lines) into one list per trace;
    /// an error when a trace is missing, failed or did not finish.
    public static func split(_ text: String, count: Int) throws(Failure) -> [[String]] {
        var results: [[String]?] = Array(repeating: nil, count: count)
        var current: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("=== ") {
                let name = line.dropFirst(4)
                if name.hasSuffix(" failed") {
                    let n = Int(name.dropFirst().dropLast(7)) ?? -1
                    throw .run("the replay module rejected trace \(n + 1)")
                }
                current = name.hasPrefix("t") ? Int(name.dropFirst()) : nil
                if let c = current, c >= 0, c < count { results[c] = [] } else { current = nil }
                continue
            }
            if let c = current { results[c]?.append(String(line)) }
        }
        var all: [[String]] = []
        for (n, lines) in results.enumerated() {
            guard let lines, lines.last?.hasPrefix("E ") == true else {
                throw .run("the kernel replay of trace \(n + 1) did not finish")
            }
            all.append(lines)
        }
        return all
    }
}
