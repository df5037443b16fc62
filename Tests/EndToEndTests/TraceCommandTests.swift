import Foundation
import TestSupport
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
    try ProcessRunner.allocbook(arguments, stdin: stdin).stdout
}

/// The folder holding the built products (`.build/debug`).
let productsDirectory = ProcessRunner.productsDirectory
