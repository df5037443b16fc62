/// A unified diff of two line sequences (`--- expected`, `+++ actual`, `@@` hunks with three
/// lines of context), numbered as lines of the lesson file.
public enum UnifiedDiff {
    /// One line of an edit script.
    enum Edit: Equatable {
        case same(String), removed(String), added(String)
    }

    /// At most this many hunk lines are printed; the changed lines left out are counted.
    static let maxPrinted = 200

    /// The diff's lines; empty when the sequences are equal.
    ///
    /// `firstLine` is the file line number of both sequences' first element.
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
        var budget = maxPrinted
        var hidden = 0
        for group in groups {
            let start = max(0, group.first - context)
            let end = min(edits.count, group.last + context + 1)
            let shownEnd = min(end, start + budget)
            hidden += edits[shownEnd..<end].count { if case .same = $0 { false } else { true } }
            guard shownEnd > start else { continue }
            let hunk = edits[start..<shownEnd]
            budget -= hunk.count
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
        if hidden > 0 {
            out.append("... \(hidden) more changed line\(hidden == 1 ? "" : "s") not shown")
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

    /// Middles (after the common prefix and suffix) up to this many lines in total get a
    /// shortest edit script; longer ones a greedy one, in linear time and space.
    static let exactLimit = 2_000
    /// How far ahead the greedy script looks for the next common line.
    static let window = 48

    /// An edit script of `a` into `b`, in time and memory linear in their lengths: the common
    /// prefix and suffix are kept, and the middle is a shortest script (the standard library's
    /// Myers difference) when it is short, else a greedy one that resynchronises on the nearest
    /// common line within `window` lines.
    static func script(_ a: [String], _ b: [String]) -> [Edit] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix,
            a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
        {
            suffix += 1
        }
        let oldMiddle = a[prefix..<(a.count - suffix)]
        let newMiddle = b[prefix..<(b.count - suffix)]
        var edits = a[..<prefix].map { Edit.same($0) }
        edits.reserveCapacity(a.count + b.count)
        if oldMiddle.count + newMiddle.count <= exactLimit {
            edits += shortest(Array(oldMiddle), Array(newMiddle))
        } else {
            edits += greedy(Array(oldMiddle), Array(newMiddle))
        }
        edits += a[(a.count - suffix)...].map { Edit.same($0) }
        return edits
    }

    /// A shortest edit script, removals before additions at each place.
    private static func shortest(_ a: [String], _ b: [String]) -> [Edit] {
        var removed = Set<Int>()
        var added = Set<Int>()
        for change in b.difference(from: a) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): added.insert(offset)
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, removed.contains(i) {
                edits.append(.removed(a[i]))
                i += 1
            } else if j < b.count, added.contains(j) {
                edits.append(.added(b[j]))
                j += 1
            } else {
                edits.append(.same(a[i]))
                i += 1
                j += 1
            }
        }
        return edits
    }

    /// A greedy edit script, linear in time and space.
    ///
    /// Equal lines are kept; at a difference, the nearest pair of equal
    /// lines within `window` lines of both sides (fewest lines skipped) is the next match, and
    /// what lies before it is removed and added. Without one, one line of each side is replaced.
    private static func greedy(_ a: [String], _ b: [String]) -> [Edit] {
        let ha = a.map(\.hashValue)
        let hb = b.map(\.hashValue)
        func equal(_ i: Int, _ j: Int) -> Bool { ha[i] == hb[j] && a[i] == b[j] }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if equal(i, j) {
                edits.append(.same(a[i]))
                i += 1
                j += 1
                continue
            }
            var skip: (Int, Int)? = nil
            search: for distance in 1...(2 * window) {
                for x in max(0, distance - window)...min(distance, window) {
                    let y = distance - x
                    if i + x < a.count, j + y < b.count, equal(i + x, j + y) {
                        skip = (x, y)
                        break search
                    }
                }
            }
            let (x, y) = skip ?? (1, 1)
            edits += a[i..<(i + x)].map { Edit.removed($0) }
            edits += b[j..<(j + y)].map { Edit.added($0) }
            i += x
            j += y
        }
        edits += a[i...].map { Edit.removed($0) }
        edits += b[j...].map { Edit.added($0) }
        return edits
    }
}
