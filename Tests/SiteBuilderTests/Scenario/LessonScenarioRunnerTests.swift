import AllocatorModels
import Scenarios
import SiteBuilder
import Testing

@Suite struct LessonScenarioRunnerTests {
    @Test func passesWhenOutputsMatch() {
        let results = ScenarioFixtures.run(
            "# T\n\n```scenario malloc\nA = malloc(8);\n//> ran A = malloc(8);\n```\n")
        #expect(results.count == 1)
        #expect(results[0].status == .passed)
        #expect(results[0].diagnostics.isEmpty)
        #expect(results[0].id == "malloc-scenario-1")
    }

    @Test func reportsMismatchAtTheWrongLineWithADiff() {
        let text =
            "# T\n\n```scenario malloc\nA = malloc(8);\n//> wrong\nfree(A);\n//> ran free(A);\n```\n"
        let results = ScenarioFixtures.run(text)
        let d = results[0].diagnostics
        #expect(d.count == 1)
        #expect(d[0].headline == "content/03-malloc.md:5:1: error: scenario output differs")
        #expect(
            d[0].details == [
                "--- expected", "+++ actual", "@@ -4,4 +4,4 @@", " A = malloc(8);", "-//> wrong",
                "+//> ran A = malloc(8);", " free(A);", " //> ran free(A);",
                "step 1 ('A = malloc(8);', line 4): the model prints \"ran A = malloc(8);\" where "
                    + "the expected text says \"wrong\"",
                "hint: run 'allocbook check --fix' to accept the actual output",
            ])
    }

    @Test func missingOutputFailsAtTheStatement() {
        let results = ScenarioFixtures.run("```scenario malloc\nA = malloc(8);\n```\n")
        #expect(results[0].status == .differs)
        #expect(results[0].diagnostics[0].location?.line == 2)
    }

    @Test func sessionsCarryVariablesAndConflictsAreReported() {
        let text = """
            ```scenario malloc session=story
            A = malloc(8);
            //> ran A = malloc(8);
            ```
            text
            ```scenario malloc session=story
            free(A);
            //> ran free(A);
            ```
            ```scenario kernel session=story
            kfree(p);
            ```
            ```scenario malloc
            free(A);
            ```

            """
        let results = ScenarioFixtures.run(text)
        #expect(results[0].status == .passed)
        #expect(results[1].status == .passed)
        #expect(
            results[2].diagnostics.map(\.headline).first
                == "content/03-malloc.md:10:4: error: session 'story' runs the 'malloc' model; this block says 'kernel'"
        )
        #expect(
            results[3].diagnostics.map(\.headline) == [
                "content/03-malloc.md:14:6: error: unknown variable 'A'"
            ])
    }

    @Test func laterBlocksOfABrokenSessionSayWhyTheyDidNotRun() {
        let text = """
            ```scenario malloc session=s
            A = mallok(8);
            ```
            ```scenario malloc session=s
            free(A);
            ```

            """
        #expect(
            ScenarioFixtures.run(text).flatMap(\.diagnostics).map(\.headline) == [
                "content/03-malloc.md:2:5: error: unknown function 'mallok'",
                "content/03-malloc.md:4:4: error: not run: an earlier block of session 's' could not run",
            ])
    }

    @Test func statementsAfterTheEndAreDiagnostics() {
        let text =
            "```scenario malloc\nEND = malloc(1);\n//> ran END = malloc(1);\nfree(END);\n//> the end\nfree(END);\n```\n"
        let results = ScenarioFixtures.run(text)
        #expect(
            results[0].diagnostics.map(\.headline) == [
                "content/03-malloc.md:6:1: error: statement after the end of the program (it ended on line 4)"
            ])
    }

    @Test func optionErrorsAreAtTheirColumn() {
        let text = """
            ```scenario malloc figure=all predict=yes cpus=2
            ```
            ``` scenario slab
            ```
            ```scenario
            ```
            ```scenario kernel memory=12Q session=a b=c verify=glibc
            ```

            """
        let headlines = ScenarioFixtures.run(text).flatMap(\.diagnostics).map(\.headline)
        #expect(
            headlines == [
                "content/03-malloc.md:1:27: error: 'figure' must be 'steps', 'final' or 'none', found 'all'",
                "content/03-malloc.md:1:39: error: 'predict' must be 'true' or 'false', found 'yes'",
                "content/03-malloc.md:1:43: error: option 'cpus' applies to the 'kernel' model only",
                "content/03-malloc.md:3:14: error: unknown model 'slab'; expected 'malloc' or 'kernel'",
                "content/03-malloc.md:5:12: error: missing model after 'scenario'; expected 'malloc' or 'kernel'",
                "content/03-malloc.md:7:27: error: 'memory' must be a size such as 64M or 1G (at least 1M), found '12Q'",
                "content/03-malloc.md:7:41: error: unknown option 'b'",
                "content/03-malloc.md:7:45: error: option 'verify=glibc' applies to the 'malloc' model only",
            ])
    }

    @Test func unclosedBlockIsReported() {
        let results = ScenarioFixtures.run(
            "text\n```scenario malloc\nA = malloc(8);\n//> ran A = malloc(8);\n")
        #expect(
            results[0].diagnostics.map(\.headline) == [
                "content/03-malloc.md:2:1: error: scenario block is not closed"
            ])
    }

    @Test func ignoresOtherFencesAndNestedExamples() {
        let text = """
            ---
            title: "```scenario malloc"
            ---
            ````markdown
            ```scenario malloc
            A = oops(
            ```
            ````
            ```c
            A = malloc(8);
            ```

            """
        #expect(ScenarioFixtures.run(text).isEmpty)
    }

    @Test func strictTurnsSkippedVerificationIntoAnError() {
        let text = "```scenario malloc verify=glibc\nA = malloc(8);\n//> ran A = malloc(8);\n```\n"
        let lax = ScenarioFixtures.runner().run(
            path: "l.md", lines: LessonLines(Array(text.utf8)), slug: "l")
        let strict = ScenarioFixtures.runner(strict: true).run(
            path: "l.md", lines: LessonLines(Array(text.utf8)), slug: "l")
        #expect(lax[0].diagnostics.map(\.severity) == [.warning])
        #expect(strict[0].diagnostics.map(\.severity) == [.error])
        #expect(
            strict[0].diagnostics[0].headline.hasPrefix("l.md:1:1: error: verify=glibc skipped: "))
    }
}

