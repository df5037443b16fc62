import AllocatorModels
import Scenarios
import Testing

/// The runners' wording, checked against ground truth measured on glibc 2.36 and Linux 6.x
/// (the numbers come from the specs' tables, not from the models).
@Suite struct ScenarioRunnerTests {
    func program(_ text: String, model: ScenarioModelKind) -> ScenarioProgram {
        var variables = ScenarioVariables()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            ScenarioSourceLine(text: String($0.element), line: $0.offset + 1, column: 1)
        }
        return ScenarioProgram.parse(lines, model: model, variables: &variables)
    }

    func runMalloc(_ text: String) -> [ScenarioStepResult] {
        var runner = MallocScenarioRunner()
        let p = program(text, model: .malloc)
        #expect(p.issues.isEmpty)
        return p.statements.map { s in
            let step = runner.execute(s)
            #expect(throws: Never.self) { try runner.malloc.checkInvariants() }
            return step
        }
    }

    @Test func seedStoryWithFixedThreshold() {
        let steps = runMalloc(
            """
            mallopt(M_MMAP_THRESHOLD, 128 * 1024);
            A = malloc(30 * 1024);
            B = malloc(40 * 1024);
            C = malloc(200 * 1024);
            D = malloc(100 * 1024);
            free(C);
            free(B);
            free(D);
            mallinfo2();
            """)
        #expect(
            steps[1].lines == [
                "A = 0x5555555592a0 (heap+0x2a0), 30736-byte chunk carved from top; brk +0x21000"
            ])
        #expect(
            steps[2].lines == ["B = 0x555555560ab0 (heap+0x7ab0), 40976-byte chunk carved from top"]
        )
        #expect(steps[3].lines[0].hasPrefix("C = 0x7ffff7"))
        #expect(
            steps[3].lines[0].hasSuffix(
                "(mmap), 208896-byte chunk mmapped on its own: at or above the mmap threshold (131072)"
            ))
        // D: 0x2a000 more (102416 + 131072 + 32 - 62800, page-rounded), at heap+0x11ac0.
        #expect(
            steps[4].lines == [
                "D = 0x55555556aac0 (heap+0x11ac0), 102416-byte chunk carved from top; brk +0x2a000"
            ])
        #expect(steps[5].lines == ["munmap of its 208896-byte mapping"])
        #expect(steps[6].lines == ["40976-byte chunk into the unsorted bin"])
        // B + D merge into top (275808), trimmed by 143360 to brk +0x28000.
        #expect(
            steps[7].lines == [
                "102416-byte chunk merged with the free chunk before it into top (top now 275808 bytes); top trimmed: 143360 bytes given back; brk -0x23000"
            ])
        #expect(
            steps[8].lines == [
                "arena = 163840", "ordblks = 1", "smblks = 0", "hblks = 0", "hblkhd = 0",
                "usmblks = 0",
                "fsmblks = 0", "uordblks = 31392", "fordblks = 132448", "keepcost = 132448",
            ])
    }

    @Test func firstCallMmappedIsNotCarvedFromTop() {
        // The first call carves the tcache struct from top, then mmaps the 200 KiB chunk.
        let steps = runMalloc("a = malloc(200 * 1024);")
        #expect(steps[0].lines.count == 1)
        #expect(steps[0].lines[0].hasPrefix("a = 0x7ffff7"))
        #expect(
            steps[0].lines[0].hasSuffix(
                "(mmap), 208896-byte chunk mmapped on its own: at or above the mmap threshold "
                    + "(131072); brk +0x21000 for the tcache struct"))
    }

    @Test func dynamicThresholdIsNamedOnMunmap() {
        let steps = runMalloc("C = malloc(200 * 1024);\nfree(C);")
        #expect(
            steps[1].lines == [
                "munmap of its 208896-byte mapping; mmap threshold raised to 208896, trim threshold to 417792"
            ])
    }

    @Test func tcacheDoubleFreeAbortsAndEnds() {
        let steps = runMalloc("p = malloc(24);\nfree(p);\nfree(p);")
        #expect(steps[1].lines == ["32-byte chunk into tcache bin 0 (1 of 7)"])
        #expect(steps[2].lines == ["free(): double free detected in tcache 2", "Aborted"])
        #expect(steps[2].ends)
        #expect(
            steps[2].paths.map(\.path.id) == [
                "malloc.abort.free(): double free detected in tcache 2"
            ])
        let reuse = runMalloc("p = malloc(24);\nfree(p);\nq = malloc(20);\nmalloc_usable_size(q);")
        #expect(
            reuse[2].lines == [
                "q = 0x5555555592a0 (heap+0x2a0), 32-byte chunk reused from tcache bin 0 (0 left)"
            ])
        #expect(reuse[3].lines == ["24"])
    }

    @Test func mallocStatsPrintsGlibcText() {
        let steps = runMalloc("A = malloc(30 * 1024);\nmalloc_stats();")
        #expect(
            steps[1].lines == [
                "Arena 0:", "system bytes     =     135168", "in use bytes     =      31392",
                "Total (incl. mmap):", "system bytes     =     135168",
                "in use bytes     =      31392",
                "max mmap regions =          0", "max mmap bytes   =          0",
            ])
    }

    func runKernel(_ text: String) throws -> [ScenarioStepResult] {
        var runner = try KernelScenarioRunner(cpus: 2, memoryBytes: 64 << 20)
        let p = program(text, model: .kernel)
        #expect(p.issues.isEmpty)
        return p.statements.map { s in
            let step = runner.execute(s)
            #expect(throws: Never.self) { try runner.machine.checkInvariants() }
            return step
        }
    }

    @Test func kernelApiStatementsSayWhatHappened() throws {
        let steps = try runKernel(
            """
            a = kmalloc(40, GFP_KERNEL_ACCOUNT);
            b = kcalloc(4611686018427387904, 4, GFP_KERNEL);
            c = krealloc(a, 60, GFP_KERNEL);
            c = krealloc(c, 100, GFP_KERNEL);
            v = kvmalloc(100000, GFP_KERNEL);
            w = kvmalloc(8 * 1024 * 1024, GFP_ATOMIC);
            m = kmem_cache_create("my_obj", 200, 0, 0, NULL);
            n = kmem_cache_create("other", 196, 0, 0, NULL);
            r = kmem_cache_create("mine", 200, 0, SLAB_NO_MERGE, NULL);
            kmem_cache_destroy(n);
            kvfree(v);
            """)
        #expect(steps[0].lines[0].contains("object 0 of kmalloc-cg-64"))
        #expect(steps[0].lines[1].hasPrefix("__GFP_ACCOUNT: the kmalloc-cg family"))
        #expect(
            steps[1].lines == [
                "b = NULL",
                "4611686018427387904 × 4 overflows size_t: NULL without a warning (check_mul_overflow)",
            ])
        #expect(steps[2].lines[1].hasPrefix("still fits in what it has (ksize 64)"))
        #expect(steps[3].lines[0].contains("of kmalloc-128"))
        #expect(steps[3].lines[1].hasPrefix("does not fit: a new object"))
        #expect(steps[4].lines[0].contains("order-5 block"))
        #expect(steps[4].lines[1].hasPrefix("kmalloc served it"))
        #expect(steps[5].lines[0] == "w = NULL")
        #expect(
            steps[5].lines.contains(
                "kmalloc failed and a caller that may not sleep gets no vmalloc fallback"))
        #expect(
            steps[7].lines[0]
                == "n = \"other\" merged into the existing cache my_obj (same slot size)")
        #expect(steps[8].lines[1] == "SLAB_NO_MERGE keeps the cache from merging")
        #expect(steps[9].lines[0].contains("only a reference is dropped"))
        #expect(steps[10].lines[0] == "not a vmalloc address: kfree")
    }

    @Test func kmallocNamesTheCacheAndGeometry() throws {
        let steps = try runKernel(
            """
            p = kmalloc(30, GFP_KERNEL);
            q = kmalloc(100, GFP_KERNEL);
            ksize(q);
            r = kmalloc(0, GFP_KERNEL);
            v = vmalloc(4 * 4096);
            cat /proc/vmallocinfo
            """)
        #expect(
            steps[0].lines[0].contains("object 0 of kmalloc-32 (32-byte slots, 128 per 1-page slab")
        )
        #expect(steps[1].lines[0].contains("of kmalloc-128 (128-byte slots, 32 per 1-page slab"))
        #expect(steps[2].lines == ["128"])
        #expect(steps[3].lines == ["r = 0x10 (ZERO_SIZE_PTR): a zero-byte request gets no memory"])
        #expect(
            steps[4].lines[0].hasPrefix(
                "v = 0xffffc90000000000, 4 pages mapped + 1 guard page (20480 bytes reserved)"))
        #expect(
            steps[5].lines.last?.hasPrefix("0xffffc90000000000-0xffffc90000005000   20480 ") == true
        )
    }

    @Test func kernelDoubleFreeEndsWithTheBugReport() throws {
        let steps = try runKernel("p = kmalloc(64, GFP_KERNEL);\nkfree(p);\nkfree(p);")
        #expect(steps[1].lines == [steps[1].lines[0]])
        #expect(steps[2].ends)
        #expect(steps[2].lines.first?.hasPrefix("kernel BUG at mm/slub.c:") == true)
    }
}

