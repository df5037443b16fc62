import Testing

@testable import AllocatorModels

@Suite struct SlubBehaviourTests {
    @Test func freshSlabHandsOutAscendingAddressesAndReusesLastInFirstOut() throws {
        var machine = try KernelMachine()
        let a = try #require(machine.kmalloc(30).object)
        let b = try #require(machine.kmalloc(30).object)
        let c = try #require(machine.kmalloc(30).object)
        #expect(a.address == 0xffff_8881_0000_0000)
        #expect(b.address == a.address + 32)
        #expect(c.address == a.address + 64)
        #expect([a.index, b.index, c.index] == [0, 1, 2])
        _ = machine.kfree(a.address)
        _ = machine.kfree(c.address)
        #expect(machine.kmalloc(20).object?.address == c.address)
        #expect(machine.kmalloc(20).object?.address == a.address)
        try machine.checkInvariants()
    }

    @Test func aSlabOfTheCacheOrderComesFromTheBuddyAllocator() throws {
        var machine = try KernelMachine()
        let outcome = machine.kmalloc(600)
        let object = try #require(outcome.object)
        #expect(object.cache == "kmalloc-1k")
        #expect((object.objectsPerSlab, object.pagesPerSlab) == (16, 4))
        guard case .buddyAllocated(let allocation) = outcome.events.first else {
            Issue.record("no buddy allocation")
            return
        }
        #expect(allocation.block.order == 2)
        #expect(allocation.source.order == 10)
        #expect(allocation.splits.map(\.order) == [9, 8, 7, 6, 5, 4, 3, 2])
        // 16 objects per slab: the 17th needs a second slab.
        for _ in 1..<16 { #expect(machine.kmalloc(1024).newSlabs == 0) }
        #expect(machine.kmalloc(1024).newSlabs == 1)
        try machine.checkInvariants()
    }

    @Test func emptySlabsGoBackOnlyPastMinPartial() throws {
        // kmalloc-4k: 8 objects per slab (2 CPUs), min_partial 6, cpu_partial_slabs 2.
        var machine = try KernelMachine(cpus: 2, memoryBytes: 64 << 20)
        var objects: [UInt64] = []
        for _ in 0..<(8 * 12) {
            objects.append(try #require(machine.kmalloc(4096).object).address)
        }
        try machine.checkInvariants()
        var discarded = 0
        for address in objects {
            discarded += machine.kfree(address).discardedSlabs
            try machine.checkInvariants()
        }
        // Frees in allocation order. cpu_partial_slabs = 2: slabs 0 and 1 park (empty) on the
        // CPU partial list; every second full slab that gets a free drains the list to the
        // node. The first three drains add 6 slabs (nr_partial reaches min_partial 6); the
        // drains at slabs 8 and 10 discard slabs 7, 6, 9, 8. Slab 10 stays on the CPU partial
        // list, slab 11 is the CPU slab.
        #expect(discarded == 4)
        let expected =
            "kmalloc-4k            16     64   4096    8    8 : tunables    0    0    0 : slabdata      8      8      0"
        #expect(machine.slabinfo().split(separator: "\n").contains { $0 == expected })
    }

    @Test func immediateDoubleFreeIsAKernelBug() throws {
        var machine = try KernelMachine()
        let a = try #require(machine.kmalloc(64).object)
        _ = machine.kfree(a.address)
        let second = machine.kfree(a.address)
        #expect(
            second.bug == "kernel BUG at mm/slub.c:634!\nOops: invalid opcode: 0000 [#1] SMP NOPTI")
        #expect(machine.isDead)
        #expect(machine.kmalloc(8).pointer == nil)
    }

    @Test func nonAdjacentDoubleFreeSilentlyHandsTheObjectOutTwice() throws {
        var machine = try KernelMachine()
        let a = try #require(machine.kmalloc(64).object)
        let b = try #require(machine.kmalloc(64).object)
        _ = machine.kfree(a.address)
        _ = machine.kfree(b.address)
        let again = machine.kfree(a.address)
        #expect(again.bug == nil)
        #expect(again.warnings.isEmpty)
        #expect(again.events.contains(.freelistCorrupted(cache: "kmalloc-64", address: a.address)))
        // freelist: a -> b -> a -> b ...
        #expect(machine.kmalloc(64).object?.address == a.address)
        #expect(machine.kmalloc(64).object?.address == b.address)
        let third = machine.kmalloc(64)
        #expect(third.object?.address == a.address)
        #expect(third.events.contains(.handedOutTwice(cache: "kmalloc-64", address: a.address)))
    }

    @Test func slabDebugReportsADoubleFreeAndKeepsRunning() throws {
        var machine = try KernelMachine(cpus: 2, memoryBytes: 64 << 20, slabDebug: true)
        let a = try #require(machine.kmalloc(64).object)
        let b = try #require(machine.kmalloc(64).object)
        _ = machine.kfree(a.address)
        let report = try #require(machine.kfree(a.address).warnings.first)
        let expected = """
            =============================================================================
            BUG kmalloc-64 (Not tainted): Object already free
            -----------------------------------------------------------------------------

            Slab 0xffffea0004000000 objects=64 used=1 fp=0xffff888100000000 flags=0x20000000000000(node=0|zone=2)
            Object 0xffff888100000000 @offset=0 fp=0xffff888100000080
            FIX kmalloc-64: Object at 0xffff888100000000 not freed
            """
        #expect(report == expected)
        #expect(!machine.isDead)
        _ = machine.kfree(b.address)
        let second = try #require(machine.kfree(b.address).warnings.first)
        #expect(
            second.contains("BUG kmalloc-64 (Tainted: G    B   W          ): Object already free"))
        try machine.checkInvariants()
    }

