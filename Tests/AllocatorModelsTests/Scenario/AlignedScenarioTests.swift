import AllocatorModels
import Testing

/// The aligned allocators, posix_memalign's `&p` and malloc_trim in scenarios.
///
/// The addresses and sizes are those glibc-replay printed on the real glibc 2.36 for the same calls.
@Suite struct AlignedScenarioTests {
    func run(_ text: String) -> (ScenarioProgram, [ScenarioStepResult]) {
        var variables = ScenarioVariables()
        let lines = text.split(separator: "\n").enumerated().map {
            ScenarioSourceLine(text: String($0.element), line: $0.offset + 1, column: 1)
        }
        let program = ScenarioProgram.parse(lines, model: .malloc, variables: &variables)
        var runner = MallocScenarioRunner()
        let steps = program.statements.map { s in
            let step = runner.execute(s)
            #expect(throws: Never.self) { try runner.malloc.checkInvariants() }
            return step
        }
        return (program, steps)
    }

    @Test func memalignGivesBackTheLeaderAndTheTrailer() {
        let (program, steps) = run("p = memalign(64, 100);\nn = malloc_usable_size(p);")
        #expect(program.issues.isEmpty)
        #expect(
            steps[0].lines == [
                "p = 0x555555559040 (heap+0x40), 112-byte chunk carved from top; "
                    + "the 48 bytes before it and the 64 bytes after it freed; brk +0x21000"
            ])
        #expect(steps[1].lines == ["104"])
    }

    @Test func posixMemalignDefinesItsPointer() {
        let (program, steps) = run(
            """
            r = posix_memalign(&p, 256, 1000);
            free(p);
            e = posix_memalign(&q, 24, 10);
            """)
        #expect(program.issues.isEmpty)
        #expect(steps[0].lines[0].hasPrefix("r = 0; p = 0x555555559"))
        #expect(steps[0].lines[0].contains("1008-byte chunk"))
        #expect(
            steps[2].lines == [
                "e = 22 (EINVAL): the alignment must be a power of two times sizeof(void *); "
                    + "q is unchanged"
            ])
    }

    @Test func addressOfIsOnlyForPosixMemalign() {
        let (program, _) = run("p = malloc(&x);")
        #expect(
            program.issues.map(\.message) == [
                "'&' is allowed only as posix_memalign's first argument"
            ])
    }

    @Test func mallocTrimReleasesPagesInsideFreeChunks() {
        let (program, steps) = run(
            """
            a = malloc(100000);
            g = malloc(10);
            memset(a, 1, 100000);
            free(a);
            malloc_trim(0);
            """)
        #expect(program.issues.isEmpty)
        // 100016-byte chunk at heap+0x290: the pages from heap+0x1000 to heap+0x18000 are whole
        // inside it (23 pages); top (below 128 KiB) is trimmed to one page.
        #expect(steps[4].lines[0].hasPrefix("returns 1; MADV_DONTNEED on 23 free pages"))
    }
}
