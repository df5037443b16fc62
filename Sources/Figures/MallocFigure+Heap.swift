import AllocatorModels
import Scenarios

extension MallocFigure {
    static let pageSize: UInt64 = 4096

    /// Height of a chunk box: one text line up to 1 KiB, growing with the logarithm of the size.
    static func chunkHeight(_ size: UInt64) -> Int {
        guard size > 1024 else { return 24 }
        return Units.clamp(24 + Int(6 * (Units.log2(size) - 10)), 24...60)
    }

    /// Pages overlapping a chunk, and how many of them are resident.
    static func pages(of chunk: MallocSnapshot.Chunk, resident: Set<UInt64>) -> [Bool] {
        let first = chunk.offset / pageSize
        let last = (chunk.offset + max(chunk.size, 1) - 1) / pageSize
        return (first...last).map { resident.contains($0 * pageSize) }
    }

    /// Draws the heap chunk by chunk, highest address on top; returns the column's bottom.
    static func drawHeap(
        _ snapshot: MallocSnapshot, names: VariableNames, previous: MallocSnapshot?,
        shared: inout SharedParts?, into canvas: inout Canvas
    ) -> Int {
        guard !snapshot.heapChunks.isEmpty else {
            canvas.rect(detailX, detailTop, detailWidth, 38, class: "band empty")
            canvas.text("no heap yet", detailX + 8, detailTop + 15)
            canvas.text("brk = initial break", detailX + 8, detailTop + 31)
            return detailTop + 38
        }
        let resident = Set(snapshot.residentHeapPages)
        let before = previous.map { Set($0.heapChunks) }
        let residentBefore = previous.map { Set($0.residentHeapPages) }
        canvas.line(detailX, detailTop, barX + 8, detailTop, class: "brk")
        canvas.text(
            "program break (brk) = heap+" + Units.hex(snapshot.brk), detailX, detailTop - 5,
            class: "brk-t")
        canvas.text("resident", barX + 6, detailTop - 5, class: "muted")
        var y = detailTop
        for chunk in snapshot.heapChunks.sorted(by: { $0.offset > $1.offset }) {
            let h = chunkHeight(chunk.size)
            let pages = pages(of: chunk, resident: resident)
            var changed = before.map { !$0.contains(chunk) } ?? false
            if let residentBefore {
                let first = chunk.offset / pageSize
                for (i, isResident) in pages.enumerated()
                where isResident != residentBefore.contains((first + UInt64(i)) * pageSize) {
                    changed = true
                }
            }
            // Each chunk is a part drawn from y = 0 (see `SharedParts`).
            var part = Canvas(width: width)
            let cls = "ck s-\(ChunkStyle.cssName(chunk.state))" + (changed ? " chg" : "")
            part.rect(detailX, 0, detailWidth, h, class: cls)
            drawChunkLabel(
                chunk, names: names, initialBreak: snapshot.initialBreak, y: 0, h: h, into: &part)
            drawPageBar(pages, y: 0, h: h, into: &part)
            canvas.append(part, y: y, shared: &shared)
            y += h
        }
        canvas.text(
            "heap+0x0 = " + Units.hex(snapshot.initialBreak), detailX, y + 14, class: "addr")
        return y + 16
    }

    private static func drawChunkLabel(
        _ chunk: MallocSnapshot.Chunk, names: VariableNames, initialBreak: UInt64, y: Int, h: Int,
        into canvas: inout Canvas
    ) {
        let held = ChunkStyle.holders(of: chunk, names: names, base: initialBreak)
        let state = ChunkStyle.label(chunk)
        let head = held.isEmpty ? state : "\(held) = heap+\(Units.hex(chunk.userOffset)) · \(state)"
        let short = held.isEmpty ? state : "\(held) · \(state)"
        let at = "chunk heap+" + Units.hex(chunk.offset)
        let size = "\(chunk.size) B"
        let room = detailWidth - 10
        if h >= 38 {
            if let line = fit([head, short, held, state], width: room) {
                canvas.text(line, detailX + 6, y + 16)
            }
            let line2 = [
                "\(at) · \(size) (\(Units.bytes(chunk.size)))", "\(at) · \(size)", size,
            ]
            if let line = fit(line2, width: room) {
                canvas.text(line, detailX + 6, y + 32)
            }
        } else if let line = fit(
            ["\(head) · \(size)", "\(short) · \(size)", short, held, state, size], width: room)
        {
            canvas.text(line, detailX + 6, y + h / 2 + 4)
        }
    }

    private static func drawPageBar(_ pages: [Bool], y: Int, h: Int, into canvas: inout Canvas) {
        canvas.rect(barX, y, 8, h, class: "pg-rsv")
        // Pages run from the chunk's low end (bottom) to its high end (top).
        let n = pages.count
        var runs = ""
        var i = 0
        while i < n {
            guard pages[i] else {
                i += 1
                continue
            }
            var j = i
            while j < n && pages[j] { j += 1 }
            let bottom = y + h - (i * h) / n
            let top = y + h - (j * h) / n
            runs += "M\(barX) \(top)h8v\(bottom - top)h-8z"
            i = j
        }
        if !runs.isEmpty { canvas.path(runs, class: "pg-res") }
        let count = pages.filter { $0 }.count
        canvas.text("\(count)/\(n)", barX + 12, y + h / 2 + 4, class: "muted")
    }
}
