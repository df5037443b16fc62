/// CPU 0's per-CPU page lists of the zone (`struct per_cpu_pages`, include/linux/mmzone.h),
/// as Linux 6.1 and 6.18 run them in mm/page_alloc.c.
///
/// Orders 0...3 and the THP order 9 (`pcp_allowed_order`) are allocated from and freed to
/// these lists; the buddy allocator sees a page on them as allocated (not `PageBuddy`: not in
/// `nr_free`, not in `/proc/buddyinfo`, not merged with its buddy).
/// - Allocation (`rmqueue_pcplist`, `__rmqueue_pcplist`): take the list head; an empty list is
///   first refilled by `rmqueue_bulk`, which appends the blocks `__rmqueue` hands out at the
///   tail. 6.1 refills `max(batch >> order, 2)` blocks; 6.18 asks `nr_pcp_alloc`, which grows
///   the order-0 refill with `alloc_factor` and raises `pcp->high` towards `high_max`.
/// - Free (`free_unref_page_commit`; 6.18 `free_frozen_page_commit`): push at the head; when
///   `count >= nr_pcp_high()` give `nr_pcp_free()` pages back with `free_pcppages_bulk`,
///   round robin over the lists from the one just freed to, each from its tail.
///
/// Simplified: one migratetype (every list index is the Unmovable one, `MIGRATE_PCPTYPES *
/// order`, or 12 for order 9), no timer-driven `decay_pcp_high` or vmstat drains (the model has
/// no time), and `PCPF_FREE_HIGH_BATCH` set (the CPU's cache slice is larger than three
/// batches, `setup_pcp_cacheinfo`). Every call runs on CPU 0, so the other CPUs' lists stay
/// empty.
public struct PerCPUPages: Sendable {
    /// `NR_PCP_LISTS`: MIGRATE_PCPTYPES (3) lists for each order 0...3, then two THP lists.
    public static let listCount = 14
    /// `pageblock_order`, the THP order with lists of its own.
    public static let thpOrder = 9

    /// Lists by pindex, each from its tail (index 0) to its head (last).
    var lists: [[Int]]
    /// `pcp->count`: pages (not blocks) on all lists.
    public private(set) var count = 0
    /// `pcp->high` (6.18 moves it between `tuning.highMin` and `tuning.highMax`).
    public private(set) var high: Int
    /// The zone's numbers (batch, high_min, high_max, watermarks).
    public let tuning: ZoneTuning
    let version: KernelVersion
    /// 6.1 `pcp->free_factor`.
    var freeFactor = 0
    /// 6.18 `pcp->free_count`.
    var freeCount = 0
    /// 6.18 `pcp->alloc_factor`.
    var allocFactor = 0
    /// 6.18 `PCPF_PREV_FREE_HIGH_ORDER`.
    var previousFreeHighOrder = false
    /// 6.18 `ZONE_BELOW_HIGH` (a zone flag; the model's zone has only these lists).
    public private(set) var zoneBelowHigh = false

    /// `CONFIG_PCP_BATCH_SCALE_MAX` (Debian's 6.1 config; the default).
    static let batchScaleMax = 5

    /// Empty lists with the zone's tuning.
    public init(tuning: ZoneTuning, version: KernelVersion) {
        self.tuning = tuning
        self.version = version
        high = tuning.highMin
        lists = Array(repeating: [], count: Self.listCount)
    }

    /// `pcp_allowed_order`: orders up to `PAGE_ALLOC_COSTLY_ORDER` (3) and the THP order.
    public static func allowed(order: Int) -> Bool {
        (order >= 0 && order <= 3) || order == thpOrder
    }

    /// `order_to_pindex(MIGRATE_UNMOVABLE, order)`.
    static func pindex(order: Int) -> Int { order <= 3 ? 3 * order : 12 }

    /// `pindex_to_order`.
    static func order(pindex: Int) -> Int { pindex >= 12 ? thpOrder : pindex / 3 }

    /// Blocks on the list of `order`, head first (page frame numbers).
    public func list(order: Int) -> [Int] { lists[Self.pindex(order: order)].reversed() }

