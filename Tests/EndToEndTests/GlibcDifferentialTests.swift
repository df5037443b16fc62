import AllocatorModels
import Replay
import SiteBuilder
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Replays traces through the model and through the real glibc (`glibc-replay`) and demands that
/// every line agrees.
///
/// The model's invariants are checked after every step.
@Suite struct GlibcDifferentialTests {
    /// Runs the model on a trace, checking invariants after each step (up to the first
    /// `write`, which corrupts the heap on purpose).
    static func model(_ trace: String) throws -> [String] {
        let parsed = try GlibcTrace.parse(trace).get()
        let firstWrite =
            parsed.operations.firstIndex {
                if case .write = $0 { true } else { false }
            } ?? parsed.operations.count
        var lines: [String] = []
        var violations: [String] = []
        GlibcTraceRunner.replay(
            parsed, quiet: false, cpus: hostCPUs, layout: hostLayout,
            afterEachStep: { model in
                guard lines.count < firstWrite else { return }
                do throws(MallocInvariantError) {
                    try model.checkInvariants()
                } catch {
                    if violations.count < 3 {
                        violations.append("step \(lines.count + 1): \(error.message)")
                    }
                }
            },
            emit: { lines.append($0) })
        #expect(violations.isEmpty, "invariants: \(violations)")
        return lines
    }

    /// What `__get_nprocs` reports on this host (Debian's glibc counts the online CPUs): the
    /// arena limit of the real process.
    static let hostCPUs = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// Where the real process's mmaps go (it moves with /etc/ld.so.cache); the model places its
    /// mappings the same way for the comparison.
    static let hostLayout = (try? GlibcReplayRunner().layout()) ?? MmapLayout()