/// The per-CPU list option and the kv* helpers as scenario statements.
@Suite struct PerCPUScenarioTests {
    func program(_ text: String, model: ScenarioModelKind) -> ScenarioProgram {
        ScenarioRunnerTests().program(text, model: model)
    }

    func run(_ text: String, version: KernelVersion = .standard, pcp: Bool = true) throws
        -> [ScenarioStepResult]
    {
        var runner = try KernelScenarioRunner(
            cpus: 2, memoryBytes: 64 << 20, version: version, perCPULists: pcp)
        let p = program(text, model: .kernel)
        #expect(p.issues.isEmpty, "\(p.issues)")
        return p.statements.map { s in
            let step = runner.execute(s)
            #expect(throws: Never.self) { try runner.machine.checkInvariants() }
            return step
        }
    }

    @Test func pcpOptionParses() {
        let (options, issues) = ScenarioOptions.parse(
            "scenario kernel pcp=true", line: 1, column: 4)
        #expect(issues.isEmpty && options?.perCPULists == true)
        let (_, bad) = ScenarioOptions.parse("scenario kernel pcp=on", line: 1, column: 4)
        #expect(bad.map(\.message) == ["'pcp' must be 'true' or 'false', found 'on'"])
        let (_, malloc) = ScenarioOptions.parse("scenario malloc pcp=true", line: 1, column: 4)
        #expect(malloc.map(\.message) == ["option 'pcp' applies to the 'kernel' model only"])
    }