    /// What one allocation did.
    struct Taken {
        var pfn: Int?
        var refill: [BuddyAllocation] = []
        var asked = 0
    }

    /// `rmqueue_pcplist` (`bulk`: false) or one page of `__alloc_pages_bulk`'s loop (`bulk`:
    /// true, which leaves `free_factor`/`free_count` alone), for an allowed order.
    mutating func allocate(order: Int, bulk: Bool, buddy: inout BuddyAllocator) -> Taken {
        if version == .v6_18 {
            // get_page_from_freelist: ZONE_BELOW_HIGH when zone_watermark_fast(order, high) fails.
            if !zoneBelowHigh && !watermarkOK(order: order, mark: tuning.high, buddy: buddy) {
                zoneBelowHigh = true
            }
        }
        if !bulk {
            switch version {
            case .v6_1: freeFactor >>= 1
            case .v6_18: freeCount >>= 1
            }
        }
        let p = Self.pindex(order: order)
        var taken = Taken()
        if lists[p].isEmpty {
            let batch = version == .v6_1 ? refillCount61(order: order) : nrPcpAlloc(order: order)
            taken.asked = batch
            var refill: [Int] = []
            for _ in 0..<batch {
                guard let a = buddy.allocate(order: order) else { break }
                taken.refill.append(a)
                refill.append(a.block.pfn)
            }
            lists[p].insert(contentsOf: refill.reversed(), at: 0)
            count += refill.count << order
            if lists[p].isEmpty { return taken }
        }
        taken.pfn = lists[p].removeLast()
        count -= 1 << order
        return taken
    }

    /// 6.1 `__rmqueue_pcplist`: `batch`, scaled by order when above 1.
    func refillCount61(order: Int) -> Int {
        let batch = tuning.batch
        return batch > 1 ? max(batch >> order, 2) : batch
    }

    /// 6.18 `nr_pcp_alloc`.
    mutating func nrPcpAlloc(order: Int) -> Int {
        let base = tuning.batch
        high = min(max(high, tuning.highMin), tuning.highMax)
        var h = high
        if h < base { return 1 }
        var batch = order > 0 ? base : base << allocFactor
        if tuning.highMin != tuning.highMax && !zoneBelowHigh {
            h = min(h + batch, tuning.highMax)
            high = h
        }
        if order == 0 {
            let maxAlloc = max(h - count - base, base)
            if batch <= maxAlloc && allocFactor < Self.batchScaleMax { allocFactor += 1 }
            batch = min(batch, maxAlloc)
        }
        if batch > 1 { batch = max(batch >> order, 2) }
        return batch
    }

    /// `zone_watermark_fast`/`__zone_watermark_ok` for the model's zone (no lowmem reserve,
    /// no high-atomic or CMA pages, no `ALLOC_RESERVES` lowering).
    func watermarkOK(order: Int, mark: Int, buddy: BuddyAllocator) -> Bool {
        let free = buddy.freePages - ((1 << order) - 1)
        guard free > mark else { return false }
        if order == 0 { return true }
        for o in order..<KernelLayout.orderCount where buddy.freeCounts[o] > 0 { return true }
        return false
    }

    /// What one free did.
    struct Put {
        var drained: [BuddyRelease] = []
        var highSeen = 0
    }

