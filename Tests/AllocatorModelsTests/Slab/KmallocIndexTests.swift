import Testing

@testable import AllocatorModels

@Suite struct KmallocIndexTests {
    /// Spec §2.2: the upper bound of each class and its cache.
    static let classes: [(upTo: Int, name: String)] = [
        (8, "kmalloc-8"), (16, "kmalloc-16"), (32, "kmalloc-32"), (64, "kmalloc-64"),
        (96, "kmalloc-96"), (128, "kmalloc-128"), (192, "kmalloc-192"), (256, "kmalloc-256"),
        (512, "kmalloc-512"), (1024, "kmalloc-1k"), (2048, "kmalloc-2k"), (4096, "kmalloc-4k"),
        (8192, "kmalloc-8k"),
    ]

    @Test func everySizeFrom1To8192MapsToItsClass() throws {
        var machine = try KernelMachine(cpus: 2, memoryBytes: 256 << 20)
        var size = 1
        for (upTo, name) in Self.classes {
            while size <= upTo {
                #expect(KernelMachine.kmallocCacheName(forSize: size) == name, "size \(size)")
                let outcome = machine.kmalloc(UInt64(size))
                guard case .slabObject(let object)? = outcome.pointer else {
                    Issue.record("size \(size) did not give a slab object")
                    return
                }
                #expect(object.cache == name)
                #expect(machine.ksize(object.address).size == UInt64(upTo))
                _ = machine.kfree(object.address)
                size += 1
            }
        }
        try machine.checkInvariants()
    }

    @Test func kmallocIndexValues() {
        #expect(KernelMachine.kmallocIndex(0) == 0)
        #expect(KernelMachine.kmallocIndex(1) == 3)
        #expect(KernelMachine.kmallocIndex(65) == 1)
        #expect(KernelMachine.kmallocIndex(96) == 1)
        #expect(KernelMachine.kmallocIndex(97) == 7)
        #expect(KernelMachine.kmallocIndex(129) == 2)
        #expect(KernelMachine.kmallocIndex(193) == 8)
        #expect(KernelMachine.kmallocIndex(8192) == 13)
        #expect(KernelMachine.kmallocIndex(8193) == nil)
    }

    static let largeOrders: [(UInt64, Int)] = [
        (8193, 2), (16384, 2), (16385, 3), (32768, 3), (32769, 4), (1 << 20, 8),
        (2 << 20, 9), ((2 << 20) + 1, 10), (4 << 20, 10),
    ]

    @Test(arguments: 0..<9)
    func largeRequestsGoToThePageAllocator(case number: Int) throws {
        let (size, order) = Self.largeOrders[number]
        var machine = try KernelMachine(cpus: 2, memoryBytes: 64 << 20)
        let outcome = machine.kmalloc(size)
        guard case .pages(let pages)? = outcome.pointer else {
            Issue.record("kmalloc(\(size)) did not use the page allocator")
            return
        }
        #expect(pages.order == order)
        #expect(KernelLayout.order(forSize: size) == order)
        #expect(machine.ksize(pages.address).size == 4096 << UInt64(order))
        #expect(
            machine.slabinfo().contains(
                "kmalloc-8k" + String(repeating: " ", count: 13) + "0      0"))
        try machine.checkInvariants()
        _ = machine.kfree(pages.address)
        try machine.checkInvariants()
        #expect(machine.buddyinfo() == BuddyFormatTests.fresh64M)
    }

    @Test func aboveFourMiBFailsWithAOneTimeWarning() throws {
        var machine = try KernelMachine()
        let first = machine.kmalloc((4 << 20) + 1)
        #expect(first.pointer == .null)
        #expect(first.warnings == [KernelWarnings.orderTooLarge])
        let second = machine.kmalloc(8 << 20)
        #expect(second.pointer == .null)
        #expect(second.warnings.isEmpty)
    }

    @Test func zeroSizeAndNull() throws {
        var machine = try KernelMachine()
        #expect(machine.kmalloc(0).pointer == .zeroSize)
        #expect(machine.kmalloc(0).pointer?.address == 0x10)
        #expect(machine.kfree(0x10).events.isEmpty)
        #expect(machine.kfree(0).events.isEmpty)
        #expect(machine.ksize(0x10).size == 0)
        #expect(machine.buddyinfo() == BuddyFormatTests.fresh64M)
    }
}
