import AllocatorModels
import Scenarios

extension KernelFigure {
    static let maxListedRuns = 8
    static let maxChips = 7

    /// Draws the owner legend and a list of the allocated runs with the variables in them.
    static func drawOwners(
        _ snapshot: KernelSnapshot, palette: SlabPalette, names: VariableNames, top: Int,
        into canvas: inout Canvas
    ) -> Int {
        var legend = Legend(top: top + 6, width: width)
        var seen: [String] = []
        for run in snapshot.pages {
            let name = ownerName(run.owner)
            if !seen.contains(name) {
                seen.append(name)
                legend.add(swatch: ownerClass(run.owner, palette: palette), name)
            }
        }
        var y = legend.draw(into: &canvas)
        let allocated = snapshot.pages.filter { $0.owner != .free && $0.owner != .reserved }
        for run in allocated.prefix(maxListedRuns) {
            let last = run.pfn + run.count - 1
            let range = run.count == 1 ? "pfn \(run.pfn)" : "pfn \(run.pfn)–\(last)"
            let pages = run.count == 1 ? "1 page" : "\(run.count) pages"
            let start = directMapAddress(pfn: run.pfn)
            let held = names.pointing(into: start..<(start &+ UInt64(run.count) * 4096))
            var line = "\(range) (\(pages)): \(ownerName(run.owner))"
            if !held.isEmpty && run.owner != .vmalloc { line += " ← \(held)" }
            canvas.text(line, 8, y + 10, size: 10)
            y += 14
        }
        if allocated.count > maxListedRuns {
            canvas.text(
                "… and \(allocated.count - maxListedRuns) more runs", 8, y + 10, size: 10,
                class: "muted")
            y += 14
        }
        return y
    }

    /// Draws the buddy free lists, one row per order; returns the bottom.
    static func drawFreeLists(
        _ snapshot: KernelSnapshot, previous: KernelSnapshot?, top: Int, shared: inout SharedParts?,
        into canvas: inout Canvas
    ) -> Int {
        var y = canvas.place(at: top, shared: &shared) { part in
            part.text("buddy free lists: free blocks per order (head first)", 8, 14, class: "hd")
            return 22
        }
        for (order, list) in snapshot.freeLists.enumerated() {
            let old = previous.flatMap {
                order < $0.freeLists.count ? Set($0.freeLists[order]) : nil
            }
            let changedRow =
                previous.map { order >= $0.freeLists.count || $0.freeLists[order] != list } ?? false
            let size = Units.bytes(UInt64(4096) << UInt64(order))
            y = canvas.place(at: y, shared: &shared) { part in
                part.text(
                    "order \(order) (\(size))", 8, 12, size: 10, class: changedRow ? "chg-t" : "")
                part.text("\(list.count)", 160, 12, size: 10, anchor: .end, class: "num")
                var x = 170
                for pfn in list.prefix(maxChips) {
                    let isNew = old.map { !$0.contains(pfn) } ?? false
                    part.rect(x, 2, 54, 13, class: "chip o-free" + (isNew ? " chg" : ""))
                    part.text("\(pfn)", x + 27, 12, size: 9, anchor: .middle)
                    x += 58
                }
                if list.count > maxChips {
                    part.text("+\(list.count - maxChips) more", x + 2, 12, size: 10, class: "muted")
                }
                return 16
            }
        }
        return y + 2
    }
}
