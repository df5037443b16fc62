import AllocatorModels
import Scenarios

extension KernelFigure {
    /// Left edge and width of the slot grids (slots of 10 px or up to 40 px, see `drawSlab`);
    /// a multiple of 10, so that the 10 px grid pattern lines up with the slots.
    static let gridX = 10
    static let slotGridWidth = 320
    static let maxSlabsShown = 3
    /// Slabs of more objects than this are a count bar with the held slots called out.
    static let maxSlotGrid = 64

    /// Draws one slab cache: a header, then up to `maxSlabsShown` slabs, each as a grid of
    /// object slots (filled when used) or, for many small objects, a count bar, with the
    /// variables that point into them; returns the bottom.
    static func drawCache(
        _ cache: KernelSnapshot.Cache, palette: SlabPalette, names: VariableNames,
        previous: KernelSnapshot?, shared: inout SharedParts?, into canvas: inout Canvas
    ) -> Int {
        let used = cache.slabs.reduce(0) { $0 + $1.used.filter { $0 }.count }
        let total = cache.slabs.count * cache.objectsPerSlab
        let pages = cache.pagesPerSlab == 1 ? "1 page" : "\(cache.pagesPerSlab) pages"
        let slabs = cache.slabs.count == 1 ? "1 slab" : "\(cache.slabs.count) slabs"
        var y = canvas.place(at: 0, shared: &shared) { part in
            let head = [
                "\(cache.name): \(used)/\(total) in use, \(slabs)",
                "\(cache.name): \(used)/\(total)",
                cache.name,
            ]
            // The cache's colour in the page map, where the legend leaves it out.
            part.rect(4, 4, 12, 12, class: "sw o-slab o-slab\(palette.index(of: cache.name))")
            if let line = MallocFigure.fit(head, width: width - 26) {
                part.text(line, 22, 15, class: "hd")
            }
            let geometry = [
                "\(cache.objectSize) B objects, \(cache.objectsPerSlab) per slab of \(pages)",
                "\(cache.objectSize) B × \(cache.objectsPerSlab) per \(pages)",
            ]
            if let line = MallocFigure.fit(geometry, width: width - 8) {
                part.text(line, 4, 30, class: "muted")
            }
            return 36
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
                    4, 12, class: "muted")
                return 16
            }
        }
        return y
    }

    /// One slab: its frame and state, then its slots, then the variables in it.
    private static func drawSlab(
        _ slab: KernelSnapshot.Slab, cache: KernelSnapshot.Cache, colour: Int, names: VariableNames,
        old: KernelSnapshot.Slab?, top: Int, into canvas: inout Canvas
    ) -> Int {
        canvas.text("pfn \(slab.pfn) · \(slab.state.rawValue)", gridX, top + 12, class: "addr")
        let top = top + 17
        // Slabs of more than `maxSlotGrid` objects are a count bar; 10 px slots otherwise;
        // wider, numbered slots in slabs of fewer than 32 (kmalloc-8k has 4 per slab).
        let count = max(slab.used.count, 1)
        if count > maxSlotGrid {
            return drawSlotBar(
                slab, cache: cache, colour: colour, names: names, old: old, top: top,
                into: &canvas)
        }
        let slot = count < 32 ? min(40, slotGridWidth / count) : 10
        let slotsPerRow = slotGridWidth / slot
        let rowHeight = slot >= 20 ? 16 : 10
        let rows = (slab.used.count + slotsPerRow - 1) / slotsPerRow
        // Used slots as thick strokes, one path per slab (and one for changed runs).
        var runs = ""
        var changedRuns = ""
        for row in 0..<rows {
            let first = row * slotsPerRow
            let end = min(first + slotsPerRow, slab.used.count)
            let y = top + row * rowHeight
            canvas.rect(gridX, y, (end - first) * slot, rowHeight, class: "sl-free")
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
                let run = "M\(gridX + (i - first) * slot) \(y + rowHeight / 2)h\((j - i) * slot)"
                if changed { changedRuns += run } else { runs += run }
                i = j
            }
        }
        let thick = rowHeight == 16 ? " t16" : ""
        if !runs.isEmpty { canvas.path(runs, class: "sl-run o-slab\(colour)" + thick) }
        if !changedRuns.isEmpty {
            canvas.path(changedRuns, class: "sl-run o-slab\(colour) chg" + thick)
        }
        let fullRows = slab.used.count / slotsPerRow
        let rest = slab.used.count % slotsPerRow
        if slot > 10 {
            let separators = (1..<count).map { "M\(gridX + $0 * slot) \(top)v\(rowHeight)" }
                .joined()
            if !separators.isEmpty { canvas.path(separators, class: "sep") }
            if slot >= 20 {
                for index in 0..<count {
                    canvas.text(
                        "\(index)", gridX + index * slot + slot / 2, top + 12, anchor: .middle,
                        class: "muted")
                }
            }
        } else {
            if fullRows > 0 {
                canvas.rect(gridX, top, slotsPerRow * slot, fullRows * rowHeight, class: "grid sl")
            }
            if rest > 0 {
                canvas.rect(
                    gridX, top + fullRows * rowHeight, rest * slot, rowHeight, class: "grid sl")
            }
        }
        let below = top + rows * rowHeight + 4
        let lines = drawHolders(slab, cache: cache, names: names, top: below, into: &canvas)
        return below + lines.count * 15 + 4
    }

    /// Lists the variables pointing into a slab under it, with their slot numbers, one a
    /// line from `top`; returns the slots they hold.
    private static func drawHolders(
        _ slab: KernelSnapshot.Slab, cache: KernelSnapshot.Cache, names: VariableNames,
        top: Int, into canvas: inout Canvas
    ) -> [Int] {
        var lines: [(slot: Int, text: String)] = []
        let base = directMapAddress(pfn: slab.pfn)
        let size = UInt64(max(cache.objectSize, 1))
        let span = UInt64(cache.pagesPerSlab) * 4096
        for index in 0..<slab.used.count {
            let address = base &+ UInt64(index) * size
            guard address &+ size <= base &+ span else { break }
            let held = names.holding(address)
            if !held.isEmpty {
                lines.append((index, "\(held) → slot \(index) (\(Units.hex(address)))"))
            }
        }
        for (n, line) in lines.enumerated() {
            let text = MallocFigure.fit(
                [line.text, String(line.text.prefix { $0 != "(" })], width: width - gridX - 4)
            if let text { canvas.text(text, gridX, top + 12 + n * 15) }
        }
        return lines.map { $0.slot }
    }

    /// A slab of many small objects as one bar: the used slots drawn to scale (at least 2 px
    /// each run), the slots a variable holds marked under it and listed, the count under that.
    private static func drawSlotBar(
        _ slab: KernelSnapshot.Slab, cache: KernelSnapshot.Cache, colour: Int,
        names: VariableNames, old: KernelSnapshot.Slab?, top: Int, into canvas: inout Canvas
    ) -> Int {
        let count = slab.used.count
        let x = { (slot: Int) in gridX + slot * slotGridWidth / count }
        canvas.rect(gridX, top, slotGridWidth, 12, class: "sl-free")
        var runs = ""
        var changedRuns = ""
        var i = 0
        while i < count {
            guard slab.used[i] else {
                i += 1
                continue
            }
            var j = i
            while j < count && slab.used[j] { j += 1 }
            let changed =
                old.map { o in (i..<j).contains { $0 >= o.used.count || !o.used[$0] } } ?? true
            let run = "M\(x(i)) \(top + 6)h\(max(2, x(j) - x(i)))"
            if changed { changedRuns += run } else { runs += run }
            i = j
        }
        if !runs.isEmpty { canvas.path(runs, class: "sl-run bar o-slab\(colour)") }
        if !changedRuns.isEmpty {
            canvas.path(changedRuns, class: "sl-run bar o-slab\(colour) chg")
        }
        let used = slab.used.filter { $0 }.count
        canvas.text("\(used) of \(count) slots in use", gridX, top + 33, class: "muted")
        let held = drawHolders(slab, cache: cache, names: names, top: top + 36, into: &canvas)
        if !held.isEmpty {
            let marks = held.map { "M\(x($0) + 1) \(top + 13)v6" }.joined()
            canvas.path(marks, class: "held")
        }
        return top + 36 + held.count * 15 + 4
    }
}
