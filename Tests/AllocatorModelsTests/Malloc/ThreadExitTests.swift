import Testing

@testable import AllocatorModels

/// Threads that exit, each rule from glibc 2.36's source (malloc/arena.c
/// `__malloc_arena_thread_freeres`, `get_free_list`, `reused_arena`; malloc/malloc.c
/// `tcache_thread_shutdown`; nptl/nptl-stack.c `queue_stack`, `__nptl_free_stacks`;
/// nptl/allocatestack.c `get_cached_stack`); the same traces agree with the real glibc in
/// GlibcDifferentialTests.
@Suite struct ThreadExitTests {
    @Test func exitGivesTheTcacheBackAndFreesTheArena() throws {
        var m = GlibcMalloc()
        _ = m.switchThread(to: "T1")
        let a = try #require(m.malloc(100).pointer)
        let b = try #require(m.malloc(200).pointer)
        _ = m.free(a)
        _ = m.free(b)
        let arena = try #require(m.arenaIndex(of: a))
        #expect(arena == 1)
        let exit = m.exitThread()
        // Two tcache entries, then the tcache itself; arena 1 has no thread left.
        #expect(
            exit.events.contains(
                .threadExited(name: "T1", chunks: 2, freedArena: 1, stack: exitStack(exit))))
        try m.checkInvariants()
        #expect(m.currentThreadName == "main")
        // The next thread takes arena 1 from the free list and reuses T1's stack.
        let next = m.switchThread(to: "T2")
        #expect(next.events.contains(.stackReused(stack: exitStack(exit))))
        let c = m.malloc(100)
        #expect(c.events.contains(.arenaFromFreeList(arena: 1)))
        #expect(m.arenaIndex(of: c.pointer ?? 0) == 1)
        try m.checkInvariants()
    }

    func exitStack(_ outcome: MallocOutcome) -> UInt64 {
        for case .threadExited(_, _, _, let stack) in outcome.events { return stack }
        return 0
    }

    @Test func aSharedArenaStaysAttached() throws {
        var m = GlibcMalloc()
        _ = m.mallopt(.arenaMax, Int32(1))
        _ = m.switchThread(to: "T1")
        _ = m.malloc(30)
        let exit = m.exitThread()
        // With M_ARENA_MAX 1 T1 shared main_arena, which the main thread still holds.
        #expect(
            exit.events.contains(
                .threadExited(name: "T1", chunks: 0, freedArena: nil, stack: exitStack(exit))))
        try m.checkInvariants()
    }

    @Test func theStackCacheKeepsFortyMebibytes() throws {
        var m = GlibcMalloc()
        var unmapped = 0
        for i in 1...7 {
            _ = m.switchThread(to: "T\(i)")
            _ = m.malloc(64)
        }
        for i in 1...7 {
            _ = m.switchThread(to: "T\(i)")
            let exit = m.exitThread()
            unmapped +=
                exit.events.filter { if case .stackUnmapped = $0 { true } else { false } }.count
            try m.checkInvariants()
        }
        // 8 MiB + 4 KiB each: four fit in 40 MiB, the fifth, sixth and seventh push one out.
        #expect(unmapped == 3)
    }

    @Test func theMainThreadCannotExit() {
        var m = GlibcMalloc()
        #expect(m.exitThread().fatal != nil)
    }
}
