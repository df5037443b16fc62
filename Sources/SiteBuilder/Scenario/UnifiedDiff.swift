/// A unified diff of two line sequences (`--- expected`, `+++ actual`, `@@` hunks with three
/// lines of context), numbered as lines of the lesson file.
public enum UnifiedDiff {
    /// One line of an edit script.
    enum Edit: Equatable {
        case same(String), removed(String), added(String)
    }

    /// The diff's lines; empty when the sequences are equal.
    ///
    /// `firstLine` is the file line
    /// number of both sequences' first element.
    public static func lines(
        expected: [String], actual: [String], firstLine: Int = 1, context: Int = 3
    ) -> [String] {
        let edits = script(expected, actual)
        guard edits.contains(where: { if case .same = $0 { false } else { true } }) else {
            return []
        }
        var out = ["--- expected", "+++ actual"]
        // Positions in each sequence at the start of every edit.
        var oldAt: [Int] = []
        var newAt: [Int] = []
        var o = 0
        var n = 0
        for edit in edits {
            oldAt.append(o)
            newAt.append(n)
            switch edit {
            case .same: o += 1; n += 1
            case .removed: o += 1
            case .added: n += 1
            }
        }
        let changes = edits.indices.filter { edits[$0] != .same(text(edits[$0])) }
        var groups: [(first: Int, last: Int)] = []
        for change in changes {
            if let last = groups.last, change - last.last <= 2 * context {
                groups[groups.count - 1].last = change
            } else {
                groups.append((change, change))
            }
        }
        for group in groups {
            let start = max(0, group.first - context)
            let end = min(edits.count, group.last + context + 1)
            let hunk = edits[start..<end]
            let oldCount = hunk.filter { if case .added = $0 { false } else { true } }.count
            let newCount = hunk.filter { if case .removed = $0 { false } else { true } }.count
            let old = range(oldAt[start] + firstLine, oldCount)
            let new = range(newAt[start] + firstLine, newCount)
            out.append("@@ -\(old) +\(new) @@")
            for edit in hunk {
                switch edit {
                case .same(let t): out.append(" " + t)
                case .removed(let t): out.append("-" + t)
                case .added(let t): out.append("+" + t)
                }
            }
        }
        return out
    }

    private static func text(_ edit: Edit) -> String {
        switch edit {
        case .same(let t), .removed(let t), .added(let t): return t
        }
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        if count == 1 { return "\(start)" }
        return "\(count == 0 ? start - 1 : start),\(count)"
    }

    /// A shortest edit script from a longest common subsequence (blocks are small).
    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        let n = a.count
        let m = b.count
        var lcs = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, a[i] == b[j] {
                edits.append(.same(a[i]))
                i += 1
                j += 1
            } else if i < n, j == m || lcs[i + 1][j] >= lcs[i][j + 1] {
                edits.append(.removed(a[i]))
                i += 1
            } else {
                edits.append(.added(b[j]))
                j += 1
            }
        }
        return edits
    }
}
