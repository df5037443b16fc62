/// What one statement produced: the output lines a lesson writes as `//>` lines, and whether
/// the program ended there (a glibc abort, a segmentation fault, a kernel BUG).
public struct ScenarioStepResult: Hashable, Sendable {
    /// The output lines, without the `//> ` marker.
    public var lines: [String]
    /// Whether the scenario ends with this statement.
    public var ends: Bool

    /// Creates a result.
    public init(lines: [String], ends: Bool = false) {
        self.lines = lines
        self.ends = ends
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
