import AllocatorModels
import Replay
import Testing

/// The trace operations of the rest of the API and the `thread NAME:` prefix.
@Suite struct GlibcTraceAPIParserTests {
    @Test func parsesTheNewOperationsAndThreads() throws {
        let trace = try GlibcTrace.parse(
            """
            memalign A 64 100
            thread T1: posix_memalign B 256 1000
            thread T1: aligned_alloc C 4096 10
            valloc D 1
            thread T2: pvalloc E 0
            malloc_usable_size A+16
            thread main: malloc_trim 128K
            thread T1: read B+8
            mallopt M_PERTURB 0x55
            mallopt M_ARENA_MAX 2

            """
        ).get()
        #expect(
            trace.operations == [
                .aligned(slot: 0, .memalign, alignment: 64, size: 100),
                .aligned(slot: 1, .posixMemalign, alignment: 256, size: 1000),
                .aligned(slot: 2, .alignedAlloc, alignment: 4096, size: 10),
                .aligned(slot: 3, .valloc, alignment: 4096, size: 1),
                .aligned(slot: 4, .pvalloc, alignment: 4096, size: 0),
                .usableSize(slot: 0, offset: 16), .trim(pad: 128 << 10),
                .read(slot: 1, offset: 8), .mallopt(.perturb, 0x55), .mallopt(.arenaMax, 2),
            ])
        #expect(trace.threadNames == ["main", "T1", "T2"])
        #expect(trace.threads == [0, 1, 1, 0, 2, 0, 0, 1, 0, 0])
    }

    @Test func aTraceWithoutThreadsHasNoThreadList() throws {
        #expect(try GlibcTrace.parse("malloc A 1\nfree A\n").get().threads.isEmpty)
    }

    @Test func reportsMalformedThreadsAndOperations() {
        let found: [TraceError]
        switch GlibcTrace.parse(
            """
            thread T1 malloc A 1
            thread T-1: malloc A 1
            thread T1:
            memalign A 64
            read Z+8
            malloc B 8
            read B+4
            malloc_trim
            """)
        {
        case .success: found = []
        case .failure(let list): found = list.errors
        }
        #expect(
            found == [
                TraceError(line: 1, column: 8, message: "expected 'thread NAME: OPERATION'"),
                TraceError(line: 2, column: 8, message: "expected 'thread NAME: OPERATION'"),
                TraceError(line: 3, column: 8, message: "expected 'thread NAME: OPERATION'"),
                TraceError(line: 4, column: 14, message: "'memalign' expects ID ALIGN SIZE"),
                TraceError(line: 5, column: 6, message: "unknown ID 'Z'"),
                TraceError(line: 7, column: 6, message: "offset in 'B+4' is not a multiple of 8"),
                TraceError(line: 8, column: 12, message: "'malloc_trim' expects PAD"),
            ])
    }
}
