import AllocatorModels
import Foundation
import SiteBuilder
import Testing

/// Hostile input through the built `allocbook`: located errors, never a crash; the corrupted
/// heap answered as the real glibc answers it; a huge differing block checked quickly with a
/// bounded diff; no replay scratch files left behind.
@Suite struct HardeningTests {
    @Test func deeplyNestedExpressionsAreLocatedErrorsInCheckAndBuild() throws {
        let scratch = try ScratchFolder("nesting")
        defer { scratch.remove() }
        let statements = [
            "A = malloc(" + String(repeating: "(", count: 5_400) + "1"
                + String(repeating: ")", count: 5_400) + ");",
            "B = malloc(" + String(repeating: "-", count: 12_000) + "1);",
        ]
        let content = try scratch.course([
            ("01-deep.md", scenarioBlock(statements.joined(separator: "\n")))
        ])
        for command in ["check", "build"] {
            var arguments = [command, "--content", content]
            if command == "build" { arguments += ["--output", scratch.path + "/site"] }
            let run = try runTool(arguments)
            #expect(!run.signalled, "\(command) crashed: \(run.stderr.suffix(300))")
            #expect(run.status == 1)
            let message = "error: expression nests too deeply (more than 100 levels)"
            #expect(run.stderr.contains("\(content)/01-deep.md:8:112: \(message)"))
            #expect(run.stderr.contains("\(content)/01-deep.md:9:112: \(message)"))
        }
    }

    @Test func overflowingArithmeticInScenariosEndsLikeTheProgramWould() throws {
        let scratch = try ScratchFolder("overflow")
        defer { scratch.remove() }
        let content = try scratch.course([
            ("01-min.md", scenarioBlock("A = malloc(16);\nfree(A - (-9223372036854775807 - 1));")),
            (
                "02-memset.md",
                scenarioBlock(
                    "A = malloc(16);\nmemset(A - 0x7fffffffffffffff, 0, 0x7fffffffffffffff);")
            ),
        ])
        let run = try runTool(["check", "--content", content])
        #expect(!run.signalled, "check crashed: \(run.stderr.suffix(300))")
        #expect(run.status == 1)  // the lessons have no '//>' lines yet
        #expect(run.stderr.contains("+//> Segmentation fault"))
        #expect(!run.stderr.contains("Fatal error"))
    }

    /// A large-bin chunk whose size a `write` shrank: glibc 2.36 fails its assertion in
    /// `_int_malloc`'s binmap search; the model says the same instead of trapping.
    @Test func aCorruptedBinChunkAbortsWithGlibcsAssertion() throws {
        let trace = """
            malloc A 5000
            malloc G 24
            free A
            malloc B 6000
            write A+0xfffffffffffffff8 0x101
            malloc C 4000

            """
        #expect(try GlibcDifferentialTests.compare(trace, "binmap assertion") == 6)
        #expect(
            try GlibcDifferentialTests.model(trace).last
                == #"{"step":6,"abort":"Fatal glibc error: malloc assertion failure in _int_malloc: (unsigned long) (size) >= (unsigned long) (nb)"}"#
        )
    }

    /// A chunk already in a large bin with the NON_MAIN_ARENA bit set by a `write`: sorting a
    /// second chunk into that bin fails glibc's `chunk_main_arena` assertion.
    @Test func aLargeBinChunkMarkedForAnotherArenaAbortsWithGlibcsAssertion() throws {
        let trace = """
            malloc A 5000
            malloc G1 24
            malloc B 5050
            malloc G2 24
            free A
            malloc X 6000
            write A+0xfffffffffffffff8 0x138d
            free B
            malloc Y 7000

            """
        #expect(try GlibcDifferentialTests.compare(trace, "chunk_main_arena") == 9)
        #expect(
            try GlibcDifferentialTests.model(trace).last?.contains(
                "malloc assertion failure in _int_malloc: chunk_main_arena (bck->bk)") == true)
    }

    @Test func freeingAPointerOffByTheMinimumOffsetIsASegfaultAsOnGlibc() throws {
        let trace = "malloc A 16\nfree A+0x8000000000000000\n"
        #expect(try GlibcDifferentialTests.compare(trace, "free A+2^63") == 2)
        #expect(try GlibcDifferentialTests.model(trace).last == #"{"step":2,"signal":"SIGSEGV"}"#)
    }

    /// A block of `statements` statements without any `//>` line: every statement differs.
    static func hugeDifferingBlock(_ statements: Int) -> String {
        var body = ""
        for i in 0..<statements { body += "P\(i) = malloc(\(16 + i % 64));\n" }
        return scenarioBlock(String(body.dropLast()))
    }

    @Test func aHugeDifferingBlockIsCheckedQuicklyWithABoundedDiff() throws {
        let scratch = try ScratchFolder("huge")
        defer { scratch.remove() }
        let content = try scratch.course([("01-huge.md", Self.hugeDifferingBlock(20_000))])
        let start = ContinuousClock.now
        let run = try runTool(["check", "--content", content])
        let elapsed = ContinuousClock.now - start
        #expect(!run.signalled)
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count < 220)  // 200 diff lines at most, the header and the hint
        #expect(run.stderr.contains("... 19900 more changed lines not shown"))
        // The quadratic table took minutes and gigabytes here (a debug build, 20,000 lines).
        #expect(elapsed < .seconds(60))
    }

    @Test func aKilledCheckLeavesNoReplayScratchFiles() throws {
        let scratch = try ScratchFolder("replay-debris")
        defer { scratch.remove() }
        let blocks = (0..<150).map { i in
            scenarioBlock(
                "A = malloc(\(100 + i));\nB = malloc(5000);\nfree(A);\nfree(B);",
                options: "verify=glibc")
        }
        let content = try scratch.course([("01-replays.md", blocks.joined(separator: "\n"))])
        let temporary = try scratch.write("tmp/.keep", "")
        let tmp = URL(fileURLWithPath: temporary).deletingLastPathComponent().path

        // Run to the end, then kill one midway: neither may leave anything in TMPDIR.
        _ = try runTool(["check", "--content", content], environment: ["TMPDIR": tmp])
        for delay in [0.3, 0.8] {
            let process = Process()
            process.executableURL = productsDirectory.appendingPathComponent("allocbook")
            process.arguments = ["check", "--content", content]
            var environment = ProcessInfo.processInfo.environment
            environment["TMPDIR"] = tmp
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        Thread.sleep(forTimeInterval: 0.3)  // replayers orphaned by the kill finish
        let left = try FileManager.default.contentsOfDirectory(atPath: tmp).filter {
            $0 != ".keep"
        }
        #expect(left.isEmpty, "left in TMPDIR: \(left.prefix(5))")
    }
}
