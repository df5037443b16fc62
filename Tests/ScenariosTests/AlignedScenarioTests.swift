import AllocatorModels
import Scenarios
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

/// `thread T1:` statements: the thread is created on first use, gets an arena of its own.
@Suite struct ThreadScenarioTests {
    @Test func aThreadGetsItsOwnArena() {
        let (program, steps) = AlignedScenarioTests().run(
            """
            a = malloc(10);
            thread T1: p = malloc(100);
            thread T1: free(a);
            free(p);
            """)
        #expect(program.issues.isEmpty)
        #expect(program.statements[1].thread == "T1")
        #expect(program.statements[1].text == "thread T1: p = malloc(100);")
        // The real glibc (glibc-replay, the tenThreads trace) gives these addresses.
        #expect(steps[1].lines[0].hasPrefix("pthread_create: T1's stack mmapped at 0x7ffff75d0000"))
        #expect(steps[1].lines[0].contains("p = 0x7ffff0000b70 (arena 1), 112-byte chunk"))
        #expect(steps[1].lines[0].contains("new arena 1: 64 MiB reserved at 0x7ffff0000000"))
        #expect(steps[2].lines == ["32-byte chunk into tcache bin 0 (1 of 7)"])
    }

    @Test func threadPrefixErrors() {
        let (program, _) = AlignedScenarioTests().run("thread 1x: p = malloc(1);\nthread T2:")
        #expect(
            program.issues.map(\.message) == [
                "expected 'thread NAME:' before the statement",
                "expected a statement after the thread",
            ])
    }
}
