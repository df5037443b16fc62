import AllocatorModels

/// How the runner words what CPU 0's per-CPU page lists did in one call (`pcp=true`).
extension KernelScenarioRunner {
    /// The lines for the call's per-CPU list events: one taken or freed block in detail, many
    /// (a vmalloc area) summed up; refills, drains and the buddy work behind them.
    static func perCPUWords(_ events: [PerCPUEvent]) -> [String] {
        let taken = events.filter { $0.kind == .allocated && $0.pfn != nil }
        let freed = events.filter { $0.kind == .freed }
        var lines: [String] = []
        if taken.count == 1, let e = taken.first, let pfn = e.pfn {
            lines += refillWords(e)
            lines.append(
                "pfn \(pfn) taken from the head of CPU 0's order-\(e.order) per-CPU list "
                    + "(count \(e.count) pages left, high \(e.high))")
        } else if taken.count > 1 {
            let refills = taken.filter { !$0.refill.isEmpty }
            let moved = refills.reduce(0) { $0 + $1.refill.count }
            var line =
                "\(taken.count) blocks taken from the heads of CPU 0's per-CPU lists"
            if !refills.isEmpty {
                line +=
                    "; rmqueue_bulk refilled an empty list \(refills.count) "
                    + "time\(refills.count == 1 ? "" : "s"), moving \(moved) blocks from the buddy "
                    + "free lists"
            }
            lines.append(line + " (count \(taken.last?.count ?? 0) pages left)")
        }
        for e in events where e.kind == .allocated && e.pfn == nil {
            lines.append(
                "CPU 0's order-\(e.order) per-CPU list is empty and rmqueue_bulk found no free "
                    + "order-\(e.order) block")
        }
        if freed.count == 1, let e = freed.first, let pfn = e.pfn {
            let before = e.count + e.drained.reduce(0) { $0 + (1 << $1.block.order) }
            lines.append(
                "pfn \(pfn) pushed on the head of CPU 0's order-\(e.order) per-CPU list "
                    + "(count \(before) pages, high \(e.high)); the buddy free lists do not see it")
            lines += drainWords(e.drained, reason: "count reached high \(e.high)")
        } else if freed.count > 1 {
            let drained = freed.flatMap { $0.drained }
            lines.append(
                "\(freed.count) blocks pushed on the heads of CPU 0's per-CPU lists "
                    + "(count \(freed.last?.count ?? 0) pages afterwards)")
            lines += drainWords(drained, reason: "count reached high")
        }
        for e in events where e.kind == .drainedAll {
            lines += drainWords(e.drained, reason: "drain_all_pages")
            if e.drained.isEmpty { lines.append("drain_all_pages: the per-CPU lists are empty") }
        }
        return lines
    }

    private static func refillWords(_ e: PerCPUEvent) -> [String] {
        guard !e.refill.isEmpty else { return [] }
        var lines = [
            "CPU 0's order-\(e.order) per-CPU list was empty: rmqueue_bulk moved "
                + "\(e.refill.count) of the \(e.asked) blocks asked for from the buddy free lists "
                + "to its tail (pfn \(e.refill[0].block.pfn) first)"
        ]
        let splits = e.refill.filter { !$0.splits.isEmpty }
        if let first = splits.first {
            lines.append(
                "buddy: split \(splits.count) block\(splits.count == 1 ? "" : "s") for the refill, "
                    + "the first an order-\(first.source.order) block at pfn \(first.source.pfn)")
        }
        return lines
    }

    private static func drainWords(_ drained: [BuddyRelease], reason: String) -> [String] {
        guard !drained.isEmpty else { return [] }
        let pages = drained.reduce(0) { $0 + (1 << $1.block.order) }
        var lines = [
            "\(reason): free_pcppages_bulk gave \(drained.count) "
                + "block\(drained.count == 1 ? "" : "s") (\(pages) page\(pages == 1 ? "" : "s")) "
                + "back to the buddy allocator, each list from its tail"
        ]
        let merges = drained.reduce(0) { $0 + $1.merged.count }
        if merges > 0 {
            let largest = drained.max { $0.result.order < $1.result.order }
            lines.append(
                "buddy: \(merges) merge\(merges == 1 ? "" : "s") with free buddies"
                    + (largest.map {
                        ", the largest into an order-\($0.result.order) block at pfn \($0.result.pfn)"
                    } ?? ""))
        }
        return lines
    }
}

extension KernelScenarioRunner {
    /// `kvrealloc` with the prototype of the machine's release: 6.18's `(p, size, flags)`,
    /// 6.1's `(p, oldsize, newsize, flags)`.
    mutating func kvreallocated(
        _ statement: ScenarioStatement, _ name: String, _ p: PointerReference, _ oldSize: UInt64?,
        _ size: UInt64, _ gfp: GFP
    ) -> ScenarioStepResult {
        let version = machine.configuration.version
        let address = resolve(p)
        let outcome: KernelOutcome
        var notes: [String] = []
        switch (version, oldSize) {
        case (.v6_1, let old?):
            if old >= size {
                notes.append(
                    "oldsize \(old) >= newsize \(size): 6.1's kvrealloc returns p as it is"
                        + (size == 0 ? " (nothing is freed)" : ""))
            } else {
                notes.append("6.1's kvrealloc never grows in place: kvmalloc, copy, kvfree")
            }
            outcome = machine.kvrealloc(address, oldSize: old, newSize: size, gfp)
        case (.v6_18, nil):
            if address >= KernelLayout.vmallocStart && address <= KernelLayout.vmallocEnd {
                notes.append("a vmalloc address: vrealloc")
            } else {
                notes.append("not a vmalloc address: krealloc first, kvmalloc if that fails")
            }
            outcome = machine.kvrealloc(address, size: size, gfp)
        case (.v6_1, nil):
            return ScenarioStepResult(
                lines: [
                    "6.1's kvrealloc takes (p, oldsize, newsize, flags); (p, size, flags) is 6.18's"
                ])
        case (.v6_18, _?):
            return ScenarioStepResult(
                lines: [
                    "6.18's kvrealloc takes (p, size, flags); (p, oldsize, newsize, flags) is 6.1's"
                ])
        }
        var result = pointer(statement, name, outcome, failure: nil)
        result.lines.insert(contentsOf: notes, at: 1)
        return result
    }
}
