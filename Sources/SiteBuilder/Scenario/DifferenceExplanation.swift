import Foundation
import Scenarios

/// Says in the model's own terms what differs, step by step, after a scenario's unified diff:
/// `step 4 ('B = malloc(40);', line 57): the 48-byte chunk came from tcache bin 1 (the
/// expected text says "taken from fastbin 1")`.
///
/// One line per differing step, at most ``limit``, then `… and N more`.
enum DifferenceExplanation {
    /// The most steps explained before `… and N more`.
    static let limit = 5

    /// Words that name an allocator path in expected text, most specific first.
    static let vocabulary = [
        "tcache", "fastbin", "small bin", "large bin", "unsorted", "last remainder",
        "carved from top", "merged into top", "mmap", "brk", "trim", "consolidat", "new slab",
        "cpu partial", "node partial", "partial", "discard", "split", "merge", "purge",
        "unpurged", "abort", "sigsegv", "bug",
    ]

    /// The lines for a block whose output differs.
    ///
    /// - Parameters:
    ///   - statements: The block's statements.
    ///   - expected: Each statement's expected lines.
    ///   - actual: Each statement's actual lines.
    ///   - paths: Each statement's path hits.
    /// - Returns: One line per differing step (at most ``limit``), then `… and N more`.
    static func lines(
        statements: [ScenarioStatement], expected: [[String]], actual: [[String]],
        paths: [[PathHit]]
    ) -> [String] {
        var lines: [String] = []
        var differing = 0
        for (k, statement) in statements.enumerated() {
            let want = k < expected.count ? expected[k] : []
            let got = k < actual.count ? actual[k] : []
            guard want != got else { continue }
            differing += 1
            guard lines.count < limit else { continue }
            let hits = k < paths.count ? paths[k] : []
            lines.append(
                "step \(k + 1) ('\(statement.text)', line \(statement.line)): "
                    + explain(expected: want, actual: got, hits: hits))
        }
        if differing > limit { lines.append("… and \(differing - limit) more") }
        return lines
    }

    /// One step: what the model did, and what the expected text claims instead.
    static func explain(expected: [String], actual: [String], hits: [PathHit]) -> String {
        let wanted = expected.joined(separator: "; ")
        guard !hits.isEmpty else {
            let first = zip(expected, actual).first { $0 != $1 }
            let (want, got) = first ?? (expected.first ?? "", actual.first ?? "")
            if expected.count != actual.count && first == nil {
                return "the model prints \(actual.count) line\(actual.count == 1 ? "" : "s"), "
                    + "the expected text has \(expected.count)"
            }
            return "the model prints \"\(clip(got))\" where the expected text says "
                + "\"\(clip(want))\""
        }
        let did = hits.map(\.detail).joined(separator: "; ")
        guard !wanted.isEmpty else { return "\(did) (the expected text is empty)" }
        let lower = wanted.lowercased()
        let modelWords = Set(hits.flatMap { $0.keywords.map { $0.lowercased() } })
        let claimed = vocabulary.first { word in
            lower.contains(word) && !modelWords.contains { $0.contains(word) || word.contains($0) }
        }
        if let claimed {
            return
                "\(did) (the expected text says \"\(clip(clause(of: wanted, containing: claimed)))\")"
        }
        return "\(did) (the expected text says \"\(clip(wanted))\")"
    }

    /// The part of `text` between separators (`;` and `,`) that contains `word`.
    static func clause(of text: String, containing word: String) -> String {
        let parts = text.split(whereSeparator: { $0 == ";" || $0 == "," })
        let match = parts.first { $0.lowercased().contains(word) }
        return (match.map(String.init) ?? text).trimmingCharacters(in: .whitespaces)
    }

    static func clip(_ text: String) -> String {
        text.count <= 100 ? text : String(text.prefix(99)) + "…"
    }
}
