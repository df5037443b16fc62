import AllocatorModels
import Scenarios

extension KernelFigure {
    static let maxListedRuns = 8
    static let maxChips = 6
    static let chipsPerLine = 3

    /// Draws the owner legend and a list of the allocated runs with the variables in them
    /// (but for the slabs of the caches drawn in their own panels).
    static func drawOwners(
        _ snapshot: KernelSnapshot, palette: SlabPalette, names: VariableNames, top: Int,
        into canvas: inout Canvas
    ) -> Int {
        var legend = Legend(top: top + 6, width: width)
        var seen: [String] = []
        // A cache with its own panel shows its colour there, beside its name.
        let caches = Set(snapshot.caches.map { $0.name })
        for run in snapshot.pages {
            if case .slab(let cache) = run.owner, caches.contains(cache) { continue }
            let name = ownerName(run.owner)
            if !seen.contains(name) {
                seen.append(name)
                legend.add(swatch: ownerClass(run.owner, palette: palette), name)
            }
        }
        var y = legend.draw(into: &canvas)
        // Slabs of a cache that has its own panel are listed there, frame and variables.
        let allocated = snapshot.pages.filter { run in
            if case .slab(let cache) = run.owner, caches.contains(cache) { return false }
            return run.owner != .free && run.owner != .reserved
        }
        for run in allocated.prefix(maxListedRuns) {
            let last = run.pfn + run.count - 1
            let range = run.count == 1 ? "\(run.pfn)" : "\(run.pfn)–\(last)"
            let start = directMapAddress(pfn: run.pfn)
            let held = names.pointing(into: start..<(start &+ UInt64(run.count) * 4096))
            let owner = shortOwnerName(run.owner)
            var candidates: [String] = []
            if !held.isEmpty && run.owner != .vmalloc {
                candidates.append("\(range): \(owner) ← \(held)")
            }
            candidates += ["\(range): \(owner)", "\(run.pfn)+\(run.count): \(owner)", range]
            if let line = MallocFigure.fit(candidates, width: width - 8) {
                canvas.text(line, 4, y + 12)
            }
            y += 15
        }
        if allocated.count > maxListedRuns {
            canvas.text(
                "… and \(allocated.count - maxListedRuns) more runs", 4, y + 12, class: "muted")
            y += 15
        }
        return y + 2
    }

    /// The owner in a run list, where the pfn range comes first.
    private static func shortOwnerName(_ owner: KernelSnapshot.PageOwner) -> String {
        if case .slab(let cache) = owner { return "slab \(cache)" }
        return ownerName(owner)
    }

    /// Draws the buddy free lists as one row of counts per order, for frames whose subject is
    /// a slab cache or vmalloc (the lists are a side effect there); returns the bottom.
    static func drawFreeCounts(
        _ snapshot: KernelSnapshot, previous: KernelSnapshot?, top: Int,
        into canvas: inout Canvas
    ) -> Int {
        canvas.text("buddy free lists: blocks per order", 4, top + 14, class: "hd")
        let step = (width - 4) / max(snapshot.freeLists.count, 1)
        for (order, list) in snapshot.freeLists.enumerated() {
            let changed =
                previous.map { order >= $0.freeLists.count || $0.freeLists[order] != list } ?? false
            let x = 4 + order * step
            canvas.text(
                "\(order)", x + (step - 2) / 2, top + 34, anchor: .middle, class: "addr")
            canvas.rect(x, top + 39, step - 2, 18, class: "chip o-free" + (changed ? " chg" : ""))
            canvas.text(
                "\(list.count)", x + (step - 2) / 2, top + 53, anchor: .middle,
                class: changed ? "chg-t" : "")
        }
        return top + 60
    }

    /// Draws the buddy free lists, one row per order; returns the bottom.
    ///
    /// A row shows the order, its block size, the number of free blocks and the first
    /// `maxChips` blocks' frame numbers (head first, the ones new since the previous frame
    /// marked), three to a line.
    static func drawFreeLists(
        _ snapshot: KernelSnapshot, previous: KernelSnapshot?, top: Int, shared: inout SharedParts?,
        into canvas: inout Canvas
    ) -> Int {
        if !snapshot.caches.isEmpty || !snapshot.vmallocAreas.isEmpty {
            return drawFreeCounts(snapshot, previous: previous, top: top, into: &canvas)
        }
        var y = canvas.place(at: top, shared: &shared) { part in
            part.text("buddy free lists (head first)", 4, 14, class: "hd")
            part.text("order, size, blocks, first pfns", 4, 30, class: "muted")
            return 36
        }
        for (order, list) in snapshot.freeLists.enumerated() {
            let old = previous.flatMap {
                order < $0.freeLists.count ? Set($0.freeLists[order]) : nil
            }
            let changedRow =
                previous.map { order >= $0.freeLists.count || $0.freeLists[order] != list } ?? false
            let size = Units.bytes(UInt64(4096) << UInt64(order))
            y = canvas.place(at: y, shared: &shared) { part in
                let cls = changedRow ? "chg-t" : ""
                part.text("\(order)", 18, 13, anchor: .end, class: cls)
                part.text(size, 82, 13, anchor: .end, class: cls)
                part.text("\(list.count)", 112, 13, anchor: .end, class: "num")
                var x = 118
                var line = 0
                for (index, pfn) in list.prefix(maxChips).enumerated() {
                    if index > 0 && index % chipsPerLine == 0 {
                        x = 118
                        line += 1
                    }
                    let isNew = old.map { !$0.contains(pfn) } ?? false
                    part.rect(
                        x, 2 + line * 18, 56, 15, class: "chip o-free" + (isNew ? " chg" : ""))
                    part.text("\(pfn)", x + 28, 14 + line * 18, anchor: .middle)
                    x += 60
                }
                if list.count > maxChips {
                    part.text("+\(list.count - maxChips)", x + 2, 14 + line * 18, class: "muted")
                }
                return 18 * (line + 1)
            }
        }
        return y + 2
    }
}