    /// The commit of a free to the lists (`free_unref_page_commit`, 6.18
    /// `free_frozen_page_commit`), for an allowed order.
    mutating func free(pfn: Int, order: Int, buddy: inout BuddyAllocator) -> Put {
        var put = Put()
        let p = Self.pindex(order: order)
        switch version {
        case .v6_1:
            lists[p].append(pfn)
            count += 1 << order
            let freeHigh = freeFactor > 0 && order > 0 && order <= 3
            let h = freeHigh ? 0 : high
            put.highSeen = h
            if count >= h {
                put.drained = bulkFree(nrPcpFree61(high: h, freeHigh: freeHigh), from: p, &buddy)
            }
        case .v6_18:
            allocFactor >>= 1
            lists[p].append(pfn)
            count += 1 << order
            let batch = tuning.batch
            var freeHigh = false
            if order > 0 && order <= 3 {
                // c544a952ba61 (v6.15): the threshold is batch + high_min / 2.
                freeHigh =
                    freeCount >= batch + tuning.highMin / 2 && previousFreeHighOrder
                    && count >= batch
                previousFreeHighOrder = true
            } else {
                previousFreeHighOrder = false
            }
            if freeCount < batch << Self.batchScaleMax { freeCount += 1 << order }
            let h = nrPcpHigh(batch: batch, freeHigh: freeHigh)
            put.highSeen = h
            if count >= h {
                let n = nrPcpFree(batch: batch, high: h, freeHigh: freeHigh)
                put.drained = bulkFree(n, from: p, &buddy)
                if zoneBelowHigh && watermarkOK(order: 0, mark: tuning.high, buddy: buddy) {
                    zoneBelowHigh = false
                }
            }
        }
        return put
    }

    /// 6.1 `nr_pcp_free`.
    mutating func nrPcpFree61(high h: Int, freeHigh: Bool) -> Int {
        if freeHigh { return count }
        let batch = tuning.batch
        if h < batch { return 1 }
        let maxFree = h - batch
        let scaled = batch << freeFactor
        if scaled < maxFree && freeFactor < Self.batchScaleMax { freeFactor += 1 }
        return min(max(scaled, batch), maxFree)
    }

    /// 6.18 `nr_pcp_high`.
    mutating func nrPcpHigh(batch: Int, freeHigh: Bool) -> Int {
        high = min(max(high, tuning.highMin), tuning.highMax)
        var h = high
        if h == 0 { return 0 }
        if freeHigh {
            high = max(h - (batch << Self.batchScaleMax), tuning.highMin)
            return 0
        }
        if tuning.highMin == tuning.highMax { return h }
        if zoneBelowHigh {
            high = max(h - max(freeCount, batch), tuning.highMin)
            h = max(count, tuning.highMin)
        } else if count >= h {
            let need = freeCount + batch
            if high < need { high = min(max(need, tuning.highMin), tuning.highMax) }
        }
        return h
    }

    /// 6.18 `nr_pcp_free`.
    func nrPcpFree(batch: Int, high h: Int, freeHigh: Bool) -> Int {
        if freeHigh { return min(count, batch << Self.batchScaleMax) }
        if h < batch { return 1 }
        return min(max(freeCount, batch), h - batch)
    }

    /// `free_pcppages_bulk(zone, count, pcp, pindex)`: round robin from `pindex`, each list
    /// from its tail, every block through `__free_one_page`.
    mutating func bulkFree(_ pages: Int, from pindex: Int, _ buddy: inout BuddyAllocator)
        -> [BuddyRelease]
    {
        var left = min(count, pages)
        var p = pindex - 1
        var released: [BuddyRelease] = []
        while left > 0 {
            repeat {
                p += 1
                if p > Self.listCount - 1 { p = 0 }
            } while lists[p].isEmpty
            let size = 1 << Self.order(pindex: p)
            repeat {
                let pfn = lists[p].removeFirst()
                left -= size
                count -= size
                released.append(buddy.free(pfn: pfn, order: Self.order(pindex: p)))
            } while left > 0 && !lists[p].isEmpty
        }
        return released
    }

    /// `drain_pages_zone`: everything back to the buddy allocator, in chunks of
    /// `batch << CONFIG_PCP_BATCH_SCALE_MAX`, each drained round robin from list 0.
    mutating func drain(_ buddy: inout BuddyAllocator) -> [BuddyRelease] {
        var released: [BuddyRelease] = []
        while count > 0 {
            released += bulkFree(min(count, tuning.batch << Self.batchScaleMax), from: 0, &buddy)
        }
        return released
    }

    /// Every block on the lists with its order (for the invariant check).
    func blocks() -> [(pfn: Int, order: Int)] {
        var result: [(pfn: Int, order: Int)] = []
        for (p, list) in lists.enumerated() {
            for pfn in list { result.append((pfn, Self.order(pindex: p))) }
        }
        return result
    }
}
