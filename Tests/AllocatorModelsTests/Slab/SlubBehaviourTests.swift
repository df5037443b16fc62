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
        // 12 slabs: one stays the CPU slab; of the rest, min_partial (6) stay on the node
        // list; the CPU partial list keeps what it holds.
        let line = machine.slabinfo().split(separator: "\n").first { $0.hasPrefix("kmalloc-4k ") }
        let slabsLeft = try #require(line.flatMap { Int($0.split(separator: " ")[13]) })
        #expect(discarded + slabsLeft == 12)
        #expect(slabsLeft >= 7)
        #expect(discarded > 0)
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
        #expect(outcome.warnings == ["cache_from_obj: Wrong slab cache. foo but object is from kmalloc-64"])
        #expect(machine.kmalloc(64).object?.address == object.address)
        try machine.checkInvariants()
    }
}
