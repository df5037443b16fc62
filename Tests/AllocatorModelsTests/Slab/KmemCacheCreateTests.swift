import Testing

@testable import AllocatorModels

@Suite struct KmemCacheCreateTests {
    @Test func hwcacheAlignRoundsTheSlotToACacheLine() throws {
        var machine = try KernelMachine()
        let (cache, outcome) = machine.kmemCacheCreate(
            name: "foo", size: 100, align: 0, flags: .hwcacheAlign, constructor: false)
        #expect(cache?.servedBy == "foo")
        #expect(
            outcome.events == [
                .cacheCreated(name: "foo", geometry: SlabGeometry(size: 128, cpus: 2))
            ])
        let small = machine.kmemCacheCreate(
            name: "small", size: 20, align: 0, flags: .hwcacheAlign, constructor: false)
        #expect(
            small.outcome.events == [
                .cacheCreated(name: "small", geometry: SlabGeometry(size: 32, cpus: 2))
            ])
    }

    @Test func aConstructorMovesTheFreePointerOutAndForbidsMerging() throws {
        var machine = try KernelMachine()
        let a = machine.kmemCacheCreate(
            name: "a", size: 100, align: 0, flags: [], constructor: true)
        #expect(
            a.outcome.events == [
                .cacheCreated(name: "a", geometry: SlabGeometry(size: 112, cpus: 2))
            ])
        let b = machine.kmemCacheCreate(
            name: "b", size: 104, align: 0, flags: [], constructor: false)
        #expect(b.cache?.servedBy == "b")
    }

    @Test func mergingFollowsFindMergeable() throws {
        var machine = try KernelMachine()
        // 65..72 bytes fit the 72-byte vmap_area cache, the oldest mergeable one.
        #expect(machine.kmemCacheCreate(name: "c", size: 70).cache?.servedBy == "vmap_area")
        // 64 is 8 bytes smaller than 72: not merged.
        #expect(machine.kmemCacheCreate(name: "d", size: 64).cache?.servedBy == "d")
        // SLAB_ACCOUNT must match.
        let e = machine.kmemCacheCreate(
            name: "e", size: 64, align: 0, flags: .account, constructor: false)
        #expect(e.cache?.servedBy == "e")
        #expect(machine.kmemCacheCreate(name: "f", size: 60).cache?.servedBy == "d")
        #expect(
            machine.kmemCacheCreate(
                name: "g", size: 60, align: 0, flags: .noMerge, constructor: false
            ).cache?
            .servedBy == "g")
        // align 16 rounds 72 up to 80, larger than every mergeable cache.
        #expect(
            machine.kmemCacheCreate(name: "h", size: 72, align: 16, flags: [], constructor: false)
                .cache?
                .servedBy == "h")
        let names = machine.slabinfo().split(separator: "\n").dropFirst(2).map {
            $0.split(separator: " ")[0]
        }
        #expect(Array(names.prefix(5)) == ["h", "g", "e", "d", "vmap_area"])
        #expect(
            machine.kmemCacheCreate(name: "bad", size: 8, align: 3, flags: [], constructor: false)
                .cache == nil)
        try machine.checkInvariants()
    }
}
