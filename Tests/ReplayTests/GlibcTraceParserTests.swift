import AllocatorModels
import Replay
import Testing

@Suite struct GlibcTraceParserTests {
    func errors(_ text: String) -> [TraceError] {
        switch GlibcTrace.parse(text) {
        case .success: []
        case .failure(let list): list.errors
        }
    }

    @Test func parsesEveryOperation() throws {
        let trace = try GlibcTrace.parse(
            """
            # a comment
            malloc A 30K   # trailing comment
            calloc B 4 0x10
            realloc A 1M
            free A+16
            free B
            mallopt M_MMAP_THRESHOLD 131072
            mallopt M_MXFAST -1

            """
        ).get()
        #expect(
            trace.operations == [
                .malloc(slot: 0, size: 30 << 10), .calloc(slot: 1, count: 4, size: 16),
                .realloc(slot: 0, size: 1 << 20), .free(slot: 0, offset: 16),
                .free(slot: 1, offset: 0),
                .mallopt(.mmapThreshold, 131072), .mallopt(.mxfast, -1),
            ])
        #expect(trace.lines == [2, 3, 4, 5, 6, 7, 8])
        #expect(trace.slotNames == ["A", "B"])
    }

    @Test func reportsEveryMalformedLineWithItsColumn() {
        let found = errors(
            """
            mallocc A 10
            malloc A
            malloc A 10 20
            malloc A 12x
            free Z
            free A+zz
            realloc Q 5
            mallopt M_FOO 1
            mallopt M_TOP_PAD 3000000000
            malloc A-1 8
              calloc B 1
            """)
        #expect(
            found == [
                TraceError(line: 1, column: 1, message: "unknown operation 'mallocc'"),
                TraceError(line: 2, column: 9, message: "'malloc' expects ID SIZE"),
                TraceError(line: 3, column: 13, message: "unexpected '20'"),
                TraceError(line: 4, column: 10, message: "invalid size '12x'"),
                TraceError(line: 5, column: 6, message: "unknown ID 'Z'"),
                TraceError(line: 6, column: 8, message: "invalid offset 'zz'"),
                TraceError(line: 7, column: 9, message: "unknown ID 'Q'"),
                TraceError(line: 8, column: 9, message: "unknown mallopt parameter 'M_FOO'"),
                TraceError(line: 9, column: 19, message: "invalid value '3000000000'"),
                TraceError(line: 10, column: 8, message: "invalid ID 'A-1'"),
                TraceError(line: 11, column: 13, message: "'calloc' expects ID NMEMB SIZE"),
            ])
    }

    @Test func rejectsSizesThatOverflow() {
        #expect(
            errors("malloc A 0xffffffffffffffffK\n")
                == [TraceError(line: 1, column: 10, message: "invalid size '0xffffffffffffffffK'")])
        #expect(errors("malloc A 18446744073709551615\n").isEmpty)
        #expect(
            errors("malloc A 18446744073709551616\n")
                == [TraceError(line: 1, column: 10, message: "invalid size '18446744073709551616'")]
        )
    }

    @Test func nothingRunsWhenALineIsMalformed() {
        var lines: [String] = []
        let found = GlibcTraceRunner.run("malloc A 10\nfree B\n") { lines.append($0) }
        #expect(found == [TraceError(line: 2, column: 6, message: "unknown ID 'B'")])
        #expect(lines.isEmpty)
    }

    @Test func parsesTheWriteExtension() throws {
        let trace = try GlibcTrace.parse("malloc A 40\nwrite A+40 0x10\n").get()
        #expect(trace.operations[1] == .write(slot: 0, offset: 40, value: 16))
        #expect(
            errors("malloc A 40\nwrite A+4 1\nwrite A\n") == [
                TraceError(line: 2, column: 7, message: "offset in 'A+4' is not a multiple of 8"),
                TraceError(line: 3, column: 8, message: "'write' expects ID+OFFSET VALUE"),
            ])
    }

    @Test func acceptsCarriageReturnsAndTabs() throws {
        let trace = try GlibcTrace.parse("malloc\tA\t10\r\nfree A\r\n").get()
        #expect(trace.operations == [.malloc(slot: 0, size: 10), .free(slot: 0, offset: 0)])
    }
}