@Suite struct ScenarioOptionsTests {
    @Test func readsEveryOption() {
        let (options, issues) = ScenarioOptions.parse(
            "scenario kernel session=story cpus=4 memory=1G figure=steps predict=true", line: 3,
            column: 4)
        #expect(issues.isEmpty)
        #expect(
            options
                == ScenarioOptions(
                    model: .kernel, session: "story", cpus: 4, memoryBytes: 1 << 30,
                    verifyGlibc: false,
                    figure: .steps, predict: true))
        let (malloc, none) = ScenarioOptions.parse(
            "scenario malloc verify=glibc", line: 1, column: 4)
        #expect(none.isEmpty)
        #expect(malloc?.verifyGlibc == true)
        #expect(malloc?.figure == .final)
        let (_, twice) = ScenarioOptions.parse("scenario kernel cpus=2 cpus=4", line: 1, column: 4)
        #expect(twice == [ScenarioIssue(line: 1, column: 27, "option 'cpus' is given twice")])
    }

    @Test func slabDebugTakesTheConsistencyChecksOnKernelBlocksWithoutVerify() {
        let (options, issues) = ScenarioOptions.parse(
            "scenario kernel slab_debug=F", line: 1, column: 4)
        #expect(issues.isEmpty)
        #expect(options?.slabDebug == true)
        #expect(ScenarioOptions.parse("scenario kernel", line: 1, column: 4).0?.slabDebug == false)
        let (_, letters) = ScenarioOptions.parse(
            "scenario kernel slab_debug=FZPU", line: 2, column: 4)
        #expect(
            letters == [
                ScenarioIssue(
                    line: 2, column: 31,
                    "'slab_debug' must be 'F' (the model has SLUB's consistency checks only), found 'FZPU'"
                )
            ])
        let (_, malloc) = ScenarioOptions.parse("scenario malloc slab_debug=F", line: 1, column: 4)
        #expect(
            malloc == [
                ScenarioIssue(
                    line: 1, column: 20, "option 'slab_debug' applies to the 'kernel' model only")
            ])
        let (_, verified) = ScenarioOptions.parse(
            "scenario kernel verify=kernel slab_debug=F", line: 1, column: 4)
        #expect(
            verified == [
                ScenarioIssue(
                    line: 1, column: 34,
                    "'slab_debug' cannot be combined with 'verify=kernel': the real kernel boots without it"
                )
            ])
    }
}
