import AllocatorModels
import Scenarios

extension KernelFigure {
    static let physicalWidth = 256
    /// The widest the virtual pages of an area are drawn, leaving room for "guard".
    static let virtualWidth = 216

    /// Draws one vmalloc area: its virtual pages (the last one the guard page), and a line
    /// from each mapped page to its physical frame on a strip of the zone; returns the bottom.
    static func drawArea(
        _ area: KernelSnapshot.VmallocArea, zone: Range<Int>, names: VariableNames, changed: Bool,
        top: Int, into canvas: inout Canvas
    ) -> Int {
        let pageCount = max(Int(area.size / 4096), 1)
        let held = names.holding(area.address)
        let who = held.isEmpty ? "" : "\(held) = "
        let what =
            area.state == .busy
            ? (pageCount == 2 ? "1 page" : "\(pageCount - 1) pages") + " + guard page"
            : "freed, range not yet purged"
        let address = MallocFigure.fit(
            ["vmalloc area \(who)\(Units.hex(area.address))", "\(who)\(Units.hex(area.address))"],
            width: width - 8)
        if let address { canvas.text(address, 4, top + 14, class: "hd") }
        canvas.text("\(Units.bytes(area.size)): \(what)", 4, top + 30)
        // Pages get up to 24 px each; areas of more pages than the strip has pixels are scaled.
        let cellWidth = min(24, virtualWidth / pageCount)
        let stripWidth = cellWidth >= 2 ? pageCount * cellWidth : virtualWidth
        func vx(_ page: Int) -> Int { mapX + page * stripWidth / pageCount }
        let vy = top + 38
        let chg = changed ? " chg" : ""
        canvas.text("virtual", mapX - 6, vy + 11, anchor: .end, class: "muted")
        if area.state == .unpurged {
            canvas.rect(mapX, vy, stripWidth, 12, class: "vpage unpurged" + chg)
            return vy + 22
        }
        let guardX = vx(pageCount - 1)
        canvas.rect(mapX, vy, guardX - mapX, 12, class: "vpage o-vm" + chg)
        if cellWidth >= 4 {
            let separators = (1..<pageCount).map { "M\(vx($0)) \(vy)v12" }.joined()
            if !separators.isEmpty { canvas.path(separators, class: "sep") }
        }
        canvas.rect(guardX, vy, max(mapX + stripWidth - guardX, 2), 12, class: "vpage guard" + chg)
        canvas.text("guard", mapX + stripWidth + 6, vy + 11, class: "muted")
        let py = vy + 52
        canvas.text("physical", mapX - 6, py + 11, anchor: .end, class: "muted")
        let pfns = Array(area.pfns.prefix(pageCount - 1))
        let window = physicalWindow(pfns, zone: zone)
        let frameWidth = max(physicalWidth / window.count, 1)
        func px(_ pfn: Int) -> Int {
            mapX + (pfn - window.lowerBound) * physicalWidth / window.count
        }
        canvas.rect(mapX, py, physicalWidth, 12, class: "pstrip")
        var lines = ""
        var frames = ""
        var placed: [LabelBox] = []
        for (page, pfn) in pfns.enumerated() {
            let x = px(pfn)
            lines += "M\((vx(page) + vx(page + 1)) / 2) \(vy + 12)L\(x + frameWidth / 2) \(py)"
            frames += "M\(x) \(py)h\(max(frameWidth, 2))v12h-\(max(frameWidth, 2))z"
            // Frame numbers where there is room; every frame is in the description.
            let text = "\(pfn)"
            let w = LabelBox.textWidth(text, size: Canvas.textSize)
            let box = LabelBox(
                x: Double(x + frameWidth / 2) - w / 2, y: Double(py + 16), width: w,
                height: Double(Canvas.textSize), text: text)
            if !placed.contains(where: { $0.overlaps(box) }) && box.x >= 0
                && box.x + w <= Double(width)
            {
                placed.append(box)
            }
        }
        canvas.path(frames, class: "o-vm pframe")
        canvas.path(lines, class: "map-line" + chg)
        for box in placed {
            canvas.text(
                box.text, Int((box.x + box.width / 2).rounded()), py + 26, anchor: .middle,
                class: "addr")
        }
        let range = MallocFigure.fit(
            [
                "frames \(window.lowerBound)–\(window.upperBound - 1)"
                    + (window.count < zone.count ? " of \(zone.count)" : ""),
                "frames \(window.lowerBound)–\(window.upperBound - 1)",
            ], width: width - 8)
        if let range {
            canvas.text(range, mapX + physicalWidth, py + 42, anchor: .end, class: "muted")
        }
        return py + 46
    }

    /// The frames the physical strip shows: those of the area, widened to at least 32.
    static func physicalWindow(_ pfns: [Int], zone: Range<Int>) -> Range<Int> {
        guard let low = pfns.min(), let high = pfns.max() else { return zone }
        let minimum = 32
        var lower = low
        var upper = high + 1
        if upper - lower < minimum {
            lower = max(zone.lowerBound, lower - (minimum - (upper - lower)) / 2)
            upper = lower + minimum
        }
        return lower..<upper
    }
}
