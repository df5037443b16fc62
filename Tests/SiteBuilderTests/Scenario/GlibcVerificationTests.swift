import AllocatorModels
import Foundation
import Scenarios
import SiteBuilder
import Testing

@testable import Replay

@Suite struct GlibcVerificationTests {
    func statements(_ text: String) -> [ScenarioStatement] {
        var variables = ScenarioVariables()
        let lines = text.split(separator: "\n").enumerated().map {
            ScenarioSourceLine(text: String($0.element), line: 20 + $0.offset, column: 1)
        }
        return ScenarioProgram.parse(lines, model: .malloc, variables: &variables).statements
    }

    @Test func translatesStatementsIntoTheTraceFormat() {
        let t = GlibcTraceTranslation.translate(
            statements(
                """
                mallopt(M_MMAP_THRESHOLD, 128 * 1024);
                A = malloc(30K);
                memset(A, 0, 100);
                B = calloc(4, sizeof(int));
                B = realloc(B, 64);
                C = realloc(NULL, 8);
                malloc(16);
                free(A + 16);
                free(NULL);
                mallinfo2();
                D = realloc(C, 100);
                free(C);
                """))
        #expect(
            t.trace == """
                mallopt M_MMAP_THRESHOLD 131072
                malloc A 30720
                calloc B 4 4
                realloc B 64
                malloc C 8
                malloc _anonymous1 16
                free A+16
                realloc C 100

                """)
        #expect(t.stepStatements.map(\.line) == [20, 21, 23, 24, 25, 26, 27, 30])
        #expect(
            t.unsupported == [
                ScenarioIssue(
                    line: 31, column: 6,
                    "verify=glibc cannot replay this: 'C' was reallocated into 'D'")
            ])
    }

    @Test func translatesAlignedTrimAndThreads() {
        let t = GlibcTraceTranslation.translate(
            statements(
                """
                p = memalign(64, 100);
                r = posix_memalign(&q, 256, 1000);
                thread T1: v = valloc(10);
                thread T1: w = pvalloc(10);
                thread T1: free(q);
                malloc_trim(0);
                thread T2: free(NULL);
                """))
        #expect(
            t.trace == """
                memalign p 64 100
                posix_memalign q 256 1000
                thread T1: valloc v 10
                thread T1: pvalloc w 10
                thread T1: free q
                malloc_trim 0

                """)
        #expect(
            t.unsupported.map(\.message) == [
                "verify=glibc cannot replay this: free(NULL) on another thread"
            ])
    }

    @Test func comparisonNamesTheStepAndField() {
        let steps = statements("A = malloc(8);\nfree(A);")
        let model = [
            #"{"step":1,"ptr":{"heap":"0x2a0","chunk":32},"brk":"0x21000","arena":135168}"#,
            #"{"step":2,"brk":"0x21000","arena":135168,"fordblks":1}"#,
        ]
        var real = model
        real[1] = #"{"step":2,"brk":"0x21000","arena":135168,"fordblks":2}"#
        #expect(
            GlibcReplayVerifier.compare(model: model, real: real, steps: steps) == [
                ScenarioIssue(
                    line: 21, column: 1,
                    "verify=glibc: step 2 ('free(A);') differs in 'fordblks': model 1, real glibc 2"
                )
            ])
        real[0] = #"{"step":1,"ptr":{"heap":"0x2b0","chunk":32},"brk":"0x21000","arena":135168}"#
        #expect(
            GlibcReplayVerifier.compare(model: model, real: real, steps: steps).first?.message
                == "verify=glibc: step 1 ('A = malloc(8);') differs in 'ptr.heap': model 0x2a0, real glibc 0x2b0"
        )
        #expect(
            GlibcReplayVerifier.compare(model: model, real: [model[0]], steps: steps).first?.message
                == "verify=glibc: step 2 ('free(A);') did not run on the real glibc (it ended earlier)"
        )
        #expect(GlibcReplayVerifier.compare(model: model, real: model, steps: steps).isEmpty)
    }

    @Test func aDisagreeingReplayFailsTheBlockAtTheStep() {
        let verifier = GlibcReplayVerifier(hostProblem: nil) { trace in
            var lines: [String] = []
            _ = GlibcTraceRunner.run(trace) { lines.append($0) }
            lines[0] = lines[0].replacingOccurrences(of: "\"arena\":135168", with: "\"arena\":4096")
            return .success(lines)
        }
        let runner = LessonScenarioRunner(engines: ScenarioEngines.standard, verifier: verifier)
        let text = "```scenario malloc verify=glibc\nA = malloc(8);\n//> x\n```\n"
        let results = runner.run(path: "l.md", lines: LessonLines(Array(text.utf8)), slug: "l")
        #expect(results[0].verification == .disagreed)
        #expect(
            results[0].diagnostics.map(\.headline).contains(
                "l.md:2:1: error: verify=glibc: step 1 ('A = malloc(8);') differs in 'arena': model 135168, real glibc 4096"
            ))
    }

    @Test func hostWithoutGlibc236IsSkipped() {
        let verifier = GlibcReplayVerifier(hostProblem: "this host has glibc 2.31, not glibc 2.36")
        { _ in
            Issue.record("must not replay")
            return .success([])
        }
        #expect(
            verifier.verify(statements("A = malloc(8);"))
                == .skipped("this host has glibc 2.31, not glibc 2.36"))
    }

    /// The real thing: the seed story and an abort on this machine's glibc (Debian 12, 2.36).
    @Test func realGlibcAgreesOnTheSeedStoryAndTheAbort() throws {
        let verifier = GlibcReplayVerifier.standard()
        try #require(verifier.hostProblem == nil, "this host is not glibc 2.36 x86_64")
        let story = statements(
            """
            A = malloc(30 * 1024);
            B = malloc(40 * 1024);
            C = malloc(200 * 1024);
            D = malloc(100 * 1024);
            free(C);
            free(B);
            free(D);
            p = malloc(24);
            free(p);
            free(p);
            """)
        let outcome = verifier.verify(story)
        if case .skipped(let reason) = outcome, reason.contains("not found") {
            // glibc-replay is built beside the tests by `swift build`; say so plainly.
            Issue.record("glibc-replay missing: \(reason)")
        }
        #expect(outcome == .agreed)
    }

    /// A fastbin cycle (`free(x); free(y); free(x)` with the tcache full) makes the real
    /// glibc's `mallinfo2()` loop forever: the replay is stopped and the step that did not
    /// finish is an error, located at its statement.
    @Test func aReplayThatNeverEndsIsAnErrorAtItsStep() throws {
        let verifier = GlibcReplayVerifier.standard(timeout: 2)
        try #require(verifier.hostProblem == nil, "this host is not glibc 2.36 x86_64")
        let fill = (0..<7).map { "t\($0) = malloc(24);" }
        let frees = (0..<7).map { "free(t\($0));" }
        let text =
            (fill + ["x = malloc(24);", "y = malloc(24);"] + frees
            + ["free(x);", "free(y);", "free(x);"]).joined(separator: "\n")
        let started = Date()
        let outcome = verifier.verify(statements(text))
        #expect(Date().timeIntervalSince(started) < 30)
        guard case .disagreed(let issues) = outcome else {
            Issue.record("expected a disagreement, got \(outcome)")
            return
        }
        #expect(issues.count == 1)
        #expect(issues.first?.line == 20 + 18)
        #expect(
            issues.first?.message
                == "verify=glibc: step 19 ('free(x);') did not finish on the real glibc: the real "
                + "glibc did not finish within 2 s (the replay was stopped)")
    }
}
