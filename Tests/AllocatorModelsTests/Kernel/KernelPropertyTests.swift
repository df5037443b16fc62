import TestSupport
import Testing

@testable import AllocatorModels

@Suite struct KernelPropertyTests {
    enum Live {
        case kmalloc(UInt64)
        case pages(UInt64, Int)
        case vmalloc(UInt64)
        case cache(UInt64)
    }

    /// Seeds and slab_debug: two in CI's run (3 CPUs, and 1 CPU with slab_debug), all of them
    /// (1 to 4 CPUs, with and without slab_debug) in `.ci/bench/property-fuzz`.
    static let seeds = Exhaustive.choose(
        quick: [(UInt64(2), false), (4, true)],
        all: (1...12).map { (UInt64($0), $0 % 3 == 1) })

    @Test(arguments: seeds)
    func randomTracesKeepInvariantsAndFreeingAllRestoresTheBuddyLists(seed: UInt64, debug: Bool)
        throws
    {
        var rng = SeededRandom(state: seed)
        var machine = try KernelMachine(
            cpus: 1 + Int(seed % 4), memoryBytes: 32 << 20, slabDebug: debug)
        let cache = try #require(machine.kmemCacheCreate(name: "prop", size: 200).cache)
        var live: [Live] = []
        for _ in 0..<1200 {
            let roll = rng.below(100)
            if roll < 45 || live.isEmpty {
                let size = UInt64(rng.below(4) == 0 ? rng.below(40_000) : rng.below(600))
                let pointer =
                    rng.below(2) == 0
                    ? machine.kmalloc(size).pointer : machine.kzalloc(size).pointer
                if let pointer, pointer != .null, pointer != .zeroSize {
                    live.append(.kmalloc(pointer.address))
                }
            } else if roll < 50 {
                let order = rng.below(5)
                if case .pages(let p)? = machine.allocPages(.kernel, order: order).pointer {
                    live.append(.pages(p.address, order))
                }
            } else if roll < 55 {
                if case .vmalloc(let v)? = machine.vmalloc(UInt64(1 + rng.below(60_000))).pointer {
                    live.append(.vmalloc(v.address))
                }
            } else if roll < 62 {
                if case .slabObject(let o)? = machine.kmemCacheAlloc(cache).pointer {
                    live.append(.cache(o.address))
                }
            } else {
                let victim = live.remove(at: rng.below(live.count))
                free(victim, &machine, cache)
            }
            #expect(!machine.isDead)
            try machine.checkInvariants()
        }
        while let victim = live.popLast() {
            free(victim, &machine, cache)
            try machine.checkInvariants()
        }
        // Everything freed: only slab pages (cached by SLUB) are not free.
        let snapshot = machine.snapshot()
        var slabPages = 0
        for run in snapshot.pages {
            switch run.owner {
            case .free: break
            case .slab: slabPages += run.count
            default: Issue.record("pages at pfn \(run.pfn) still owned by \(run.owner)")
            }
        }
        #expect(machine.buddy.freePages + slabPages == machine.buddy.pageCount)
        // vmap_area objects of unpurged areas stay allocated until a purge.
        for c in snapshot.caches where c.name != "vmap_area" {
            for slab in c.slabs { #expect(!slab.used.contains(true)) }
        }
    }

    func free(_ victim: Live, _ machine: inout KernelMachine, _ cache: KmemCache) {
        switch victim {
        case .kmalloc(let a): _ = machine.kfree(a)
        case .pages(let a, let order): _ = machine.freePages(a, order: order)
        case .vmalloc(let a): _ = machine.vfree(a)
        case .cache(let a): _ = machine.kmemCacheFree(cache, a)
        }
    }

    @Test func pageOnlyTracesRestoreTheExactFreeLists() throws {
        var rng = SeededRandom(state: 42)
        var machine = try KernelMachine(cpus: 2, memoryBytes: 16 << 20)
        let fresh = machine.snapshot().freeLists
        var live: [(UInt64, Int)] = []
        for _ in 0..<2000 {
            if rng.below(2) == 0 || live.isEmpty {
                let order = rng.below(6)
                if case .pages(let p)? = machine.allocPages(.kernel, order: order).pointer {
                    live.append((p.address, order))
                }
            } else {
                let (a, order) = live.remove(at: rng.below(live.count))
                _ = machine.freePages(a, order: order)
            }
            try machine.checkInvariants()
        }
        for (a, order) in live { _ = machine.freePages(a, order: order) }
        #expect(machine.snapshot().freeLists.map { Set($0) } == fresh.map { Set($0) })
        #expect(
            machine.buddyinfo()
                == "Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0      4 \n"
        )
    }
}

@Suite struct SlabDebugPropertyTests {
    /// With slab_debug=F every double free or bad pointer is reported and nothing is freed,
    /// so the machine never corrupts and never dies.
    @Test(arguments: [UInt64(11), 12, 13])
    func badFreesAreReportedAndHarmless(seed: UInt64) throws {
        var rng = SeededRandom(state: seed)
        var machine = try KernelMachine(cpus: 2, memoryBytes: 16 << 20, slabDebug: true)
        var live: [UInt64] = []
        var freed: [UInt64] = []
        var reports = 0
        for _ in 0..<1500 {
            let roll = rng.below(10)
            if roll < 5 || live.isEmpty {
                if case .slabObject(let o)? = machine.kmalloc(UInt64(1 + rng.below(3000))).pointer {
                    live.append(o.address)
                }
            } else if roll < 8 {
                let address = live.remove(at: rng.below(live.count))
                #expect(machine.kfree(address).warnings.isEmpty)
                freed.append(address)
            } else if roll < 9, !freed.isEmpty {
                let address = freed[rng.below(freed.count)]
                if !live.contains(address) {
                    let outcome = machine.kfree(address)
                    reports += outcome.warnings.count
                }
            } else if let address = live.first {
                let outcome = machine.kfree(address + 4)
                #expect(outcome.warnings.first?.contains("Invalid object pointer") == true)
                reports += 1
            }
            #expect(!machine.isDead)
            try machine.checkInvariants()
        }
        #expect(reports > 0)
    }
}
