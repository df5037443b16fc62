import TestSupport
import Testing

@testable import AllocatorModels

/// Golden tests for the per-CPU page lists (`pcp=true`), each from a rule of mm/page_alloc.c
/// (6.1 read from Debian's linux-source-6.1, 6.18's auto-tuning from linux-source-6.12 plus
/// the commits since, as cited) and checked against this machine's 6.18 /proc/zoneinfo.
@Suite struct PerCPUPagesTests {
    func machine(_ version: KernelVersion, memory: UInt64 = 64 << 20, cpus: Int = 2) throws
        -> KernelMachine
    {
        var configuration = KernelMachine.Configuration(cpus: cpus, memoryBytes: memory)
        configuration.version = version
        configuration.perCPULists = true
        return try KernelMachine(configuration)
    }

    func event(_ outcome: KernelOutcome) -> PerCPUEvent? {
        for case .perCPU(let e) in outcome.events { return e }
        return nil
    }

    func pfn(_ outcome: KernelOutcome) -> Int? {
        if case .pages(let p)? = outcome.pointer { return p.pfn }
        return nil
    }

    /// mm/page_alloc.c `zone_batchsize`, `zone_highsize` (6.18 `high_max` with
    /// MIN_PERCPU_PAGELIST_HIGH_FRACTION 8) and mm/vmstat.c `calculate_normal_threshold`,
    /// against this machine's /proc/zoneinfo (Normal: managed 3506176 → batch 63, high_max
    /// 219136, threshold 32; DMA32: managed 772807 → batch 63, high_max 48300, threshold 24).
    @Test func tuningMatchesTheRealZoneinfo() {
        let normal = ZoneTuning(managedPages: 3_506_176, cpus: 2, version: .v6_18)
        #expect(normal.batch == 63)
        #expect(normal.highMax == 219_136)
        #expect(normal.statThreshold == 32)
        let dma32 = ZoneTuning(managedPages: 772_807, cpus: 2, version: .v6_18)
        #expect(dma32.batch == 63)
        #expect(dma32.highMax == 48_300)
        #expect(dma32.statThreshold == 24)
        // __setup_per_zone_wmarks for the host's Normal share of min_free_kbytes 67584
        // (min 13832): step max(13832 / 4, 3506176 * 10 / 10000) = 3506 → low 17338, high
        // 20844, promo 24350, as the host prints; high_min = low / 2 CPUs = 8669.
        let step = max(13_832 / 4, 3_506_176 * 10 / 10_000)
        #expect([13_832 + step, 13_832 + 2 * step, 13_832 + 3 * step] == [17_338, 20_844, 24_350])
        #expect((13_832 + step) / 2 == 8669)
    }

    /// calculate_min_free_kbytes (int_sqrt(kB * 16)), hugepage_init (no THP below 512 MiB),
    /// set_recommended_min_free_kbytes (5632 pages for one zone, at most 5 %), the watermarks
    /// and the pcp sizes of the model's default 64 MiB and of 1 GiB.
    @Test func tuningOfTheModelsZones() {
        let small = ZoneTuning(managedPages: 16384, cpus: 2, version: .v6_18)
        #expect(small.minFreeKbytes == 1024)
        #expect([small.min, small.low, small.high, small.promo] == [256, 320, 384, 448])
        #expect([small.batch, small.highMin, small.highMax] == [3, 160, 1024])
        #expect(small.statThreshold == 4)
        let old = ZoneTuning(managedPages: 16384, cpus: 2, version: .v6_1)
        #expect([old.batch, old.highMin, old.highMax] == [3, 160, 160])
        let large = ZoneTuning(managedPages: 262_144, cpus: 2, version: .v6_18)
        #expect(large.minFreeKbytes == 22528)
        #expect([large.min, large.low, large.high, large.promo] == [5632, 7040, 8448, 9856])
        #expect([large.batch, large.highMin, large.highMax] == [63, 3520, 16384])
    }

