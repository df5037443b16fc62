/// The buddy page allocator of one zone (`ZONE_NORMAL`, node 0), as in Linux 6.18
/// `mm/page_alloc.c`.
///
/// Modelled: orders 0...10, `__rmqueue_smallest` (lowest order first, list head), `expand`
/// (the low half is kept, upper halves go to the list heads), `__free_one_page` (buddy =
/// pfn ^ (1 << order), merging up to order 10) and the head/tail placement of
/// `buddy_merge_likely`.
///
/// Simplified, on purpose, as the spec allows:
/// - **No per-CPU page lists (pcp).** Every order-0...3 allocation and free reaches the free
///   lists at once, so the model's buddyinfo changes on every call and freed pages merge
///   immediately. A real `/proc/buddyinfo` lags: pages move to and from the pcp lists in
///   batches (63 on the reference machine) and pages parked there neither count nor merge.
/// - **One migratetype.** All kernel allocations are `GFP_KERNEL` (Unmovable); the single
///   list per order stands for the union that buddyinfo prints.
/// - **One zone** with no watermarks: the model can allocate down to the last free page.
///
/// Free lists are intrusive doubly linked lists over per-page arrays, so every list
/// operation is O(1).
public struct BuddyAllocator: Sendable {
    /// First page frame of the zone (aligned to 1024 pages).
    public let startPfn: Int
    /// Number of page frames in the zone.
    public let pageCount: Int

    /// For a free block's first page: its order; otherwise -1.
    var freeOrder: [Int8]
    /// For an allocated block's first page: its order; otherwise -1.
    var usedOrder: [Int8]
    var next: [Int32]
    var prev: [Int32]
    var heads: [Int32]
    var tails: [Int32]
    /// `nr_free` per order: free blocks (not pages).
    public private(set) var freeCounts: [Int]
    /// Free pages in the zone.
    public private(set) var freePages: Int

    /// Creates a zone of `pageCount` pages starting at `startPfn`, all free, handed over as
    /// boot does (`__free_pages_core` with `FPI_TO_TAIL`): the largest aligned blocks, in
    /// ascending address order on every list.
    public init(startPfn: Int, pageCount: Int) {
        precondition(startPfn % 1024 == 0 && pageCount > 0)
        self.startPfn = startPfn
        self.pageCount = pageCount
        freeOrder = Array(repeating: -1, count: pageCount)
        usedOrder = Array(repeating: -1, count: pageCount)
        next = Array(repeating: -1, count: pageCount)
        prev = Array(repeating: -1, count: pageCount)
        heads = Array(repeating: -1, count: KernelLayout.orderCount)
        tails = Array(repeating: -1, count: KernelLayout.orderCount)
        freeCounts = Array(repeating: 0, count: KernelLayout.orderCount)
        freePages = 0
        var index = 0
        while index < pageCount {
            var order = KernelLayout.maxOrder
            while order > 0 && (index & ((1 << order) - 1) != 0 || index + (1 << order) > pageCount)
            {
                order -= 1
            }
            insert(index, order: order, tail: true)
            freePages += 1 << order
            index += 1 << order
        }
    }

    // MARK: - Lists

    mutating func insert(_ index: Int, order: Int, tail: Bool) {
        freeOrder[index] = Int8(order)
        let i = Int32(index)
        if heads[order] < 0 {
            heads[order] = i
            tails[order] = i
            next[index] = -1
            prev[index] = -1
        } else if tail {
            let t = Int(tails[order])
            next[t] = i
            prev[index] = Int32(t)
            next[index] = -1
            tails[order] = i
        } else {
            let h = Int(heads[order])
            prev[h] = i
            next[index] = Int32(h)
            prev[index] = -1
            heads[order] = i
        }
        freeCounts[order] += 1
    }

    mutating func remove(_ index: Int, order: Int) {
        let p = prev[index]
        let n = next[index]
        if p >= 0 { next[Int(p)] = n } else { heads[order] = n }
        if n >= 0 { prev[Int(n)] = p } else { tails[order] = p }
        freeOrder[index] = -1
        next[index] = -1
        prev[index] = -1
        freeCounts[order] -= 1
    }

