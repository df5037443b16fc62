import Foundation
import Markup
import Scenarios

/// Which allocator paths the course's scenarios exercise (`allocbook check --coverage`).
///
/// Every step of every scenario that ran reports the paths it took (``PathHit``); the report
/// lists, for each path of the models' catalogs (``MallocPaths/catalog``,
/// ``KernelPaths/catalog``), how many steps took it and the first scenario statement that did
/// (lessons in file order, statements in order), and the paths no lesson reaches.
public struct CourseCoverage: Sendable {
    /// One path of a catalog.
    public struct Entry: Sendable {
        /// The path.
        public var path: AllocatorPath
        /// The model it belongs to (`malloc`, `kernel`).
        public var model: String
        /// How many steps took it.
        public var hits: Int
        /// The first statement that took it.
        public var first: SourceLocation?
    }

    /// Every catalog path, malloc first, in catalog order.
    public var entries: [Entry]
    /// The number of scenario blocks looked at.
    public var scenarioCount: Int

    /// Builds the report from a check's lessons.
    public init(lessons: [ScenarioCheck.Lesson]) {
        var hits: [String: Int] = [:]
        var first: [String: SourceLocation] = [:]
        var count = 0
        for lesson in lessons {
            for block in lesson.results {
                count += 1
                guard let statements = block.program?.statements else { continue }
                for (statement, stepHits) in zip(statements, block.paths) {
                    for hit in stepHits {
                        hits[hit.path.id, default: 0] += 1
                        if first[hit.path.id] == nil {
                            first[hit.path.id] = SourceLocation(
                                path: lesson.path, line: statement.line, column: statement.column)
                        }
                    }
                }
            }
        }
        let catalogs = [("malloc", MallocPaths.catalog), ("kernel", KernelPaths.catalog)]
        entries = catalogs.flatMap { model, catalog in
            catalog.map {
                Entry(path: $0, model: model, hits: hits[$0.id] ?? 0, first: first[$0.id])
            }
        }
        scenarioCount = count
    }

    /// The paths at least one step took.
    public var reached: [Entry] { entries.filter { $0.hits > 0 } }
    /// The paths no step took.
    public var unreached: [Entry] { entries.filter { $0.hits == 0 } }

    /// The report for a terminal.
    public var text: String {
        var out =
            "coverage: \(reached.count) of \(entries.count) allocator paths reached by "
            + "\(scenarioCount) scenarios\n"
        for model in ["malloc", "kernel"] {
            let all = entries.filter { $0.model == model }
            let hit = all.filter { $0.hits > 0 }
            out += "\n\(model): \(hit.count) of \(all.count) paths\n"
            let width = all.map(\.path.id.count).max() ?? 0
            for entry in hit {
                let id = entry.path.id.padding(toLength: width, withPad: " ", startingAt: 0)
                let at = entry.first.map { "\($0.path):\($0.line)" } ?? ""
                out += "  \(id)  \(String(entry.hits).leftPadded(5))  first at \(at)\n"
            }
        }
        out += "\nnot reached by any lesson (\(unreached.count)):\n"
        for entry in unreached { out += "  \(entry.path.id)  (\(entry.path.summary))\n" }
        return out
    }

    /// The report as JSON: totals, then one object per path.
    public var json: String {
        var out = "{\n  \"scenarios\": \(scenarioCount),\n  \"reached\": \(reached.count),\n"
        out += "  \"total\": \(entries.count),\n  \"paths\": [\n"
        out += entries.map { entry in
            var line = "    {\"id\": \(Self.quoted(entry.path.id)), \"model\": \"\(entry.model)\", "
            line += "\"group\": \(Self.quoted(entry.path.group)), "
            line += "\"summary\": \(Self.quoted(entry.path.summary)), \"hits\": \(entry.hits), "
            if let first = entry.first {
                line +=
                    "\"first\": {\"file\": \(Self.quoted(first.path)), \"line\": \(first.line)}}"
            } else {
                line += "\"first\": null}"
            }
            return line
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"unreached\": ["
        out += unreached.map { Self.quoted($0.path.id) }.joined(separator: ", ")
        out += "]\n}\n"
        return out
    }

    static func quoted(_ text: String) -> String { QuotedString.json(text) }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
