/// A `/proc` file a scenario printed, read back into columns for the page: `/proc/buddyinfo`,
/// `/proc/slabinfo` and `/proc/vmallocinfo` become tables that fit the column at 1280 px; the
/// exact text stays one click away on the page.
struct ProcTable {
    /// A line above the table (`slabinfo - version: 2.1`), if the file has one.
    var caption: String?
    /// The column headings.
    var header: [String]
    /// The rows, each as long as `header`, with the file line it came from.
    var rows: [(line: String, cells: [String])]
    /// Whether the table shows every field of the file (no column left out).
    var isComplete = true
    /// Columns whose cells are all `0` in a row that holds nothing (a slab cache without
    /// objects); such rows are left out of the first table, like unchanged rows later.
    var emptyColumns: [Int] = []

    /// Whether a row holds nothing (see `emptyColumns`).
    func isEmpty(_ cells: [String]) -> Bool {
        !emptyColumns.isEmpty
            && emptyColumns.allSatisfy { $0 < cells.count && cells[$0] == "0" }
    }

    /// The table of a file's lines, or `nil` for a file (or a shape) it does not know.
    static func parse(path: String, lines: [String]) -> ProcTable? {
        switch path {
        case "/proc/buddyinfo": buddyinfo(lines)
        case "/proc/slabinfo": slabinfo(lines)
        case "/proc/vmallocinfo": vmallocinfo(lines)
        default: nil
        }
    }

    private static func fields(_ line: String) -> [String] {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// `Node 0, zone   Normal   n0 … n10`: one column per order.
    private static func buddyinfo(_ lines: [String]) -> ProcTable? {
        var rows: [(String, [String])] = []
        var orders = 0
        for line in lines {
            let f = fields(line)
            guard f.count > 4, f[0] == "Node", f[2] == "zone" else { return nil }
            if orders == 0 { orders = f.count - 4 }
            guard f.count - 4 == orders else { return nil }
            rows.append((line, ["\(f[0]) \(f[1]) \(f[3])"] + f[4...]))
        }
        guard !rows.isEmpty else { return nil }
        return ProcTable(
            caption: "free blocks of each order (order n = 2ⁿ pages)",
            header: ["zone"] + (0..<orders).map { "\($0)" }, rows: rows)
    }

    /// SLUB's `slabinfo - version: 2.1`: the columns that SLUB fills (its tunables and
    /// `sharedavail` are always 0).
    private static func slabinfo(_ lines: [String]) -> ProcTable? {
        guard lines.count >= 2, lines[0].hasPrefix("slabinfo"), lines[1].hasPrefix("# name")
        else { return nil }
        let kept = [0, 1, 2, 3, 4, 5, 13, 14]
        let names = fields(lines[1]).dropFirst().map {
            $0.replacing("<", with: "").replacing(">", with: "")
        }
        guard names.count == 16 else { return nil }
        var rows: [(String, [String])] = []
        for line in lines.dropFirst(2) {
            let f = fields(line)
            guard f.count == 16 else { return nil }
            rows.append((line, kept.map { f[$0] }))
        }
        return ProcTable(
            caption: lines[0] + " (columns SLUB leaves at 0 not shown)",
            header: kept.map { names[$0] }, rows: rows, isComplete: false, emptyColumns: [1, 2])
    }

    /// `start-end size caller pages=… vmalloc N0=…`: range, size, and the rest.
    private static func vmallocinfo(_ lines: [String]) -> ProcTable? {
        var rows: [(String, [String])] = []
        for line in lines {
            let f = fields(line)
            guard f.count >= 3, f[0].hasPrefix("0x") else { return nil }
            rows.append((line, [f[0], f[1], f[2...].joined(separator: " ")]))
        }
        guard !rows.isEmpty else { return nil }
        return ProcTable(
            caption: nil, header: ["address range", "bytes", "caller and flags"], rows: rows)
    }
}
