import Testing

@testable import AllocatorModels

@Suite struct KernelSnapshotTests {
    @Test func snapshotShowsOwnersSlabsAndAreas() throws {
        var machine = try KernelMachine(cpus: 2, memoryBytes: 4 << 20)
        let a = try #require(machine.kmalloc(30).object)
        _ = machine.kmalloc(30)
        _ = machine.kfree(a.address)
        _ = machine.allocPages(.kernel, order: 1)
        guard case .vmalloc(let area)? = machine.vmalloc(8192).pointer else {
            Issue.record("vmalloc failed")
            return
        }
        let s = machine.snapshot()
        #expect(s.totalPages == 1024)
        #expect(s.zoneStartPfn == 0x100000)
        #expect(s.pages.reduce(0) { $0 + $1.count } == 1024)
        #expect(
            Array(s.pages.prefix(6)) == [
                // The order-0 list head (0x100001, left by the first split) goes to the
                // kmalloc-96 slab of the vm_struct; the order-1 block to alloc_pages.
                .init(pfn: 0x100000, count: 1, owner: .slab(cache: "kmalloc-32")),
                .init(pfn: 0x100001, count: 1, owner: .slab(cache: "kmalloc-96")),
                .init(pfn: 0x100002, count: 2, owner: .pages),
                .init(pfn: 0x100004, count: 1, owner: .slab(cache: "vmap_area")),
                // The page array (2 × 8 bytes) opens a kmalloc-16 slab before the frames.
                .init(pfn: 0x100005, count: 1, owner: .slab(cache: "kmalloc-16")),
                .init(pfn: 0x100006, count: 2, owner: .vmalloc),
            ])
        #expect(area.pfns == [0x100006, 0x100007])
        let cache = try #require(s.caches.first { $0.name == "kmalloc-32" })
        #expect(cache.slabs.count == 1)
        #expect(cache.slabs[0].state == .cpu)
        #expect(Array(cache.slabs[0].used.prefix(3)) == [false, true, false])
        #expect(
            s.vmallocAreas == [
                .init(address: area.address, size: 12288, pfns: area.pfns, state: .busy)
            ])
        #expect(s.freeLists.count == 11)
        #expect(
            s.freeLists.enumerated().allSatisfy {
                $0.element.count == machine.buddy.freeCounts[$0.offset]
            })
        _ = machine.vfree(area.address)
        #expect(machine.snapshot().vmallocAreas.map(\.state) == [.unpurged])
    }
}
