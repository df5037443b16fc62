import Testing

@testable import AllocatorModels

@Suite struct VmallocTests {
    @Test func areasAreLowestFitWithAGuardPageOnScatteredFrames() throws {
        var machine = try KernelMachine()
        guard case .vmalloc(let a)? = machine.vmalloc(16384).pointer,
            case .vmalloc(let b)? = machine.vmalloc(100).pointer
        else {
            Issue.record("vmalloc failed")
            return
        }
        #expect(a.address == 0xffff_c900_0000_0000)
        #expect(a.size == 20480)
        #expect(a.pfns.count == 4)
        #expect(b.address == 0xffff_c900_0000_5000)
        #expect(b.size == 8192)
        #expect(
            machine.vmallocinfo() == """
                0xffffc90000000000-0xffffc90000005000   20480 demo_init+0x1d/0x80 [demo] pages=4 vmalloc N0=4
                0xffffc90000005000-0xffffc90000007000    8192 demo_init+0x1d/0x80 [demo] pages=1 vmalloc N0=1

                """)
        try machine.checkInvariants()
    }

    @Test func vfreeReturnsFramesAtOnceButKeepsTheRangeUntilAPurge() throws {
        var machine = try KernelMachine()
        guard case .vmalloc(let a)? = machine.vmalloc(16384).pointer else {
            Issue.record("vmalloc failed")
            return
        }
        let free = machine.buddy.freePages
        let outcome = machine.vfree(a.address)
        #expect(outcome.events.contains(.areaUnpurged(address: a.address, size: 20480)))
        #expect(machine.buddy.freePages >= free + 4)
        #expect(
            machine.vmallocinfo()
                == "0xffffc90000000000-0xffffc90000005000   20480 unpurged vm_area\n")
        guard case .vmalloc(let b)? = machine.vmalloc(16384).pointer else {
            Issue.record("vmalloc failed")
            return
        }
        #expect(b.address == 0xffff_c900_0000_5000)
        try machine.checkInvariants()
    }

    @Test func lazyPurgeRunsPastLazyMaxPages() throws {
        // 2 CPUs: lazy_max_pages = fls(2) * 8192 = 16384 pages; each 8 MiB area is 2049.
        var machine = try KernelMachine(cpus: 2, memoryBytes: 64 << 20)
        var purgedAt: Int?
        for round in 1...9 {
            guard case .vmalloc(let area)? = machine.vmalloc(8 << 20).pointer else {
                Issue.record("vmalloc failed")
                return
            }
            let outcome = machine.vfree(area.address)
            if outcome.events.contains(where: {
                if case .purged = $0 { return true } else { return false }
            }) {
                purgedAt = purgedAt ?? round
            }
            try machine.checkInvariants()
        }
        #expect(purgedAt == 8)
    }

    @Test func zeroSizeWarnsAndNullIsIgnored() throws {
        var machine = try KernelMachine()
        let zero = machine.vmalloc(0)
        #expect(zero.pointer == .null)
        #expect(zero.warnings == [KernelWarnings.vmallocZero])
        #expect(machine.vfree(0).events.isEmpty)
        #expect(machine.buddyinfo() == BuddyFormatTests.fresh64M)
    }

    @Test func bigAreasGetAVmallocedPageArray() throws {
        var machine = try KernelMachine()
        guard case .vmalloc(let a)? = machine.vmalloc(513 * 4096).pointer else {
            Issue.record("vmalloc failed")
            return
        }
        #expect(a.size == 2_105_344)
        let info = machine.vmallocinfo()
        #expect(
            info.contains("2105344 demo_init+0x1d/0x80 [demo] pages=513 vmalloc vpages N0=513\n"))
        #expect(info.contains("   12288 demo_init+0x1d/0x80 [demo] pages=2 vmalloc N0=2\n"))
        _ = machine.vfree(a.address)
        try machine.checkInvariants()
    }
}

@Suite struct VmallocFailureTests {
    @Test func sizesAboveTotalRamFailWithWarnAlloc() throws {
        var machine = try KernelMachine(cpus: 2, memoryBytes: 4 << 20)
        #expect(
            machine.vmalloc(8 << 20).warnings == [
                "insmod: vmalloc error: size 8388608, exceeds total pages, mode:0xcc0(GFP_KERNEL), nodemask=(null),cpuset=/,mems_allowed=0"
            ])
        #expect(
            machine.vzalloc(8 << 20).warnings.first?.contains("mode:0xdc0(GFP_KERNEL|__GFP_ZERO)")
                == true)
        try machine.checkInvariants()
    }

    @Test func runningOutOfFramesUndoesTheArea() throws {
        var machine = try KernelMachine(cpus: 2, memoryBytes: 4 << 20)
        let outcome = machine.vmalloc((4 << 20) - 4096)
        #expect(outcome.pointer == .null)
        #expect(outcome.warnings.count == 1)
        #expect(
            outcome.warnings.first?.contains("failed to allocate pages, mode:0xcc0(GFP_KERNEL)")
                == true)
        try machine.checkInvariants()
        let snapshot = machine.snapshot()
        #expect(!snapshot.pages.contains { $0.owner == .vmalloc })
        #expect(snapshot.vmallocAreas.allSatisfy { $0.state == .unpurged })
    }
}