    @Test func slabDebugReportsAnInvalidPointer() throws {
        var machine = try KernelMachine(cpus: 2, memoryBytes: 64 << 20, slabDebug: true)
        let a = try #require(machine.kmalloc(64).object)
        let report = try #require(machine.kfree(a.address + 8).warnings.first)
        #expect(
            report.contains(
                "BUG kmalloc-64 (Not tainted): Invalid object pointer 0xffff888100000008"))
        #expect(report.hasSuffix("FIX kmalloc-64: Object at 0xffff888100000008 not freed"))
        try machine.checkInvariants()
    }

    @Test func slabinfoCountsCpuSlabFreeObjectsAsActive() throws {
        var machine = try KernelMachine()
        _ = machine.kmalloc(96)
        let expected =
            "kmalloc-96            42     42     96   42    1 : tunables    0    0    0 : slabdata      1      1      0"
        #expect(machine.slabinfo().split(separator: "\n").contains { $0 == expected })
    }

    @Test func slabinfoReproducesTheRealKmalloc8kLine() throws {
        var machine = try KernelMachine()
        for _ in 0..<36 { _ = machine.kmalloc(8192) }
        let expected =
            "kmalloc-8k            36     36   8192    4    8 : tunables    0    0    0 : slabdata      9      9      0"
        #expect(machine.slabinfo().split(separator: "\n").contains { $0 == expected })
        #expect(
            machine.slabinfo().hasPrefix(
                """
                slabinfo - version: 2.1
                # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>
                """))
    }

    @Test func kmemCacheCreateAllocFreeAndMerging() throws {
        var machine = try KernelMachine()
        let (foo, created) = machine.kmemCacheCreate(name: "foo", size: 100)
        let cache = try #require(foo)
        #expect(
            created.events == [
                .cacheCreated(name: "foo", geometry: SlabGeometry(size: 104, cpus: 2))
            ])
        let object = try #require(machine.kmemCacheAlloc(cache).object)
        #expect(object.cache == "foo")
        #expect(object.objectSize == 104)
        #expect(object.objectsPerSlab == 39)
        let (bar, merged) = machine.kmemCacheCreate(name: "bar", size: 98)
        #expect(bar?.servedBy == "foo")
        #expect(merged.events == [.cacheMerged(name: "bar", into: "foo")])
        let lines = machine.slabinfo().split(separator: "\n")
        #expect(lines[2].hasPrefix("foo "))
        #expect(lines[3].hasPrefix("vmap_area "))
        #expect(!lines.contains { $0.hasPrefix("bar ") })
        _ = machine.kmemCacheFree(cache, object.address)
        try machine.checkInvariants()
    }

    @Test func kfreeOfAPageAllocationWarnsAndFreesNothing() throws {
        var machine = try KernelMachine()
        let page = try #require(machine.allocPages(.kernel, order: 0).pointer)
        let outcome = machine.kfree(page.address)
        #expect(outcome.warnings == [KernelWarnings.notKmalloc])
        #expect(machine.buddy.freePages == machine.buddy.pageCount - 1)
    }

    @Test func kmemCacheFreeWithTheWrongCacheWarnsAndFreesIntoTheRealOne() throws {
        var machine = try KernelMachine()
        let cache = try #require(machine.kmemCacheCreate(name: "foo", size: 100).cache)
        let object = try #require(machine.kmalloc(64).object)
        let outcome = machine.kmemCacheFree(cache, object.address)
        #expect(
            outcome.warnings == [
                "cache_from_obj: Wrong slab cache. foo but object is from kmalloc-64"
            ])
        #expect(machine.kmalloc(64).object?.address == object.address)
        try machine.checkInvariants()
    }

    @Test func getPartialNodeRefillsTheCpuPartialList() throws {
        // The state of emptySlabsGoBackOnlyPastMinPartial: node partial [1, 0, 3, 2, 5, 4]
        // (all empty), CPU partial [10], CPU slab 11 (empty).
        var machine = try KernelMachine(cpus: 2, memoryBytes: 64 << 20)
        var objects: [SlabObjectInfo] = []
        for _ in 0..<(8 * 12) { objects.append(try #require(machine.kmalloc(4096).object)) }
        let slabPfn = (0..<12).map { objects[$0 * 8].slabPfn }
        for object in objects { _ = machine.kfree(object.address) }
        var order: [Int] = []
        var firstIndex: [Int] = []
        for n in 0..<(8 * 9) {
            let object = try #require(machine.kmalloc(4000).object)
            if n % 8 == 0 {
                order.append(try #require(slabPfn.firstIndex(of: object.slabPfn)))
                firstIndex.append(object.index)
            }
            try machine.checkInvariants()
        }
        // 11 (CPU slab), 10 (CPU partial), then get_partial_node takes 1 and moves 0 and 3
        // to the CPU partial list (3 at its head); later 2, moving 5 and 4. The ninth slab is
        // new: the buddy allocator gives back the block of discarded slab 6.
        #expect(order == [11, 10, 1, 3, 0, 2, 4, 5, 6])
        // Freed in address order, so each old freelist starts at the last slot (LIFO); the
        // new slab starts at slot 0.
        #expect(firstIndex == Array(repeating: 7, count: 8) + [0])
    }
}
