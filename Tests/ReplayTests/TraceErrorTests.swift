import AllocatorModels
import Replay
import Testing

@Suite struct TraceErrorTests {
    @Test func carriesItsPosition() {
        let error = TraceError(line: 3, column: 8, message: "unknown operation 'mallocc'")
        #expect(error.line == 3)
        #expect(error.column == 8)
    }
}
