import Foundation

/// What a run of the built `allocbook` did.
struct ToolRun {
    var status: Int32
    var signalled: Bool
    var stdout: String
    var stderr: String
}

/// Runs the built `allocbook` with `arguments` (and extra environment), waiting for it.
func runTool(_ arguments: [String], environment: [String: String] = [:]) throws -> ToolRun {
    let process = Process()
    process.executableURL = productsDirectory.appendingPathComponent("allocbook")
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["SWIFT_BACKTRACE"] = "enable=no"
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let group = DispatchGroup()
    nonisolated(unsafe) var errors = Data()
    DispatchQueue.global().async(group: group) {
        errors = err.fileHandleForReading.readDataToEndOfFile()
    }
    let output = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ToolRun(
        status: process.terminationStatus,
        signalled: process.terminationReason == .uncaughtSignal,
        stdout: String(decoding: output, as: UTF8.self),
        stderr: String(decoding: errors, as: UTF8.self))
}

/// A scratch folder for one test, removed by `remove()`.
struct ScratchFolder {
    let url: URL
    var path: String { url.path }

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` at `relative` (folders created as needed) and returns its path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, Data(text.utf8))
    }

    @discardableResult
    func write(_ relative: String, _ data: Data) throws -> String {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file.path
    }

    /// A course folder `content` with `course.yml` and one lesson per `(name, body)`.
    func course(_ lessons: [(String, String)], folder: String = "content") throws -> String {
        try write("\(folder)/course.yml", "title: Test course\ndescription: For tests\n")
        for (n, (name, body)) in lessons.enumerated() {
            try write(
                "\(folder)/\(name)",
                "---\ntitle: \"Lesson \(n + 1)\"\norder: \(n + 1)\nsummary: \"S\"\n---\n\n\(body)")
        }
        return url.appendingPathComponent(folder).path
    }

    func remove() {
        // Immutable files (chattr +i) a test left behind would make the removal fail.
        _ = try? Process.run(
            URL(fileURLWithPath: "/usr/bin/chattr"), arguments: ["-R", "-i", path]
        )
        .waitUntilExit()
        try? FileManager.default.removeItem(at: url)
    }
}

/// A scenario block of `model` holding `body`.
func scenarioBlock(_ body: String, model: String = "malloc", options: String = "") -> String {
    "```scenario \(model)\(options.isEmpty ? "" : " " + options)\n\(body)\n```\n"
}
