/// A thread that exits, as glibc 2.36 runs it: `start_thread` calls `__libc_thread_freeres`,
/// whose last step is `__malloc_arena_thread_freeres` (malloc/arena.c):
/// `tcache_thread_shutdown` (malloc/malloc.c) frees every tcache entry, bin 0 to 63, each
/// bin from its head, and then the `tcache_perthread_struct`, with the tcache already off
/// (`tcache_shutting_down`), so each chunk goes to `_int_free` of its own arena; then the
/// thread's arena loses an attached thread and, at zero, goes on `free_list` for the next
/// `arena_get2`. The main thread then joins it (`pthread_join` → `__nptl_free_tcb` →
/// `__nptl_deallocate_stack`): the stack, with its DTV, goes to nptl's stack cache, which
/// keeps at most 40 MiB (`__nptl_stack_cache_maxsize`) and frees the oldest stacks beyond
/// (nptl/nptl-stack.c `queue_stack`, `__nptl_free_stacks`: `_dl_deallocate_tls` frees the
/// DTV, then munmap).
extension GlibcMalloc {
    /// `__nptl_stack_cache_maxsize`.
    static let stackCacheMaxSize: UInt64 = 40 << 20

    /// The current thread (not the main thread) exits and the main thread joins it.
    ///
    /// The next calls run on the main thread. A later `switchThread(to:)` with the same name starts a
    /// new thread.
    public mutating func exitThread() -> MallocOutcome {
        guard currentThread != 0 else {
            return MallocOutcome(
                fatal: termination
                    ?? .abort("the main thread cannot exit while the program runs (not modelled)"))
        }
        return perform { (m: inout GlibcMalloc) throws(MallocFatal) in
            try m.threadFreeres()
            return nil
        }
    }

    /// `__malloc_arena_thread_freeres` on the current thread, then the join.
    mutating func threadFreeres() throws(MallocFatal) {
        let index = currentThread
        // tcache_thread_shutdown.
        tcacheShuttingDown = true
        defer { tcacheShuttingDown = false }
        var freed = 0
        if tcache != 0 {
            let perThread = tcache
            tcache = 0
            for i in 0..<64 {
                while tcacheEntries[i] != 0 {
                    let e = tcacheEntries[i]
                    if e & 15 != 0 {
                        throw abort("tcache_thread_shutdown(): unaligned tcache chunk detected")
                    }
                    tcacheEntries[i] = Self.protect(e, try ld(e))
                    try st(perThread &+ 128 &+ UInt64(i) * 8, tcacheEntries[i])
                    tcacheCounts[i] -= 1
                    try libcFree(e)
                    freed += 1
                }
            }
            try libcFree(perThread)
        }
        // The arena: detach; the last thread out puts it on the free list.
        var freedArena: Int?
        if let a = threads[index].arena {
            threads[index].arena = nil
            arenas[a].attachedThreads -= 1
            if arenas[a].attachedThreads == 0 {
                freeArenas.append(a)
                freedArena = a
            }
        }
        threads[index].exited = true
        let stack = threads[index].stack
        // The main thread joins: queue_stack, and __nptl_free_stacks above 40 MiB.
        loadThread(0)
        stackCache.insert((stack, threads[index].dtv), at: 0)
        note(
            .threadExited(
                name: threads[index].name, chunks: freed, freedArena: freedArena, stack: stack))
        var cached = UInt64(stackCache.count) * Self.threadStackSize
        while cached > Self.stackCacheMaxSize, let oldest = stackCache.popLast() {
            cached -= Self.threadStackSize
            try libcFree(oldest.dtv)
            space.munmap(oldest.stack, Self.threadStackSize)
            note(.stackUnmapped(stack: oldest.stack))
        }
    }
}
