import AllocatorModels
import Foundation
import Scenarios
import SiteBuilder
import Testing

@testable import Replay

/// After the diff, a failing scenario says in the model's terms what each differing step did.
@Suite struct DifferenceExplanationTests {
    func run(_ text: String, verifier: (any GlibcVerifier)? = nil) -> [ScenarioBlockResult] {
        LessonScenarioRunner(
            engines: ScenarioEngines.standard, verifier: verifier, recordFrames: false
        ).run(path: "content/08-inside-malloc.md", lines: LessonLines(Array(text.utf8)), slug: "x")
    }

    func explanation(_ result: ScenarioBlockResult) -> [String] {
        result.diagnostics.flatMap(\.details).filter { $0.hasPrefix("step ") || $0.hasPrefix("…") }
    }

    @Test func aWrongBinNamesTheBinTheModelUsed() {
        let results = run(
            """
            ```scenario malloc
            p = malloc(40);
            //> p = 0x5555555592a0 (heap+0x2a0), 48-byte chunk carved from top; brk +0x21000
            free(p);
            //> 48-byte chunk into tcache bin 1 (1 of 7)
            q = malloc(40);
            //> q = 0x5555555592a0 (heap+0x2a0), 48-byte chunk taken from fastbin 1
            ```

            """)
        #expect(
            explanation(results[0]) == [
                "step 3 ('q = malloc(40);', line 6): the 48-byte chunk came from tcache bin 1 "
                    + "(the expected text says \"48-byte chunk taken from fastbin 1\")"
            ])
    }

    @Test func aKernelStepSaysTheCacheOpenedANewSlab() {
        let results = run(
            """
            ```scenario kernel
            a = kmalloc(150, GFP_KERNEL);
            //> a = reused slab 2 of kmalloc-192
            ```

            """)
        let lines = explanation(results[0])
        #expect(lines.count == 1)
        #expect(
            lines.first?.hasPrefix("step 1 ('a = kmalloc(150, GFP_KERNEL);', line 2): ") == true)
        #expect(lines.first?.contains("served by kmalloc-192") == true)
        #expect(lines.first?.contains("kmalloc-192 opened a new slab") == true)
    }

    @Test func atMostFiveStepsThenHowManyMore() {
        var body = ""
        for k in 0..<8 { body += "p\(k) = malloc(24);\n//> wrong\n" }
        let results = run("```scenario malloc\n" + body + "```\n")
        let lines = explanation(results[0])
        #expect(lines.count == 6)
        #expect(lines.last == "… and 3 more")
        #expect(lines[0].hasPrefix("step 1 ('p0 = malloc(24);', line 2): "))
        #expect(lines[0].contains("carved from top"))
    }

    /// A verifier that answers as a real glibc that disagrees on every step would.
    struct DisagreeingVerifier: GlibcVerifier {
        func verify(_ statements: [ScenarioStatement]) -> GlibcVerificationOutcome {
            let model = statements.indices.map { #"{"step":\#($0 + 1),"arena":1}"# }
            let real = statements.indices.map { #"{"step":\#($0 + 1),"arena":2}"# }
            return .disagreed(
                GlibcReplayVerifier.differences(model: model, real: real, steps: statements))
        }
    }

    @Test func verifyGlibcListsEachDifferingStepWithTheModelsPath() {
        var body = ""
        for k in 0..<7 {
            body += "p\(k) = malloc(24);\n//> p\(k) = "
            body += "0x\(String(0x5555_5555_92a0 + 32 * k, radix: 16)) (heap+0x"
            body += String(0x2a0 + 32 * k, radix: 16) + "), 32-byte chunk carved from top"
            body += k == 0 ? "; brk +0x21000\n" : "\n"
        }
        let results = run(
            "```scenario malloc verify=glibc\n" + body + "```\n", verifier: DisagreeingVerifier())
        let errors = results[0].diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        let headline: String =
            "content/08-inside-malloc.md:2:1: error: verify=glibc: step 1 "
            + "('p0 = malloc(24);') differs in 'arena': model 1, real glibc 2"
        #expect(errors.first?.headline == headline)
        let details = errors.first?.details ?? []
        #expect(details.count == 6)
        let first: String =
            "step 1 ('p0 = malloc(24);') differs in 'arena': model 1, real glibc 2; "
            + "the model: sysmalloc grew the heap by 135168 bytes with brk; the tcache struct "
            + "was carved from top (134512 bytes of top left); the first call built the tcache; "
            + "the 32-byte chunk was carved from top (134480 bytes of top left)"
        #expect(details.first == first)
        #expect(details.last == "… and 2 more")
    }
}
