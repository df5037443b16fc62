import Foundation
import Replay
import SiteBuilder
import Testing

/// `allocbook trace --model glibc` as a user runs it.
@Suite struct GlibcTraceCommandTests {
    /// Runs allocbook and returns (stdout, stderr, status).
    func run(_ arguments: [String], stdin: String) throws -> (String, String, Int32) {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("allocbook")
        process.arguments = arguments
        let input = Pipe()
        let out = Pipe()
        let err = Pipe()
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self),
            process.terminationStatus
        )
    }

    @Test func printsTheSameLinesAsRealGlibc() throws {
        let trace = GlibcDifferentialTests.seedStory + "free D\n"
        let (stdout, stderr, status) = try run(["trace", "--model", "glibc", "-"], stdin: trace)
        #expect(status == 0)
        #expect(stderr.isEmpty)
        let lines = stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.first == """
                {"step":1,"ptr":{"heap":"0x2a0","chunk":30736},"brk":"0x21000","arena":135168,\
                "ordblks":1,"smblks":0,"hblks":0,"hblkhd":0,"uordblks":31392,"fsmblks":0,\
                "fordblks":103776,"keepcost":103776}
                """)
        #expect(
            lines.last == #"{"step":8,"abort":"corrupted size vs. prev_size while consolidating"}"#)
        #expect(lines == (try GlibcReplayRunner().run(trace)))
    }

    @Test func malformedLinesExitWithStatus2AndNothingRuns() throws {
        let (stdout, stderr, status) = try run(
            ["trace", "--model", "glibc", "-"], stdin: "malloc A 10\nfree B\nmallocc C 1\n")
        #expect(status == 2)
        #expect(stdout.isEmpty)
        #expect(
            stderr == """
                <stdin>:2:6: error: unknown ID 'B'
                <stdin>:3:1: error: unknown operation 'mallocc'

                """)
    }

    @Test func quietModePrintsOnlyASummary() throws {
        let (stdout, _, status) = try run(
            ["trace", "--model", "glibc", "--quiet", "-"], stdin: GlibcDifferentialTests.seedStory)
        #expect(status == 0)
        #expect(stdout.hasPrefix(#"{"steps":7,"replay_ns":"#))
    }
}