    @Test func pagesGoThroughTheListsAndBuddyinfoLags() throws {
        let steps = try run(
            """
            p = alloc_pages(GFP_KERNEL, 0);
            __free_pages(p, 0);
            cat /proc/buddyinfo
            drain_all_pages();
            cat /proc/buddyinfo
            """, version: .v6_1)
        #expect(
            steps[0].lines[1]
                == "CPU 0's order-0 per-CPU list was empty: rmqueue_bulk moved 3 of the 3 blocks asked for from the buddy free lists to its tail (pfn 1048576 first)"
        )
        #expect(
            steps[0].lines.last
                == "pfn 1048576 taken from the head of CPU 0's order-0 per-CPU list (count 2 pages left, high 160)"
        )
        #expect(steps[1].lines[0] == "order-0 block at pfn 1048576 back to the page allocator")
        #expect(
            steps[1].lines[1].hasPrefix(
                "pfn 1048576 pushed on the head of CPU 0's order-0 per-CPU list (count 3 pages, high 160)"
            ))
        #expect(
            steps[2].lines == [
                "Node 0, zone   Normal      1      0      1      1      1      1      1      1      1      1     15 "
            ])
        #expect(
            steps[3].lines[0].hasPrefix(
                "drain_all_pages: free_pcppages_bulk gave 3 blocks (3 pages) back"))
        #expect(
            steps[4].lines == [
                "Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0     16 "
            ])
    }

    @Test func kvHelpersFollowTheRelease() throws {
        let new = try run(
            """
            a = kvmalloc_array(100, 1000, GFP_KERNEL);
            b = kvcalloc(1 << 40, 1 << 40, GFP_KERNEL);
            c = kmalloc(100, GFP_KERNEL);
            c = kvrealloc(c, 120, GFP_KERNEL);
            d = kvrealloc(c, 100, 200, GFP_KERNEL);
            """, pcp: false)
        #expect(new[0].lines[0].contains("order-5 block"))
        #expect(new[0].lines[1].hasPrefix("kmalloc served it"))
        #expect(
            new[1].lines.last?.hasSuffix(
                "overflows size_t: NULL without a warning (check_mul_overflow)") == true)
        #expect(new[3].lines[1] == "not a vmalloc address: krealloc first, kvmalloc if that fails")
        #expect(new[3].lines[0].contains("object 0 of kmalloc-128"))
        #expect(
            new[4].lines == [
                "6.18's kvrealloc takes (p, size, flags); (p, oldsize, newsize, flags) is 6.1's"
            ])
        let old = try run(
            """
            c = kmalloc(100, GFP_KERNEL);
            d = kvrealloc(c, 100, 120, GFP_KERNEL);
            e = kvrealloc(d, 120, 0, GFP_KERNEL);
            """, version: .v6_1, pcp: false)
        #expect(old[1].lines[0].contains("object 1 of kmalloc-128"))
        #expect(old[1].lines[1] == "6.1's kvrealloc never grows in place: kvmalloc, copy, kvfree")
        #expect(
            old[2].lines[1]
                == "oldsize 120 >= newsize 0: 6.1's kvrealloc returns p as it is (nothing is freed)"
        )
    }

    @Test func ksizeOfAVmallocAddressOopses() throws {
        let steps = try run(
            """
            v = vmalloc(10000);
            ksize(v);
            """, pcp: false)
        #expect(steps[1].ends)
        #expect(steps[1].lines.contains { $0.hasPrefix("BUG: unable to handle page fault") })
    }
}

