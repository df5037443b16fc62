/// What one statement produced: the output lines a lesson writes as `//>` lines, and whether
/// the program ended there (a glibc abort, a segmentation fault, a kernel BUG).
public struct ScenarioStepResult: Hashable, Sendable {
    /// The output lines, without the `//> ` marker.
    public var lines: [String]
    /// Whether the scenario ends with this statement.
    public var ends: Bool
    /// The allocator paths the statement took, in the model's terms (for coverage and for
    /// explaining a difference).
    public var paths: [PathHit]

    /// Creates a result.
    public init(lines: [String], ends: Bool = false, paths: [PathHit] = []) {
        self.lines = lines
        self.ends = ends
        self.paths = paths
    }

    /// The output lines without trailing spaces, as lessons are compared (`/proc/buddyinfo`
    /// ends its lines with one, and editors strip them).
    public var comparableLines: [String] {
        lines.map { line in
            var line = Substring(line)
            while let last = line.last, last == " " || last == "\t" { line = line.dropLast() }
            return String(line)
        }
    }
}
