import Figures
import Scenarios
import Testing

@testable import Playground

/// The one code path behind `window.AllocBook.run`: outputs, diagnostics at their lines, the
/// budgets, and the JSON text the module returns.
@Suite struct PlaygroundRunnerTests {
    static func request(
        _ text: String, model: String = "malloc", options: String = "", steps: Bool = false
    ) -> PlaygroundRequest {
        PlaygroundRequest(
            info: "scenario \(model)" + options, figureID: "t", steps: steps, text: text[...])
    }

    @Test func outputLinesAreTheLessonsLines() {
        let result = PlaygroundRunner.run(
            Self.request("A = malloc(30 * 1024);\n//> ignored\nfree(A);\n", steps: true))
        #expect(result.diagnostics == [])
        #expect(
            result.lines == [
                "A = 0x5555555592a0 (heap+0x2a0), 30736-byte chunk carved from top; brk +0x21000",
                "30736-byte chunk merged into top (top now 134512 bytes)",
            ])
        #expect(result.steps.map(\.line) == [1, 3])
        #expect(result.frames.map(\.caption) == ["A = malloc(30 * 1024);", "free(A);"])
        #expect(result.figure.hasPrefix("<svg"))
        #expect(result.figure.contains("aria-labelledby=\"t-final-t t-final-d\""))
        #expect(result.frames[1].svg.contains("aria-labelledby=\"t-step-2-t t-step-2-d\""))
    }

    @Test func hiddenLinesRunWithoutAFrame() {
        let result = PlaygroundRunner.run(
            Self.request("//- A = malloc(10);\nB = malloc(20);\n", steps: true))
        #expect(result.steps.map(\.hidden) == [true, false])
        #expect(result.lines.count == 2)
        #expect(result.frames.map(\.line) == [2])
    }

    @Test func everyBadStatementIsReportedAtItsLineAndNothingRuns() {
        let result = PlaygroundRunner.run(Self.request("A = malloc(10);\nB = frob(3);\nfree(C);\n"))
        #expect(result.lines == [])
        #expect(result.diagnostics.count == 2)
        #expect(result.diagnostics[0].hasPrefix("2:5: error: unknown function 'frob'"))
        #expect(result.diagnostics[1].hasPrefix("3:6: error: "))
    }

    @Test func statementsAfterTheEndAreReported() {
        let result = PlaygroundRunner.run(
            Self.request("A = malloc(10);\nfree(A);\nfree(A);\nB = malloc(20);\n"))
        #expect(result.lines.contains("free(): double free detected in tcache 2"))
        #expect(
            result.diagnostics == [
                "4:1: error: statement after the end of the program (it ended on line 3)"
            ])
    }

    @Test func slabDebugFromTheInfoStringBootsTheKernelModelWithTheChecks() {
        let text =
            "a = kmalloc(64, GFP_KERNEL);\nb = kmalloc(64, GFP_KERNEL);\nkfree(a);\nkfree(b);\nkfree(a);\n"
        let plain = PlaygroundRunner.run(Self.request(text, model: "kernel"))
        let debug = PlaygroundRunner.run(
            Self.request(text, model: "kernel", options: " slab_debug=F"))
        #expect(plain.diagnostics == [] && debug.diagnostics == [])
        #expect(!plain.lines.contains { $0.contains("Object already free") })
        #expect(debug.lines.contains("BUG kmalloc-64 (Not tainted): Object already free"))
        #expect(debug.lines.contains("FIX kmalloc-64: Object at 0xffff888100000000 not freed"))
    }

    @Test func optionsAreCheckedAsAFenceChecksThem() {
        let model = PlaygroundRunner.run(Self.request("A = malloc(1);", model: "heap"))
        #expect(model.diagnostics == ["error: unknown model 'heap'; expected 'malloc' or 'kernel'"])
        let cpus = PlaygroundRunner.run(Self.request("A = malloc(1);", options: " cpus=2"))
        #expect(cpus.diagnostics == ["error: option 'cpus' applies to the 'kernel' model only"])
        let memory = PlaygroundRunner.run(
            Self.request("p = kmalloc(8, GFP_KERNEL);", model: "kernel", options: " memory=2G"))
        #expect(memory.diagnostics == ["error: 'memory' is at most 1G in the playground"])
        let kernel = PlaygroundRunner.run(
            Self.request("p = kmalloc(8, GFP_KERNEL);", model: "kernel", options: " memory=16M"))
        #expect(kernel.diagnostics == [] && kernel.lines.count == 3)
    }

    @Test func theStatementBudgetStopsALongRun() {
        let text = String(repeating: "A = malloc(16);\nfree(A);\n", count: 5_001)
        let result = PlaygroundRunner.run(Self.request(text))
        #expect(result.steps.count == PlaygroundLimits.statements)
        #expect(
            result.diagnostics == [
                "10001:1: error: statement budget exceeded: the playground runs at most 10000 "
                    + "statements"
            ])
    }

    @Test func theMemoryBudgetStopsHugeWrites() {
        let text = "A = malloc(1 << 30);\nmemset(A, 1, 1 << 29);\nmemset(A, 1, 1 << 30);\n"
        let result = PlaygroundRunner.run(Self.request(text))
        #expect(result.steps.count == 2)
        #expect(
            result.diagnostics == [
                "3:1: error: memory budget exceeded: the playground's memset calls write at most "
                    + "1 GiB in all"
            ])
    }

    @Test func theTextBudgetRefusesHugeInput() {
        let text = String(repeating: "// padding padding padding\n", count: 10_000)
        let result = PlaygroundRunner.run(Self.request(text))
        #expect(result.diagnostics.first?.contains("longer than the playground's budget") == true)
    }

    @Test func theWireFormRoundTrips() {
        let request = PlaygroundRequest(
            info: "scenario kernel cpus=4", figureID: "x-1", steps: true, text: "a\nb\n")
        #expect(PlaygroundRequest.decode(request.encoded) == request)
        let bare = PlaygroundRequest.decode("scenario malloc")
        #expect(bare.info == "scenario malloc" && bare.text.isEmpty && !bare.steps)
    }

    @Test func theJSONEscapesEverythingJSONRequires() {
        var result = PlaygroundResult()
        result.lines = ["a\"b\\c\nd\u{1}é</svg>"]
        #expect(
            result.json
                == "{\"lines\":[\"a\\\"b\\\\c\\u000ad\\u0001é\\u003c/svg\\u003e\"],"
                + "\"figure\":\"\",\"diagnostics\":[],\"steps\":[],\"frames\":[]}")
    }
}
