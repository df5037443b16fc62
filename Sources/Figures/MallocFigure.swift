import AllocatorModels
import Scenarios

/// Draws a malloc snapshot: the process address space on a broken axis (high addresses at
/// the top, as in the seed article's figures) and the brk heap chunk by chunk beside it.
enum MallocFigure {
    static let width = PanelSet.width
    // Address-space panel: addresses at the left, the bands at the right.
    static let axisX = 136
    static let axisWidth = 192
    // Heap panel: the chunks, then each chunk's resident pages as a bar and a count.
    static let detailX = 4
    static let detailWidth = 244
    static let barX = 252
    static let detailTop = 40

    /// Lays out one frame as two panels: the address space and the heap beside it (stacked
    /// on a phone).
    ///
    /// `previous` (the frame before, if any) marks what changed; with
    /// `shared`, an address-space band equal to an earlier frame's is drawn by reference;
    /// `legend: false` leaves the legend to the figure.
    static func draw(
        _ snapshot: MallocSnapshot, labels: [String: UInt64], previous: MallocSnapshot?,
        shared: inout SharedParts?, legend withLegend: Bool = true
    ) -> PanelSet {
        let names = VariableNames(labels)
        var axis = Canvas.panel("process address space", shared: &shared)
        let heapBox = drawAxis(
            snapshot, names: names, previous: previous, shared: &shared, into: &axis)
        axis.height = (heapBox?.axisBottom ?? 26) + 6
        var heap = Canvas.panel("heap, chunk by chunk", shared: &shared)
        let detailBottom = drawHeap(
            snapshot, names: names, previous: previous, shared: &shared, into: &heap)
        let bottom = detailBottom + 8
        if withLegend {
            heap.height = legend([snapshot], top: bottom).draw(into: &heap)
        } else {
            heap.height = bottom
        }
        return PanelSet(panels: [axis, heap])
    }

    /// The legend for the chunk states that occur in `snapshots`.
    static func legend(_ snapshots: [MallocSnapshot], top: Int = 0) -> Legend {
        var legend = Legend(top: top, width: width)
        let states = MallocSnapshot.ChunkState.allCases.filter { state in
            snapshots.contains { $0.heapChunks.contains { $0.state == state } }
        }
        for state in states {
            legend.add(swatch: "s-\(ChunkStyle.cssName(state))", ChunkStyle.legend(state))
        }
        if snapshots.contains(where: { !$0.heapChunks.isEmpty }) {
            legend.add(swatch: "pg-res", "resident page")
            legend.add(swatch: "pg-rsv", "reserved, not touched")
        }
        return legend
    }

    /// Vertical extent of the heap band in the address-space column.
    struct HeapBox {
        var top: Int
        var bottom: Int
        var axisBottom: Int
    }

    private static func drawAxis(
        _ snapshot: MallocSnapshot, names: VariableNames, previous: MallocSnapshot?,
        shared: inout SharedParts?, into canvas: inout Canvas
    ) -> HeapBox? {
        let layout = AddressSpaceBands(snapshot)
        let before = previous.map { Set(AddressSpaceBands($0).bands) }
        var y = 26
        var heap: (top: Int, bottom: Int)?
        let bands = layout.bands
        for index in bands.indices.reversed() {
            // Each band is a part drawn from y = 0, so that an unchanged band is sent once
            // per figure and placed by reference wherever it lands.
            let band = bands[index]
            let h = bandHeight(band.size)
            let changed = before.map { !$0.contains(band) } ?? false
            let empty = band.size == 0
            var part = Canvas(width: width)
            part.rect(
                axisX, 0, axisWidth, h,
                class: "band r-\(band.kind.rawValue)" + (empty ? " empty" : "")
                    + (changed ? " chg" : ""))
            let label = fit(
                bandLabels(band, snapshot: snapshot, names: names), width: axisWidth - 8)
            if let label {
                part.text(label, axisX + axisWidth / 2, h / 2 + 4, anchor: .middle)
            }
            let gapAbove = index == bands.count - 1 || layout.gap(after: index) > 0
            if !empty && (gapAbove || band.kind == .heap) {
                let prefix = band.kind == .heap ? "brk " : ""
                part.text(
                    prefix + Units.hex(band.end), axisX - 4, 11, anchor: .end, class: "addr")
            }
            part.text(
                (empty ? "brk " : "") + Units.hex(band.start), axisX - 4, h - 2, anchor: .end,
                class: "addr")
            canvas.append(part, y: y, shared: &shared)
            if band.kind == .heap { heap = (y, y + h) }
            y += h
            if index > 0 {
                let gap = layout.gap(after: index - 1)
                if gap > 0 {
                    var part = Canvas(width: width)
                    drawGap(gap, into: &part)
                    canvas.append(part, y: y, shared: &shared)
                    y += 26
                }
            }
        }
        guard let heap else { return nil }
        return HeapBox(top: heap.top, bottom: heap.bottom, axisBottom: y)
    }

    /// A cut in the axis: two zigzags (the shared `#abp-zig` symbol) and the size of the hole.
    private static func drawGap(_ size: UInt64, into canvas: inout Canvas) {
        canvas.use("abp-zig", axisX - 4, 0)
        canvas.use("abp-zig", axisX - 4, 20)
        canvas.text(
            "unmapped " + Units.bytes(size), axisX + axisWidth / 2, 17, anchor: .middle,
            class: "muted")
    }

    static func bandHeight(_ size: UInt64) -> Int {
        guard size > 0 else { return 26 }
        return Units.clamp(26 + Int(5 * (Units.log2(size) - 12)), 26...56)
    }

    private static func bandLabels(
        _ band: AddressSpaceBands.Band, snapshot: MallocSnapshot, names: VariableNames
    ) -> [String] {
        let size = Units.bytes(band.size)
        switch band.kind {
        case .heap:
            return band.size == 0 ? ["heap: empty", "heap"] : ["[heap] \(size)", "[heap]", "heap"]
        case .stack: return ["[stack] \(size)", "[stack]", "stack"]
        case .text: return ["text \(size)", "text"]
        case .data: return ["data \(size)", "data"]
        case .bss: return ["bss \(size)", "bss"]
        case .library: return ["shared libraries", "libraries", "libs"]
        case .mmapChunk:
            let held = names.pointing(into: band.start..<band.end)
            let who = held.isEmpty ? "" : held + ": "
            return ["\(who)mmapped \(size)", "\(who)mmap \(size)", "\(who)\(size)", held, "mmap"]
        }
    }

    /// The first candidate that fits `width` at `size` px, if any.
    static func fit(_ candidates: [String], width: Int, size: Int = Canvas.textSize) -> String? {
        candidates.first { !$0.isEmpty && LabelBox.textWidth($0, size: size) <= Double(width) }
    }
}