    /// Whether the block at `index` is free at exactly `order` (`page_is_buddy`).
    @inline(__always) func isFree(_ index: Int, order: Int) -> Bool {
        index >= 0 && index < pageCount && Int(freeOrder[index]) == order
    }

    // MARK: - Allocation and free

    /// `alloc_pages(gfp, order)` at the buddy level: `nil` when no block of `order` or
    /// larger is free, or when `order` > 10.
    public mutating func allocate(order: Int) -> BuddyAllocation? {
        guard order >= 0, order <= KernelLayout.maxOrder else { return nil }
        var current = order
        while current <= KernelLayout.maxOrder && heads[current] < 0 { current += 1 }
        guard current <= KernelLayout.maxOrder else { return nil }
        let index = Int(heads[current])
        remove(index, order: current)
        var splits: [BuddyBlock] = []
        var high = current
        while high > order {
            high -= 1
            let upper = index + (1 << high)
            insert(upper, order: high, tail: false)
            splits.append(BuddyBlock(pfn: startPfn + upper, order: high))
        }
        usedOrder[index] = Int8(order)
        freePages -= 1 << order
        return BuddyAllocation(
            block: BuddyBlock(pfn: startPfn + index, order: order),
            source: BuddyBlock(pfn: startPfn + index, order: current), splits: splits)
    }

    /// Whether `pfn` starts an allocated block of exactly `order`.
    public func isAllocated(pfn: Int, order: Int) -> Bool {
        let index = pfn - startPfn
        return index >= 0 && index < pageCount && Int(usedOrder[index]) == order
    }

    /// The order of the allocated block starting at `pfn`, or `nil`.
    public func allocatedOrder(pfn: Int) -> Int? {
        let index = pfn - startPfn
        guard index >= 0, index < pageCount, usedOrder[index] >= 0 else { return nil }
        return Int(usedOrder[index])
    }

    /// `split_page(page, order)`: an allocated block becomes `1 << order` allocated order-0
    /// pages, each freed on its own later.
    public mutating func splitAllocated(pfn: Int, order: Int) {
        let index = pfn - startPfn
        precondition(isAllocated(pfn: pfn, order: order), "splitting a block that is not allocated")
        for i in index..<(index + (1 << order)) { usedOrder[i] = 0 }
    }

    /// `__free_pages(page, order)` at the buddy level (`__free_one_page`).
    ///
    /// The caller must pass a block this allocator handed out (`isAllocated`).
    public mutating func free(pfn: Int, order: Int) -> BuddyRelease {
        var index = pfn - startPfn
        precondition(isAllocated(pfn: pfn, order: order), "freeing a block that is not allocated")
        usedOrder[index] = -1
        freePages += 1 << order
        var current = order
        var merged: [BuddyBlock] = []
        var buddy = index ^ (1 << current)
        while current < KernelLayout.maxOrder {
            buddy = index ^ (1 << current)
            guard isFree(buddy, order: current) else { break }
            remove(buddy, order: current)
            merged.append(BuddyBlock(pfn: startPfn + buddy, order: current))
            index &= buddy
            current += 1
        }
        // buddy_merge_likely: tail if the buddy of the order+1 block holding us is free.
        var toTail = false
        if current < KernelLayout.maxOrder - 1 {
            let higher = buddy & index
            let higherBuddy = higher ^ (1 << (current + 1))
            toTail = isFree(higherBuddy, order: current + 1)
        }
        insert(index, order: current, tail: toTail)
        return BuddyRelease(
            block: BuddyBlock(pfn: pfn, order: order), merged: merged,
            result: BuddyBlock(pfn: startPfn + index, order: current), toTail: toTail)
    }

    /// The free list of `order`, head first, as page frame numbers.
    public func freeList(order: Int) -> [Int] {
        var result: [Int] = []
        var i = heads[order]
        while i >= 0 {
            result.append(startPfn + Int(i))
            i = next[Int(i)]
        }
        return result
    }

    /// `/proc/buddyinfo` for the zone: `Node 0, zone   Normal` then 11 `%6lu ` columns.
    public func buddyinfo() -> String {
        var line = "Node 0, zone " + leftPad("Normal", 8) + " "
        for count in freeCounts {
            line += leftPad(String(count), 6) + " "
        }
        return line + "\n"
    }
}
