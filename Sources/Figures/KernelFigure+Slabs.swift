import AllocatorModels
import Scenarios

extension KernelFigure {
    /// Width of the slot grid (slots of 5, 10 or up to 40 px, see `drawSlab`).
    static let slotGridWidth = 320
    static let maxSlabsShown = 3

    /// Draws every slab cache: a header, then up to `maxSlabsShown` slabs as grids of object
    /// slots (filled when used), with the variables that point into them; returns the bottom.
    static func drawCaches(
        _ snapshot: KernelSnapshot, palette: SlabPalette, names: VariableNames,
        previous: KernelSnapshot?, top: Int, shared: inout SharedParts?, into canvas: inout Canvas
    ) -> Int {
        var y = canvas.place(at: top, shared: &shared) { part in
            part.text("slab caches: object slots per slab (filled = in use)", 8, 14, class: "hd")
            return 22
        }
        for cache in snapshot.caches {
            let used = cache.slabs.reduce(0) { $0 + $1.used.filter { $0 }.count }
            let total = cache.slabs.count * cache.objectsPerSlab
            let pages = cache.pagesPerSlab == 1 ? "1 page" : "\(cache.pagesPerSlab) pages"
            let slabs = cache.slabs.count == 1 ? "1 slab" : "\(cache.slabs.count) slabs"
            y = canvas.place(at: y, shared: &shared) { part in
                part.text(
                    "\(cache.name): \(cache.objectSize) B objects, \(cache.objectsPerSlab) per slab of \(pages);"
                        + " \(slabs), \(used)/\(total) in use", 8, 12, size: 10)
                return 18
            }
            let oldSlabs = previous?.caches.first { $0.name == cache.name }?.slabs ?? []
            for slab in cache.slabs.prefix(maxSlabsShown) {
                let old = previous == nil ? slab : oldSlabs.first { $0.pfn == slab.pfn }
                y = canvas.place(at: y, shared: &shared) { part in
                    drawSlab(
                        slab, cache: cache, colour: palette.index(of: cache.name), names: names,
                        old: old, top: 0, into: &part)
                }
            }
            if cache.slabs.count > maxSlabsShown {
                let rest = cache.slabs.dropFirst(maxSlabsShown)
                let restUsed = rest.reduce(0) { $0 + $1.used.filter { $0 }.count }
                y = canvas.place(at: y, shared: &shared) { part in
                    part.text(
                        "… \(rest.count) more slabs, \(restUsed)/\(rest.count * cache.objectsPerSlab) in use",
                        mapX, 10, size: 10, class: "muted")
                    return 16
                }
            }
        }
        return y
    }

    private static func drawSlab(
        _ slab: KernelSnapshot.Slab, cache: KernelSnapshot.Cache, colour: Int, names: VariableNames,
        old: KernelSnapshot.Slab?, top: Int, into canvas: inout Canvas
    ) -> Int {
        canvas.text("pfn \(slab.pfn)", mapX - 6, top + 9, size: 10, anchor: .end, class: "addr")
        canvas.text(slab.state.rawValue, mapX - 6, top + 21, size: 10, anchor: .end, class: "muted")
        // 10 px slots; 5 px in slabs of more than 128 objects; wider, numbered slots in slabs
        // of fewer than 32 (kmalloc-8k has 4 per slab).
        let count = max(slab.used.count, 1)
        let slot = count > 128 ? 5 : count < 32 ? min(40, slotGridWidth / count) : 10
        let slotsPerRow = slotGridWidth / slot
        let rowHeight = min(slot, 10)
        let rows = (slab.used.count + slotsPerRow - 1) / slotsPerRow
        let base = directMapAddress(pfn: slab.pfn)
        // Used slots as thick strokes, one path per slab (and one for changed runs): a
        // fragmented slab of 512 slots stays a few kilobytes.
        var runs = ""
        var changedRuns = ""
        for row in 0..<rows {
            let first = row * slotsPerRow
            let end = min(first + slotsPerRow, slab.used.count)
            let y = top + row * rowHeight
            canvas.rect(mapX, y, (end - first) * slot, rowHeight, class: "sl-free")
            var i = first
            while i < end {
                guard slab.used[i] else {
                    i += 1
                    continue
                }
                var j = i
                while j < end && slab.used[j] { j += 1 }
                let changed =
                    old.map { o in (i..<j).contains { $0 >= o.used.count || !o.used[$0] } } ?? true
                let run = "M\(mapX + (i - first) * slot) \(y + rowHeight / 2)h\((j - i) * slot)"
                if changed { changedRuns += run } else { runs += run }
                i = j
            }
        }
        let thin = slot == 5 ? " t5" : ""
        if !runs.isEmpty { canvas.path(runs, class: "sl-run o-slab\(colour)" + thin) }
        if !changedRuns.isEmpty {
            canvas.path(changedRuns, class: "sl-run o-slab\(colour) chg" + thin)
        }
        let fullRows = slab.used.count / slotsPerRow
        let rest = slab.used.count % slotsPerRow
        if slot > 10 {
            let separators = (1..<count).map { "M\(mapX + $0 * slot) \(top)v\(rowHeight)" }.joined()
            if !separators.isEmpty { canvas.path(separators, class: "sep") }
            if slot >= 20 {
                for index in 0..<count {
                    canvas.text(
                        "\(index)", mapX + index * slot + slot / 2, top + 8, size: 9,
                        anchor: .middle, class: "muted")
                }
            }
        } else {
            let grid = slot == 5 ? "grid sl5" : "grid sl"
            if fullRows > 0 {
                canvas.rect(mapX, top, slotsPerRow * slot, fullRows * rowHeight, class: grid)
            }
            if rest > 0 {
                canvas.rect(mapX, top + fullRows * rowHeight, rest * slot, rowHeight, class: grid)
            }
        }
        // Variables pointing into this slab, listed at the right with their slot numbers.
        var lines: [String] = []
        let size = UInt64(max(cache.objectSize, 1))
        let span = UInt64(cache.pagesPerSlab) * 4096
        for index in 0..<slab.used.count {
            let address = base &+ UInt64(index) * size
            guard address &+ size <= base &+ span else { break }
            let held = names.holding(address)
            if !held.isEmpty { lines.append("\(held) → slot \(index) (\(Units.hex(address)))") }
        }
        let listX = mapX + slotGridWidth + 10
        for (n, line) in lines.enumerated() {
            let text = MallocFigure.fit(
                [line, String(line.prefix { $0 != "(" })], width: width - listX - 4, size: 10)
            if let text { canvas.text(text, listX, top + 9 + n * 12, size: 10) }
        }
        let height = max(rows * rowHeight, 24, lines.count * 12)
        return top + height + 8
    }
}
