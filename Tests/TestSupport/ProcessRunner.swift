import Foundation

/// Runs a program as a user would and collects what it printed.
public enum ProcessRunner {
    /// What a run printed and how it ended.
    public struct Outcome: Sendable {
        /// The exit status (or the signal number, if it died of one).
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// Runs a program and waits for it.
    ///
    /// Output goes through temporary files, so a chatty program cannot block on a full pipe.
    ///
    /// - Parameters:
    ///   - executable: The program.
    ///   - arguments: Its arguments.
    ///   - stdin: Its standard input (empty if `nil`).
    ///   - environment: The whole environment, or `nil` for this process's.
    ///   - directory: The working directory, or `nil` for this process's.
    /// - Returns: The exit status and what it printed.
    /// - Throws: When the program cannot be started or its files cannot be used.
    public static func run(
        _ executable: URL, _ arguments: [String], stdin: String? = nil,
        environment: [String: String]? = nil, directory: URL? = nil
    ) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("in")
        let output = folder.appendingPathComponent("out")
        let errors = folder.appendingPathComponent("err")
        try Data((stdin ?? "").utf8).write(to: input)
        try Data().write(to: output)
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        let inHandle = try FileHandle(forReadingFrom: input)
        let outHandle = try FileHandle(forWritingTo: output)
        let errHandle = try FileHandle(forWritingTo: errors)
        defer {
            try? inHandle.close()
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardInput = inHandle
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: output), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errors), as: UTF8.self))
    }

    /// The folder holding the built products (`.build/debug`): where the test bundle is.
    public static let productsDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
        while url.pathComponents.count > 1 {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("allocbook").path)
            {
                return url
            }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: ".build/debug")
    }()

    /// Runs the built `allocbook`.
    public static func allocbook(
        _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil
    ) throws -> Outcome {
        try run(
            productsDirectory.appendingPathComponent("allocbook"), arguments, stdin: stdin,
            environment: environment)
    }
}
