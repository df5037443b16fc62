import AllocatorModels
import Replay
import Testing

/// The facts `verify=kernel` compares, as the model's two profiles word them.
@Suite struct KernelTraceFactsTests {
    @Test func theTwoProfilesDifferInTheVmStruct() throws {
        let trace = "kmalloc a 100\nvmalloc v 20000\nvfree v\nkfree a\n"
        let old = try KernelTraceFacts.model(trace, cpus: 2, memoryBytes: 64 << 20, version: .v6_1)
            .get()
        let new = try KernelTraceFacts.model(trace, cpus: 2, memoryBytes: 64 << 20, version: .v6_18)
            .get()
        #expect(old.steps[1].value("vm_struct") == "kmalloc-64")
        #expect(new.steps[1].value("vm_struct") == "kmalloc-96")
        #expect(old.wire == "n 2 0 4\nm 0 100\nv 1 20000\nu 1\nf 0\n")
        #expect(old.steps[1].notCompared == [KernelTraceFacts.pageTablesReason])
    }
}