/// `thread T: pthread_exit(NULL);` in a scenario.
@Suite struct ThreadExitScenarioTests {
    @Test func exitSaysWhatGlibcDid() {
        let text = """
            thread T1: p = malloc(100);
            thread T1: free(p);
            thread T1: pthread_exit(NULL);
            thread T2: q = malloc(100);
            """
        let program = ScenarioRunnerTests().program(text, model: .malloc)
        #expect(program.issues.isEmpty)
        var runner = MallocScenarioRunner()
        let steps = program.statements.map { runner.execute($0) }
        #expect(
            steps[2].lines == [
                "T1 exits: tcache_thread_shutdown frees its 1 tcache chunk and the tcache itself into their arenas",
                "arena 1 has no thread left: it goes on the free list for the next new thread",
                "the main thread joins T1: its stack at 0x7ffff75d0000 stays mapped in nptl's stack cache for the next thread",
            ])
        #expect(
            steps[3].lines[0].hasPrefix(
                "pthread_create: T2 reuses the cached stack at 0x7ffff75d0000"))
        #expect(steps[3].lines[0].contains("arena 1 from the free list (its last thread exited)"))
    }

    /// glibc 2.36, measured: after the main thread's pthread_exit a running thread sees
    /// main_arena's in-use bytes unchanged or higher (no tcache flush, no arena detach:
    /// sysdeps/nptl/libc_start_call_main.h runs no __libc_thread_freeres), so the model does
    /// not pretend a thread exit; the statement is an error at its position.
    @Test func mainThreadExitIsAnErrorThatSaysWhy() {
        let program = ScenarioRunnerTests().program(
            "p = malloc(1);\n  pthread_exit(NULL);\nthread main: pthread_exit(NULL);",
            model: .malloc)
        #expect(program.issues.map(\.line) == [2, 3])
        #expect(program.issues.map(\.column) == [3, 14])
        #expect(program.issues.allSatisfy { $0.message == StatementParser.mainThreadExit })
        #expect(StatementParser.mainThreadExit.contains("runs no thread freeres"))
    }

    @Test func pthreadExitTakesNull() {
        let program = ScenarioRunnerTests().program(
            "p = malloc(1);\nthread T1: pthread_exit(p);", model: .malloc)
        #expect(
            program.issues.map(\.message) == [
                "pthread_exit takes NULL here: the model has no return values"
            ])
    }
}
