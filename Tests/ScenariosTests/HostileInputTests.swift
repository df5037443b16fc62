import AllocatorModels
import Scenarios
import Testing

/// Inputs that once crashed the process (stack overflow, arithmetic overflow traps): each must
/// now give a located error or the outcome the real program has.
@Suite struct HostileInputTests {
    func program(_ text: String, model: ScenarioModelKind = .malloc) -> ScenarioProgram {
        var variables = ScenarioVariables()
        let lines = text.split(separator: "\n").enumerated().map {
            ScenarioSourceLine(text: String($0.element), line: $0.offset + 1, column: 1)
        }
        return ScenarioProgram.parse(lines, model: model, variables: &variables)
    }

    /// Runs every statement of a malloc scenario and returns the output of the last one.
    func runMalloc(_ text: String) -> ScenarioStepResult? {
        let parsed = program(text)
        #expect(parsed.issues.isEmpty)
        var runner = MallocScenarioRunner()
        return parsed.statements.map { runner.execute($0) }.last
    }

    @Test func deeplyNestedParenthesesAreALocatedError() {
        let parsed = program(
            "A = malloc(" + String(repeating: "(", count: 5_000) + "1"
                + String(repeating: ")", count: 5_000) + ");")
        #expect(parsed.issues.count == 1)
        let issue = parsed.issues.first
        // The expression starts at column 12; the 101st '(' is the one too many.
        #expect(issue?.line == 1)
        #expect(issue?.column == 112)
        #expect(issue?.message == "expression nests too deeply (more than 100 levels)")
    }

    @Test func longChainsOfUnaryOperatorsAreALocatedError() {
        let parsed = program("A = malloc(" + String(repeating: "-", count: 12_000) + "1);")
        #expect(parsed.issues.map(\.column) == [112])
        #expect(parsed.issues.first?.message.hasPrefix("expression nests too deeply") == true)
    }

    @Test func longChainsOfBinaryOperatorsAreALocatedError() {
        // A left-leaning tree as tall as the chain is long: evaluating it recursed as deep.
        let parsed = program("A = malloc(1" + String(repeating: "+1", count: 100_000) + ");")
        // The 100th '+' makes the tree 101 levels tall; it is at column 12 + 2 * 100 - 1.
        #expect(parsed.issues.map(\.column) == [211])
    }

    @Test func nestingUpToTheLimitIsAccepted() {
        let parsed = program(
            "A = malloc(" + String(repeating: "(", count: 99) + "-16"
                + String(repeating: ")", count: 99) + " + 48);")
        #expect(parsed.issues.isEmpty)
        #expect(parsed.statements.first?.action == .malloc(size: 32))
    }

    @Test func subtractingTheMinimumOffsetWrapsLikeCPointerArithmetic() {
        // free(A - INT64_MIN) is free(A + 2^63): a non-canonical address, whose header load
        // is a SIGSEGV on the real machine.
        let last = runMalloc("A = malloc(16);\nfree(A - (-9223372036854775807 - 1));")
        #expect(last?.lines == ["Segmentation fault"])
        #expect(last?.ends == true)
    }

    @Test func memsetThatWrapsAroundTheAddressSpaceFaults() {
        let last = runMalloc(
            "A = malloc(16);\nmemset(A - 0x7fffffffffffffff, 0, 0x7fffffffffffffff);")
        #expect(last?.lines == ["Segmentation fault"])
    }

    @Test func memsetFromTheHeapPastItsEndFaultsAtTheFirstUnmappedPage() {
        let last = runMalloc("A = malloc(16);\nmemset(A, 0, -256);")
        #expect(last?.lines == ["Segmentation fault"])
    }

    @Test func aCorruptedSizeInABinIsGlibcsAssertionNotATrap() {
        // A freed 5008-byte chunk sorted into a large bin, its size overwritten with 0x101:
        // the binmap search still finds its bin for a 4016-byte chunk. glibc 2.36's
        // assert ((unsigned long) (size) >= (unsigned long) (nb)) fires (checked against the
        // real glibc in the end-to-end tests).
        var malloc = GlibcMalloc()
        let a = malloc.malloc(5000).pointer ?? 0
        _ = malloc.malloc(24)
        _ = malloc.free(a)
        _ = malloc.malloc(6000)
        malloc.write(a &- 8, 0x101)
        let outcome = malloc.malloc(4000)
        #expect(
            outcome.fatal
                == .abort(
                    "Fatal glibc error: malloc assertion failure in _int_malloc: "
                        + "(unsigned long) (size) >= (unsigned long) (nb)"))
    }
}
