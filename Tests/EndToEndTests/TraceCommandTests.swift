import Foundation
import Testing

@Suite struct TraceCommandTests {
    @Test func helpListsTheSubcommands() throws {
        let out = try runAllocbook(["--help"])
        #expect(out.contains("trace"))
        #expect(out.contains("build"))
    }
}

/// Runs the built `allocbook` binary and returns its standard output.
func runAllocbook(_ arguments: [String], stdin: String? = nil) throws -> String {
    let process = Process()
    process.executableURL = productsDirectory.appendingPathComponent("allocbook")
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    if let stdin {
        let input = Pipe()
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
    } else {
        try process.run()
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

/// The folder holding the built products (`.build/debug`).
let productsDirectory: URL = {
    // The test bundle lives in the products folder: .build/<triple>/debug/AllocBookPackageTests.xctest
    var url = URL(fileURLWithPath: CommandLine.arguments.first ?? ".")
    while url.pathComponents.count > 1 {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("allocbook").path) {
            return url
        }
        url.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: ".build/debug")
}()