@Suite struct VmallocinfoOrderTests {
    /// Spec §0: busy lines are sorted within one vmap node; on 2 CPUs, areas starting in odd
    /// 64 KiB zones (node 1) are listed after node 0's.
    @Test func busyAreasAreListedNodeByNode() throws {
        var machine = try KernelMachine(cpus: 2)
        for _ in 0..<5 {
            #expect(machine.vmalloc(28 * 1024).pointer != .null)
        }
        let starts = machine.vmallocinfo().split(separator: "\n").map { String($0.prefix(18)) }
        #expect(
            starts == [
                "0xffffc90000000000", "0xffffc90000008000", "0xffffc90000020000",
                "0xffffc90000010000", "0xffffc90000018000",
            ])
        var single = try KernelMachine(cpus: 1)
        for _ in 0..<5 { _ = single.vmalloc(28 * 1024) }
        let sorted = single.vmallocinfo().split(separator: "\n").map { String($0.prefix(18)) }
        #expect(sorted == sorted.sorted())
        try machine.checkInvariants()
    }
}

@Suite struct VmapPoolTests {
    /// 65 areas of 255 pages + guard (256 pages, 1 MiB) freed: the 65th vfree passes
    /// lazy_max_pages (16384 at 2 CPUs) and the purge puts all 65 in CPU 0's node pool.
    func purgeSixtyFiveAreas(cpus: Int) throws -> KernelMachine {
        var machine = try KernelMachine(cpus: cpus, memoryBytes: 64 << 20)
        var purged = 0
        for round in 0..<65 {
            guard case .vmalloc(let area)? = machine.vmalloc(255 * 4096).pointer else {
                Issue.record("vmalloc failed")
                return machine
            }
            #expect(area.address == 0xffff_c900_0000_0000 + UInt64(round) << 20)
            let outcome = machine.vfree(area.address)
            purged +=
                outcome.events.filter { if case .purged = $0 { return true } else { return false } }
                .count
            try machine.checkInvariants()
        }
        #expect(purged == (cpus == 1 ? 0 : 1))
        return machine
    }

    @Test func onSmpASameSizeAllocationReusesThePooledRange() throws {
        var machine = try purgeSixtyFiveAreas(cpus: 2)
        #expect(machine.vmallocinfo().isEmpty)
        guard case .vmalloc(let again)? = machine.vmalloc(255 * 4096).pointer else {
            Issue.record("vmalloc failed")
            return
        }
        // The pool head is the last area added: the highest address, not the lowest free.
        #expect(again.address == UInt64(0xffff_c900_0000_0000) + (64 << 20))
        // Another size does not use the pool: the lowest free address above the pooled ones.
        guard case .vmalloc(let other)? = machine.vmalloc(4096).pointer else {
            Issue.record("vmalloc failed")
            return
        }
        #expect(other.address == UInt64(0xffff_c900_0000_0000) + (65 << 20))
        try machine.checkInvariants()
    }

    @Test func onAUniprocessorThePurgedRangeIsReusedFromTheLowestAddress() throws {
        // 1 CPU: lazy_max_pages is 8192, so purges happen every 33 areas, into the free space.
        var machine = try KernelMachine(cpus: 1, memoryBytes: 64 << 20)
        for _ in 0..<33 {
            guard case .vmalloc(let area)? = machine.vmalloc(255 * 4096).pointer else { return }
            _ = machine.vfree(area.address)
        }
        guard case .vmalloc(let again)? = machine.vmalloc(255 * 4096).pointer else {
            Issue.record("vmalloc failed")
            return
        }
        #expect(again.address == 0xffff_c900_0000_0000)
        try machine.checkInvariants()
    }
}

@Suite struct VmallocSideAllocationFailureTests {
    @Test func noMemoryForTheVmStructIsReported() throws {
        var machine = try KernelMachine(cpus: 2, memoryBytes: 64 << 10)
        while case .pages? = machine.allocPages(.kernel, order: 0).pointer {}
        let outcome = machine.vmalloc(100)
        #expect(outcome.pointer == .null)
        #expect(
            outcome.warnings == [
                "insmod: vmalloc error: size 100, vm_struct allocation failed, mode:0xcc0(GFP_KERNEL), nodemask=(null),cpuset=/,mems_allowed=0"
            ])
        try machine.checkInvariants()
    }
}