    /// `rmqueue_pcplist` → `__rmqueue_pcplist` (6.1): refill by batch, hand out the head.
    ///
    /// An empty list is refilled by `rmqueue_bulk` with `batch` (3) blocks appended at the tail in the order `__rmqueue`
    /// hands them out (ascending pfn); allocation takes the head. buddyinfo drops by the
    /// whole refill, not by the one page handed out.
    @Test func refillTakesABatchAndHandsOutTheHead() throws {
        var m = try machine(.v6_1)
        let start = m.buddy.startPfn
        let first = m.allocPages(order: 0)
        #expect(pfn(first) == start)
        let e = try #require(event(first))
        #expect(e.refill.map(\.block.pfn) == [start, start + 1, start + 2])
        #expect(e.asked == 3 && e.count == 2)
        #expect(m.buddy.freePages == 16384 - 3)
        #expect(
            m.buddyinfo()
                == "Node 0, zone   Normal      1      0      1      1      1      1      1      1      1      1     15 \n"
        )
        #expect(pfn(m.allocPages(order: 0)) == start + 1)
        #expect(event(m.allocPages(order: 0))?.refill.isEmpty == true)
        #expect(m.perCPU?.count == 0)
        let fourth = m.allocPages(order: 0)
        #expect(pfn(fourth) == start + 3)
        #expect(event(fourth)?.refill.count == 3)
        try m.checkInvariants()
    }

    /// `free_unref_page_commit`: a freed page goes on the head of the list (LIFO), is not
    /// merged and not counted in buddyinfo; the next allocation gets it back.
    @Test func freeIsLastInFirstOutAndInvisibleToBuddyinfo() throws {
        for version in KernelVersion.allCases {
            var m = try machine(version)
            let a = try #require(m.allocPages(order: 0).pointer?.address)
            let b = try #require(m.allocPages(order: 0).pointer?.address)
            let before = m.buddyinfo()
            let freed = m.freePages(a, order: 0)
            #expect(event(freed)?.kind == .freed)
            #expect(m.buddyinfo() == before, "\(version)")
            #expect(m.allocPages(order: 0).pointer?.address == a, "\(version)")
            _ = m.freePages(b, order: 0)
            try m.checkInvariants()
        }
    }

    /// Orders 1...3 have lists of their own (`order_to_pindex`), refilled with
    /// `max(batch >> order, 2)` blocks; order 4 is not `pcp_allowed_order` and goes straight
    /// to the buddy allocator; order 9 (the THP order) has a list.
    @Test func whichOrdersUseTheLists() throws {
        var m = try machine(.v6_1)
        let two = m.allocPages(order: 2)
        #expect(event(two)?.refill.count == 2)
        #expect(m.perCPU?.list(order: 2).count == 1)
        let four = m.allocPages(order: 4)
        #expect(event(four) == nil)
        #expect(four.events.contains { if case .buddyAllocated = $0 { true } else { false } })
        let nine = m.allocPages(order: 9)
        #expect(event(nine)?.refill.count == 2)
        #expect(m.perCPU?.list(order: 9).count == 1)
        try m.checkInvariants()
    }

    /// 6.1 `nr_pcp_free`: when `count` reaches `high` (160), free `batch << free_factor`
    /// clamped to [batch, high - batch], and double it (free_factor + 1, at most
    /// CONFIG_PCP_BATCH_SCALE_MAX 5) while frees come without allocations; `free_pcppages_bulk`
    /// takes the list tail first (the pages freed longest ago).
    @Test func drainSizesDoubleWithoutAllocations61() throws {
        var m = try machine(.v6_1)
        var pages: [UInt64] = []
        for _ in 0..<600 { pages.append(try #require(m.allocPages(order: 0).pointer?.address)) }
        var drains: [Int] = []
        var firstDrained: [Int] = []
        var freedOrder: [Int] = []
        for address in pages {
            let outcome = m.freePages(address, order: 0)
            let e = try #require(event(outcome))
            freedOrder.append(e.pfn ?? -1)
            if !e.drained.isEmpty {
                drains.append(e.drained.count)
                if firstDrained.isEmpty { firstDrained = e.drained.map(\.block.pfn) }
                #expect(e.count < 160)
            }
            try m.checkInvariants()
        }
        #expect(Array(drains.prefix(7)) == [3, 6, 12, 24, 48, 96, 96])
        // 600 allocations are 200 whole refills: the list is empty before the frees, so the
        // first drain (at the 160th free) takes the tail: the first three pages freed.
        #expect(firstDrained == Array(freedOrder.prefix(3)))
    }

    /// 6.18 `nr_pcp_alloc`: each refill of an order-0 list asks `batch << alloc_factor`
    /// (alloc_factor + 1 per refill while it fits, at most 5) and raises `pcp->high` by it,
    /// up to high_max.
    @Test func refillsGrowWithAllocFactor618() throws {
        var m = try machine(.v6_18)
        var asked: [Int] = []
        var highs: [Int] = []
        for _ in 0..<400 {
            let outcome = m.allocPages(order: 0)
            if let e = event(outcome), e.asked > 0 {
                asked.append(e.asked)
                highs.append(e.high)
            }
            try m.checkInvariants()
        }
        #expect(Array(asked.prefix(7)) == [3, 6, 12, 24, 48, 96, 96])
        #expect(Array(highs.prefix(3)) == [163, 169, 181])
        // A free halves alloc_factor (5 → 2): the next refill asks 3 << 2 = 12.
        let p = try #require(m.allocPages(order: 0).pointer?.address)
        _ = m.freePages(p, order: 0)
        var next: Int?
        while next == nil {
            if let e = event(m.allocPages(order: 0)), e.asked > 0 { next = e.asked }
        }
        #expect(next == 12)
    }

    /// 6.18 `free_frozen_page_commit`/`nr_pcp_high`/`nr_pcp_free`: with free pages above the
    /// high watermark the list may grow to `high` (raised by the refills), and a drain frees
    /// `free_count` (the consecutive frees, capped at batch << 5 = 96) clamped to
    /// [batch, high - batch].
    @Test func drainFreesTheConsecutiveFreeCount618() throws {
        var m = try machine(.v6_18)
        var pages: [UInt64] = []
        for _ in 0..<1200 { pages.append(try #require(m.allocPages(order: 0).pointer?.address)) }
        let high = try #require(m.perCPU?.high)
        var drains: [Int] = []
        for address in pages {
            let e = try #require(event(m.freePages(address, order: 0)))
            if !e.drained.isEmpty { drains.append(e.drained.count) }
            try m.checkInvariants()
        }
        #expect(high == 1024)
        #expect(drains.allSatisfy { $0 == 96 })
        #expect(!drains.isEmpty)
    }

    /// 6.18 ZONE_BELOW_HIGH (get_page_from_freelist, zone_watermark_fast with the high
    /// watermark): once free pages fall to the high watermark (384 of 16384), refills stop
    /// raising `high` and frees lower it towards high_min.
    @Test func belowTheHighWatermarkTheListShrinks618() throws {
        var m = try machine(.v6_18)
        var pages: [UInt64] = []
        while m.buddy.freePages > 300 {
            pages.append(try #require(m.allocPages(order: 0).pointer?.address))
        }
        _ = m.allocPages(order: 0)
        #expect(m.perCPU?.zoneBelowHigh == true)
        let raised = try #require(m.perCPU?.high)
        #expect(raised == 1024)
        for address in pages.prefix(10) { _ = m.freePages(address, order: 0) }
        #expect(try #require(m.perCPU?.high) < raised)
        try m.checkInvariants()
    }

    /// __alloc_pages_direct_reclaim: when nothing is free, a caller that may reclaim drains
    /// the per-CPU lists (`drain_all_pages`) and retries; GFP_ATOMIC does not.
    @Test func exhaustionDrainsTheListsForSleepingCallers() throws {
        for version in KernelVersion.allCases {
            var m = try machine(version, memory: 1 << 20)
            var pages: [UInt64] = []
            while let p = m.allocPages(order: 0).pointer, p != .null { pages.append(p.address) }
            #expect(pages.count == 256)
            for address in pages.prefix(8) { _ = m.freePages(address, order: 0) }
            #expect(m.buddy.freePages < 8)
            #expect(m.allocPages(.atomic, order: 1).pointer == .null)
            let retried = m.allocPages(.kernel, order: 1)
            #expect(retried.pointer != .null, "\(version)")
            #expect(
                retried.events.contains {
                    if case .perCPU(let e) = $0 { e.kind == .drainedAll } else { false }
                })
            try m.checkInvariants()
        }
    }

    /// /proc/zoneinfo's pageset lines (mm/vmstat.c `zoneinfo_show_print`): 6.1 prints count,
    /// high, batch; 6.18 (as this machine does) adds high_min and high_max, ten-column labels.
    @Test func zoneinfoPagesets() throws {
        var old = try machine(.v6_1)
        _ = old.allocPages(order: 0)
        let text61 = old.zoneinfo()
        #expect(
            text61.contains(
                "\n    cpu: 0\n              count: 2\n              high:  160\n              batch: 3\n  vm stats threshold: 4\n"
            ))
        #expect(!text61.contains("promo"))
        var new = try machine(.v6_18)
        _ = new.allocPages(order: 0)
        let text = new.zoneinfo()
        #expect(
            text.hasPrefix(
                "Node 0, zone   Normal\n  pages free     16381\n        boost    0\n        min      256\n        low      320\n        high     384\n        promo    448\n"
            ))
        #expect(
            text.contains(
                "\n    cpu: 1\n              count:    0\n              high:     160\n              batch:    3\n              high_min: 160\n              high_max: 1024\n"
            ))
        #expect(
            text.contains("    cpu: 0\n              count:    2\n              high:     163\n"))
        #expect(text.hasSuffix("  node_unreclaimable:  0\n  start_pfn:           1048576\n"))
    }

    /// Seeded random traces with the lists on, both releases: invariants after every step.
    @Test(arguments: [UInt64(31), 32, 33, 34])
    func randomTracesKeepInvariants(seed: UInt64) throws {
        var rng = SeededRandom(state: seed)
        var m = try machine(
            seed % 2 == 0 ? .v6_1 : .v6_18, memory: 16 << 20, cpus: 1 + Int(seed % 4))
        var live: [(UInt64, Int, Int)] = []  // address, order or -1 kmalloc, -2 vmalloc
        for _ in 0..<3000 {
            let roll = rng.below(100)
            if roll < 45 || live.isEmpty {
                let kind = rng.below(3)
                if kind == 0 {
                    let order = [0, 0, 0, 1, 2, 3, 4, 9][rng.below(8)]
                    if let p = m.allocPages(rng.below(4) == 0 ? .atomic : .kernel, order: order)
                        .pointer, p != .null
                    {
                        live.append((p.address, order, 0))
                    }
                } else if kind == 1 {
                    if let p = m.kmalloc(UInt64(rng.below(40_000))).pointer, p.address > 0x10 {
                        live.append((p.address, -1, 0))
                    }
                } else if let p = m.vmalloc(UInt64(1 + rng.below(300_000))).pointer, p != .null {
                    live.append((p.address, -2, 0))
                }
            } else if roll < 97 {
                let (address, order, _) = live.remove(at: rng.below(live.count))
                switch order {
                case -1: _ = m.kfree(address)
                case -2: _ = m.vfree(address)
                default: _ = m.freePages(address, order: order)
                }
            } else {
                _ = m.drainPerCPULists()
            }
            try m.checkInvariants()
        }
    }
}
