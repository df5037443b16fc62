import Testing

@testable import AllocatorModels

@Suite struct BuddyAllocatorTests {
    @Test func orderZeroFromAnOrderThreeBlockSplitsToTheHeads() throws {
        // Spec §1.2 example: order 0 from a free order-3 block at P returns P and puts
        // P+4 (order 2), P+2 (order 1), P+1 (order 0) on the list heads.
        var buddy = BuddyAllocator(startPfn: 0, pageCount: 8)
        #expect(buddy.freeList(order: 3) == [0])
        let a = buddy.allocate(order: 0)!
        #expect(a.block == BuddyBlock(pfn: 0, order: 0))
        #expect(a.source == BuddyBlock(pfn: 0, order: 3))
        #expect(
            a.splits == [
                BuddyBlock(pfn: 4, order: 2), BuddyBlock(pfn: 2, order: 1),
                BuddyBlock(pfn: 1, order: 0),
            ])
        #expect(buddy.freeList(order: 0) == [1])
        #expect(buddy.freeList(order: 1) == [2])
        #expect(buddy.freeList(order: 2) == [4])
        let b = buddy.allocate(order: 0)!
        #expect(b.block.pfn == 1)
        try buddy.checkInvariants()
    }

    @Test func freeingMergesBackToTheOriginalBlock() throws {
        var buddy = BuddyAllocator(startPfn: 1024, pageCount: 1024)
        let a = buddy.allocate(order: 0)!
        let b = buddy.allocate(order: 0)!
        #expect(b.block.pfn == 1025)
        let r1 = buddy.free(pfn: 1024, order: 0)
        #expect(r1.merged.isEmpty)
        #expect(r1.result == BuddyBlock(pfn: 1024, order: 0))
        let r2 = buddy.free(pfn: 1025, order: 0)
        #expect(r2.merged.first == BuddyBlock(pfn: 1024, order: 0))
        #expect(r2.merged.count == 10)
        #expect(r2.result == BuddyBlock(pfn: 1024, order: 10))
        #expect(buddy.freeCounts == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        _ = a
        try buddy.checkInvariants()
    }

    @Test func buddyMergeLikelyPutsTheBlockAtTheTail() throws {
        var buddy = BuddyAllocator(startPfn: 0, pageCount: 16)
        for pfn in 0..<16 { #expect(buddy.allocate(order: 0)?.block.pfn == pfn) }
        _ = buddy.free(pfn: 12, order: 0)
        #expect(buddy.free(pfn: 13, order: 0).result == BuddyBlock(pfn: 12, order: 1))
        for pfn in 4..<8 { _ = buddy.free(pfn: pfn, order: 0) }
        #expect(buddy.freeList(order: 1) == [12])
        #expect(buddy.freeList(order: 2) == [4])
        // Free 2: buddy 3 busy; the buddy of the order-1 block {2,3} is {0,1}, busy: head.
        #expect(buddy.free(pfn: 2, order: 0).toTail == false)
        // Free 3: merges into {2,3}; the buddy of the order-2 block {0..3} is {4..7}, free
        // at order 2, so a merge is likely: the tail.
        let r = buddy.free(pfn: 3, order: 0)
        #expect(r.merged == [BuddyBlock(pfn: 2, order: 0)])
        #expect(r.result == BuddyBlock(pfn: 2, order: 1))
        #expect(r.toTail == true)
        #expect(buddy.freeList(order: 1) == [12, 2])
        // The next order-1 request takes the head (12), not the lower address 2.
        #expect(buddy.allocate(order: 1)?.block.pfn == 12)
        try buddy.checkInvariants()
    }

    @Test func allocationTakesTheLowestOrderFirstAndFailsWhenEmpty() throws {
        var buddy = BuddyAllocator(startPfn: 0, pageCount: 3)
        #expect(buddy.freeList(order: 1) == [0])
        #expect(buddy.freeList(order: 0) == [2])
        #expect(buddy.allocate(order: 0)?.block.pfn == 2)
        #expect(buddy.allocate(order: 2) == nil)
        #expect(buddy.allocate(order: 11) == nil)
        #expect(buddy.allocate(order: 1)?.block.pfn == 0)
        #expect(buddy.allocate(order: 0) == nil)
        #expect(buddy.freePages == 0)
        try buddy.checkInvariants()
    }

    @Test func getOrder() {
        #expect(KernelLayout.order(forSize: 1) == 0)
        #expect(KernelLayout.order(forSize: 4096) == 0)
        #expect(KernelLayout.order(forSize: 4097) == 1)
        #expect(KernelLayout.order(forSize: 8192) == 1)
        #expect(KernelLayout.order(forSize: 8193) == 2)
        #expect(KernelLayout.order(forSize: 4 << 20) == 10)
        #expect(KernelLayout.order(forSize: (4 << 20) + 1) == 11)
    }
}

@Suite struct BuddyFormatTests {
    static let fresh64M =
        "Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0     16 \n"

    @Test func buddyinfoIsTheKernelFormat() throws {
        var machine = try KernelMachine(cpus: 2, memoryBytes: 64 << 20)
        #expect(machine.buddyinfo() == Self.fresh64M)
        _ = machine.allocPages(.kernel, order: 0)
        #expect(
            machine.buddyinfo()
                == "Node 0, zone   Normal      1      1      1      1      1      1      1      1      1      1     15 \n"
        )
        try machine.checkInvariants()
    }

    @Test func oddMemorySizesLeaveSmallerBlocks() throws {
        let machine = try KernelMachine(cpus: 2, memoryBytes: (4 << 20) + 3 * 4096)
        #expect(machine.buddy.freeCounts == [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        try machine.checkInvariants()
    }
}