    /// Compares the model with real glibc; returns the number of agreeing steps.
    @discardableResult
    static func compare(_ trace: String, _ label: String) throws -> Int {
        let expected = try GlibcReplayRunner().run(trace)
        let actual = try model(trace)
        let mismatch = zip(expected, actual).enumerated().first { $0.element.0 != $0.element.1 }
        if let mismatch {
            Issue.record(
                """
                \(label): step \(mismatch.offset + 1) differs
                glibc: \(mismatch.element.0)
                model: \(mismatch.element.1)
                """)
            return mismatch.offset
        }
        #expect(
            expected.count == actual.count, "\(label): \(expected.count) vs \(actual.count) lines")
        return expected.count
    }

    static let stepsPerTrace = 600
    static let seeds: [UInt64] = [1, 2, 3, 4, 5]

    /// Every regime: the first seven (malloc, calloc, realloc, free, mallopt) and those of the
    /// rest of the API: aligned allocators, malloc_usable_size, malloc_trim with its resident
    /// pages, every mallopt parameter with M_PERTURB's bytes through `read`, threads and arenas.
    @Test(arguments: GlibcTraceGenerator.Regime.allCases)
    func randomTracesAgree(regime: GlibcTraceGenerator.Regime) throws {
        for seed in Self.seeds {
            let trace = GlibcTraceGenerator.make(regime, seed: seed, steps: Self.stepsPerTrace)
            let agreed = try Self.compare(trace, "\(regime) seed \(seed)")
            #expect(agreed == Self.stepsPerTrace)
        }
    }

    /// Ten threads, each with an arena of its own (the limit, 8 per CPU, is computed once 9
    /// arenas exist), DTVs and stacks, cross-thread frees, malloc_trim over every arena.
    static let tenThreads = """
        thread T1: malloc a 100
        thread T1: malloc big 200000
        thread T1: free a
        malloc m 50
        thread T2: calloc c 10 100
        thread T2: free m
        free c
        thread T1: malloc x 70000
        thread T1: malloc y 70000
        thread T1: malloc z 70000
        thread T1: free y
        thread T1: free x
        thread T1: free z
        thread T3: memalign q 4096 100
        thread T4: malloc w 10
        thread T5: malloc w5 10
        thread T6: malloc w6 10
        thread T7: malloc w7 10
        thread T8: malloc w8 10
        thread T9: malloc w9 10
        thread T10: malloc w10 10
        malloc_trim 0
        thread T10: free w10
        thread T1: realloc w9 5000

        """

    /// M_ARENA_MAX 3: threads B to E share arenas (reused_arena: main, then the newest first);
    /// A's 64 MiB heap fills up and a second heap is mapped; frees, trims and a realloc
    /// across threads.
    static let sharedArenas = """
        mallopt M_ARENA_MAX 3
        mallopt M_MMAP_THRESHOLD 40M
        thread A: malloc a1 20M
        thread A: malloc a2 20M
        thread A: malloc a3 20M
        thread A: malloc a4 20M
        thread A: malloc a5 100
        thread B: malloc b1 1000
        thread C: malloc c1 1000
        thread D: malloc d1 1000
        thread E: malloc e1 1000
        thread A: free a4
        thread A: free a5
        thread A: free a3
        thread A: free a2
        malloc_trim 0
        thread B: free a1
        thread C: free b1
        thread E: malloc e2 300000
        thread E: free e2
        free c1
        thread D: realloc d1 100000
        thread D: realloc d1 10

        """

    @Test func threadsAndArenasAgree() throws {
        #expect(try Self.compare(Self.tenThreads, "ten threads") == 24)
        #expect(try Self.compare(Self.sharedArenas, "shared arenas") == 23)
    }

    /// Threads that exit: tcache_thread_shutdown gives the tcache back (mallinfo2's free
    /// chunks change at the exit step), the arena goes on the free list and the next thread's
    /// first malloc gets it (same addresses as T1's), a shared arena stays attached, and seven
    /// stacks in nptl's cache exceed 40 MiB: the oldest are unmapped and their DTVs freed into
    /// the main thread's tcache, which `malloc z 272` then hands out.
    static let exitingThreads: String = {
        var lines = [
            "thread T1: malloc a 100", "thread T1: malloc b 200", "thread T1: free a",
            "thread T1: free b", "thread T1: exit", "thread T2: malloc c 100",
            "thread T2: malloc d 200", "thread T1: malloc e 40", "thread T2: exit",
            "thread T1: exit",
        ]
        for i in 3...9 {
            lines += ["thread T\(i): malloc x\(i) \(64 * i)", "thread T\(i): free x\(i)"]
        }
        for i in 3...9 { lines.append("thread T\(i): exit") }
        lines += [
            "malloc z 272", "malloc y 272", "thread T10: malloc w 30", "thread T11: malloc v 30",
        ]
        lines += ["mallopt M_ARENA_MAX 1", "thread T12: malloc u 30", "thread T12: exit"]
        lines += ["thread T13: malloc t 30", "free t"]
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func exitingThreadsAgree() throws {
        #expect(try Self.compare(Self.exitingThreads, "exiting threads") == 40)
    }

    static let seedStory = """
        malloc A 30720
        malloc B 40960
        malloc C 204800
        malloc D 102400
        free C
        free B
        free D

        """

    @Test func seedStoryAgrees() throws {
        try Self.compare(Self.seedStory, "seed story")
        try Self.compare("mallopt M_MMAP_THRESHOLD 131072\n" + Self.seedStory, "seed story, fixed")
    }

    static let aborts: [(String, String)] = [
        ("malloc a 24\nfree a\nfree a\n", "free(): double free detected in tcache 2"),
        (
            (1...7).map { "malloc t\($0) 24\n" }.joined() + "malloc x 24\nmalloc g 24\n"
                + (1...7).map { "free t\($0)\n" }.joined() + "free x\nfree x\n",
            "double free or corruption (fasttop)"
        ),
        ("malloc a 2000\nfree a\nfree a\n", "double free or corruption (top)"),
        ("malloc a 2000\nmalloc g 100\nfree a\nfree a\n", "double free or corruption (!prev)"),
        ("malloc a 40\nfree a+16\n", "free(): invalid pointer"),
        ("malloc a 40\nfree a+1\n", "free(): invalid pointer"),
        ("malloc a 5000\nmalloc g 10\nfree a+1\n", "munmap_chunk(): invalid pointer"),
        ("malloc a 2000\nmalloc g 10\nfree a+1\n", "munmap_chunk(): invalid pointer"),
        (seedStory + "free D\n", "corrupted size vs. prev_size while consolidating"),
        (
            "mallopt M_MMAP_THRESHOLD 131072\n" + seedStory + "free D\n",
            "double free or corruption (out)"
        ),
        (seedStory + "free B\n", "double free or corruption (top)"),
        // With the `write` extension: corrupted headers.
        ("malloc a 40\nmalloc b 40\nwrite a+40 0x10\nfree b\n", "free(): invalid size"),
        (
            "malloc a 2000\nmalloc b 2000\nmalloc g 10\nwrite a+2008 0x100001\nfree a\n",
            "free(): invalid next size (normal)"
        ),
        (
            (1...7).map { "malloc t\($0) 24\n" }.joined() + "malloc x 24\nmalloc y 24\n"
                + (1...7).map { "free t\($0)\n" }.joined() + "write x+24 0x100001\nfree x\n",
            "free(): invalid next size (fast)"
        ),
        (
            "malloc a 2000\nmalloc b 2000\nmalloc g 10\nwrite a+2008 0x11\nfree a\n",
            "corrupted size vs. prev_size"
        ),
        // free(p+1) of a 66855-byte chunk reads 0x105 as the header: NON_MAIN_ARENA makes glibc
        // read the heap_info 64 MiB below, which is unmapped (checked on the real glibc).
        ("malloc a 66855\nfree a+1\n", "SIGSEGV"),
        // Zeroing a fastbin link: the mallinfo2() call after the step reveals it as the heap
        // address >> 12, which is misaligned: glibc's int_mallinfo aborts, as the model does.
        (
            (1...7).map { "malloc t\($0) 24\n" }.joined() + "malloc x 24\nmalloc g 24\n"
                + (1...7).map { "free t\($0)\n" }.joined() + "free x\nwrite x 0\n",
            "int_mallinfo(): unaligned fastbin chunk detected"
        ),
        (
            "malloc a 2000\nmalloc b 2000\nwrite a+2008 0x7e0\nfree b\n",
            "corrupted size vs. prev_size while consolidating"
        ),
    ]

    @Test func abortsAgree() throws {
        for (trace, message) in Self.aborts {
            try Self.compare(trace, message)
            let last = try Self.model(trace).last ?? ""
            let ending =
                message == "SIGSEGV" ? "\"signal\":\"SIGSEGV\"}" : "\"abort\":\"\(message)\"}"
            #expect(last.hasSuffix(ending), "\(message): \(last)")
        }
    }

    /// NULL returns (PTRDIFF_MAX, calloc overflow, 1 TiB), realloc to 0, every mallopt
    /// parameter at its edges (M_MXFAST 0, M_MMAP_MAX 0 and -1, M_TOP_PAD 0, thresholds 0 and
    /// -1), brk growth to 1 GiB and trimming back.
    static let edgeCases = """
        malloc z 0
        malloc h 0x7fffffffffffffff
        malloc h2 0x7ffffffffffffff0
        malloc h3 0x4000000000000000
        calloc c 0x100000000 0x100000000
        calloc c2 0 5
        malloc a 100
        realloc a 0x7ffffffffffffff0
        realloc a 0
        free a
        mallopt M_MXFAST 0
        malloc f1 20
        malloc f2 20
        free f1
        mallopt M_MMAP_MAX 0
        malloc big 3M
        free big
        mallopt M_MMAP_MAX -1
        malloc big2 300000
        mallopt M_TOP_PAD 0
        malloc s 5000
        free s
        mallopt M_TRIM_THRESHOLD 0
        malloc s2 70000
        free s2
        mallopt M_MMAP_THRESHOLD -1
        malloc m 100000000
        free m
        malloc g 1024G
        malloc g2 1G
        free g2

        """

    @Test func edgeCasesAgree() throws {
        let agreed = try Self.compare(Self.edgeCases, "edge cases")
        #expect(agreed == 31)
    }

    /// The spec's §8 "fake header" row: a forged 0x31 header makes free(p+16) put a 48-byte
    /// chunk into tcache silently, and the next malloc(40) returns it.
    @Test func aFakeChunkEntersTcacheSilently() throws {
        let trace = "malloc a 100\nwrite a+8 0x31\nfree a+16\nmalloc b 40\n"
        #expect(try Self.compare(trace, "fake chunk") == 4)
        #expect(
            try Self.model(trace).last?.hasPrefix(#"{"step":4,"ptr":{"heap":"0x2b0","chunk":48}"#)
                == true)
    }

    @Test func writingOutsideTheMappingsIsASegfault() throws {
        let trace = "malloc a 2000\nwrite a+4000000 1\n"
        try Self.compare(trace, "write segfault")
        #expect(try Self.model(trace).last == "{\"step\":2,\"signal\":\"SIGSEGV\"}")
    }

    @Test func secondFreeOfAnUnmappedChunkIsASegfault() throws {
        let trace = "malloc c 204800\nfree c\nfree c\n"
        try Self.compare(trace, "segfault")
        #expect(try Self.model(trace).last == "{\"step\":3,\"signal\":\"SIGSEGV\"}")
    }
}
