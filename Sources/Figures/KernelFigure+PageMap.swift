import AllocatorModels
import Scenarios

extension KernelFigure {
    /// One row of the page map: either `pagesPerRow` pages drawn cell by cell, or a band of
    /// whole rows that all have one boring owner (free or reserved), collapsed.
    enum MapRow: Equatable {
        case pages(first: Int, segments: [(pfn: Int, count: Int, owner: KernelSnapshot.PageOwner)])
        case collapsed(first: Int, count: Int, owner: KernelSnapshot.PageOwner)

        static func == (a: MapRow, b: MapRow) -> Bool {
            switch (a, b) {
            case let (.collapsed(f1, c1, o1), .collapsed(f2, c2, o2)):
                return f1 == f2 && c1 == c2 && o1 == o2
            case let (.pages(f1, s1), .pages(f2, s2)):
                return f1 == f2 && s1.elementsEqual(s2) { $0 == $1 }
            default:
                return false
            }
        }
    }

    /// Splits the page runs into map rows.
    ///
    /// Two or more consecutive rows that are entirely free or entirely reserved collapse. Rows
    /// start at the zone's first frame (a zone need not start at pfn 0: the model's
    /// ZONE_NORMAL starts at 4 GiB); frames no run covers are left out.
    static func mapRows(_ snapshot: KernelSnapshot) -> [MapRow] {
        let runs = snapshot.pages.sorted { $0.pfn < $1.pfn }
        guard let firstRun = runs.first else { return [] }
        var rows: [MapRow] = []
        var runIndex = 0
        var rowStart = firstRun.pfn
        let total = max(
            firstRun.pfn + snapshot.totalPages, runs.last.map { $0.pfn + $0.count } ?? 0)
        while rowStart < total {
            let rowEnd = min(rowStart + pagesPerRow, total)
            while runIndex < runs.count && runs[runIndex].pfn + runs[runIndex].count <= rowStart {
                runIndex += 1
            }
            guard runIndex < runs.count else { break }
            if runs[runIndex].pfn >= rowEnd {
                // A hole no run covers: go on at the next run.
                rowStart = runs[runIndex].pfn
                continue
            }
            // A run covering this row and at least the next whole row collapses.
            if isBoring(runs[runIndex].owner), runs[runIndex].pfn <= rowStart {
                let run = runs[runIndex]
                let runEnd = run.pfn + run.count
                let wholeRows = (min(runEnd, total) - rowStart) / pagesPerRow
                if wholeRows >= 2 {
                    let pages = wholeRows * pagesPerRow
                    rows.append(.collapsed(first: rowStart, count: pages, owner: run.owner))
                    rowStart += pages
                    continue
                }
            }
            var segments: [(pfn: Int, count: Int, owner: KernelSnapshot.PageOwner)] = []
            var i = runIndex
            while i < runs.count && runs[i].pfn < rowEnd {
                let start = max(runs[i].pfn, rowStart)
                let end = min(runs[i].pfn + runs[i].count, rowEnd)
                if end > start { segments.append((start, end - start, runs[i].owner)) }
                i += 1
            }
            rows.append(.pages(first: rowStart, segments: segments))
            rowStart = rowEnd
        }
        return rows
    }

    private static func isBoring(_ owner: KernelSnapshot.PageOwner) -> Bool {
        owner == .free || owner == .reserved
    }

    /// Draws the page map, row by row as parts (see `SharedParts`); returns its bottom.
    ///
    /// A row's first frame number stands at its left, on every row that is at least 40 px
    /// below the last numbered one (and on the first row after a collapsed band).
    static func drawPageMap(
        _ snapshot: KernelSnapshot, palette: SlabPalette, previous: KernelSnapshot?,
        shared: inout SharedParts?, into canvas: inout Canvas
    ) -> Int {
        var y = canvas.place(at: 0, shared: &shared) { part in
            part.text("physical pages: \(snapshot.totalPages) frames", 4, 14, class: "hd")
            part.text("1 cell = 1 page", width - 4, 14, anchor: .end, class: "muted")
            return 22
        }
        let changedPages = previous.map { changedPfns(from: $0, to: snapshot) } ?? []
        var nextLabel = 0
        for row in mapRows(snapshot) {
            switch row {
            case .collapsed(let first, let count, let owner):
                y = canvas.place(at: y, shared: &shared) { part in
                    part.rect(
                        mapX, 0, pagesPerRow * cell, 18,
                        class: ownerClass(owner, palette: palette) + " fold")
                    let what = owner == .free ? "free" : "reserved"
                    part.text(
                        "\(count) pages \(what)", mapX + pagesPerRow * cell / 2, 13,
                        anchor: .middle)
                    part.text("\(first)", mapX - 4, 13, anchor: .end, class: "addr")
                    return 20
                }
                nextLabel = y
            case .pages(let first, let segments):
                let label = y >= nextLabel
                if label { nextLabel = y + 40 }
                y = canvas.place(at: y, shared: &shared) { part in
                    for segment in segments {
                        let changed = (segment.pfn..<(segment.pfn + segment.count)).contains {
                            changedPages.contains($0)
                        }
                        part.rect(
                            mapX + (segment.pfn - first) * cell, 0, segment.count * cell, cell,
                            class: ownerClass(segment.owner, palette: palette)
                                + (changed ? " chg" : ""))
                    }
                    if let last = segments.last, let firstSegment = segments.first {
                        part.rect(
                            mapX + (firstSegment.pfn - first) * cell, 0,
                            (last.pfn + last.count - firstSegment.pfn) * cell, cell, class: "grid")
                    }
                    if label {
                        part.text("\(first)", mapX - 4, 9, anchor: .end, class: "addr")
                    }
                    return cell + 2
                }
            }
        }
        return y
    }

    /// Page frames whose owner differs between two snapshots.
    static func changedPfns(from old: KernelSnapshot, to new: KernelSnapshot) -> Set<Int> {
        func owners(_ s: KernelSnapshot) -> [Int: KernelSnapshot.PageOwner] {
            var map: [Int: KernelSnapshot.PageOwner] = [:]
            for run in s.pages where run.owner != .free {
                for pfn in run.pfn..<(run.pfn + run.count) { map[pfn] = run.owner }
            }
            return map
        }
        let a = owners(old)
        let b = owners(new)
        return Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }
    }
}
