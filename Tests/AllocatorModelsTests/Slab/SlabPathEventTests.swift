import Testing

@testable import AllocatorModels

/// The events that say where `slab_alloc_node` found an object and what `slab_free` did with
/// its slab: the coverage report and the step explanations are built on them.
@Suite struct SlabPathEventTests {
    private struct Recorder {
        var machine: KernelMachine
        var sources: [SlabAllocationSource] = []
        var frees: [SlabFreePath] = []

        mutating func kmalloc(_ size: UInt64) throws -> UInt64 {
            let outcome = machine.kmalloc(size)
            for case .slabAllocated(let cache, let source) in outcome.events {
                #expect(cache == "kmalloc-1k")
                sources.append(source)
            }
            try machine.checkInvariants()
            return try #require(outcome.object).address
        }

        mutating func kfree(_ address: UInt64) throws {
            let outcome = machine.kfree(address)
            for case .slabFreed(_, let path) in outcome.events { frees.append(path) }
            try machine.checkInvariants()
        }
    }

    @Test func aFreshCacheTakesANewSlabThenUsesItsCPUSlab() throws {
        var r = Recorder(machine: try KernelMachine())
        for _ in 0..<17 { _ = try r.kmalloc(1000) }
        // 16 objects per 4-page slab: a new slab, 15 from the CPU slab, then a second new slab.
        #expect(r.sources == [.newSlab] + Array(repeating: .cpuSlab, count: 15) + [.newSlab])
    }

    @Test func everyAllocationSourceAndFreePathIsReported() throws {
        var r = Recorder(machine: try KernelMachine())
        var objects: [UInt64] = []
        for _ in 0..<(16 * 24) { objects.append(try r.kmalloc(1000)) }
        // One free in each full slab: to the CPU partial list, which drains to the node.
        for k in stride(from: 0, to: objects.count - 16, by: 16) { try r.kfree(objects[k]) }
        // Empty the first eight slabs completely.
        for k in 0..<128 where k % 16 != 0 { try r.kfree(objects[k]) }
        let before = r.sources.count
        for _ in 0..<(16 * 16) { _ = try r.kmalloc(1000) }
        let later = Set(r.sources[before...])
        #expect(later.contains(.cpuPartial))
        #expect(later.contains(.nodePartial))
        #expect(later.contains(.cpuSlab))
        #expect(Set(r.frees).isSuperset(of: [.toCpuPartial, .stayed, .discarded]))
        // An object of the CPU slab goes back by the fast path.
        try r.kfree(try r.kmalloc(1000))
        #expect(r.frees.last == .cpuSlab)
    }
}
