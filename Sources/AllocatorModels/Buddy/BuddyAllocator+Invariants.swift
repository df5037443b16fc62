/// A broken internal rule of a kernel model, found by `checkInvariants()`.
public struct KernelInvariantError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong, in words.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

extension BuddyAllocator {
    /// Checks that free and allocated blocks tile the zone exactly, that every free block is
    /// aligned and on the list of its order exactly once, that the counts agree, and that no
    /// two free buddies were left unmerged.
    public func checkInvariants() throws(KernelInvariantError) {
        var index = 0
        var free = 0
        var freeBlocks = Array(repeating: 0, count: KernelLayout.orderCount)
        while index < pageCount {
            let f = Int(freeOrder[index])
            let u = Int(usedOrder[index])
            let order: Int
            if f >= 0 {
                guard u < 0 else {
                    throw KernelInvariantError("pfn \(startPfn + index) is free and allocated")
                }
                order = f
                free += 1 << order
                freeBlocks[order] += 1
                let buddy = index ^ (1 << order)
                if order < KernelLayout.maxOrder && isFree(buddy, order: order) {
                    throw KernelInvariantError(
                        "free buddies at pfn \(startPfn + index) and \(startPfn + buddy), order \(order), not merged"
                    )
                }
            } else if u >= 0 {
                order = u
            } else {
                throw KernelInvariantError("pfn \(startPfn + index) belongs to no block")
            }
            guard index & ((1 << order) - 1) == 0, index + (1 << order) <= pageCount else {
                throw KernelInvariantError(
                    "block at pfn \(startPfn + index) order \(order) is misaligned")
            }
            for inner in (index + 1)..<(index + (1 << order))
            where freeOrder[inner] >= 0 || usedOrder[inner] >= 0 {
                throw KernelInvariantError("pfn \(startPfn + inner) starts a block inside another")
            }
            index += 1 << order
        }
        guard free == freePages else {
            throw KernelInvariantError("free page count \(freePages) but \(free) pages are free")
        }
        for order in 0..<KernelLayout.orderCount {
            var seen = 0
            var i = heads[order]
            var last: Int32 = -1
            while i >= 0 {
                seen += 1
                guard seen <= pageCount, Int(freeOrder[Int(i)]) == order, prev[Int(i)] == last
                else {
                    throw KernelInvariantError(
                        "free list of order \(order) is broken at pfn \(startPfn + Int(i))")
                }
                last = i
                i = next[Int(i)]
            }
            guard tails[order] == last, seen == freeBlocks[order], seen == freeCounts[order] else {
                throw KernelInvariantError(
                    "order \(order): nr_free \(freeCounts[order]), list \(seen), blocks \(freeBlocks[order])"
                )
            }
        }
    }
}
