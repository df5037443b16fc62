import Markup
import Scenarios

/// `assets/scenarios.js`: every scenario of the course as the Try-it editor starts it, keyed by
/// the block's id, and the playground's starter examples (the first scenario of each lesson).
///
/// A block's text holds its statements and comments as written, without the `//>` lines; a
/// block that continues a session starts with the session's earlier statements as hidden
/// setup lines (`//-`), so that it runs from the same state.
enum TryItSources {
    /// One block, ready for the editor.
    struct Entry: Hashable, Sendable {
        var id: String
        var lesson: String
        var model: ScenarioModelKind
        var cpus: Int
        var memoryBytes: UInt64
        /// Whether the block boots the kernel model with `slab_debug=F`.
        var slabDebug = false
        var text: String
    }

    /// The entries of one lesson's scenario results, in order.
    static func entries(_ results: [ScenarioBlockResult], lesson: String) -> [Entry] {
        var sessions: [String: [String]] = [:]
        var entries: [Entry] = []
        for result in results {
            guard let program = result.program, let options = result.options else { continue }
            var lines = options.session.flatMap { sessions[$0] } ?? []
            for item in program.items {
                switch item {
                case .statement(let index):
                    let statement = program.statements[index]
                    let comment = statement.comment.map { " " + $0 } ?? ""
                    lines.append((statement.hidden ? "//- " : "") + statement.text + comment)
                case .comment(let text, _):
                    lines.append(text)
                case .blank:
                    lines.append("")
                case .expected, .invalid:
                    continue
                }
            }
            while lines.last == "" { lines.removeLast() }
            if let name = options.session {
                var carried = sessions[name] ?? []
                for statement in program.statements {
                    carried.append("//- " + statement.text)
                }
                sessions[name] = carried
            }
            entries.append(
                Entry(
                    id: result.id, lesson: lesson, model: options.model, cpus: options.cpus,
                    memoryBytes: options.memoryBytes, slabDebug: options.slabDebug,
                    text: lines.joined(separator: "\n")))
        }
        return entries
    }

    /// The script.
    static func script(_ lessons: [[Entry]]) -> String {
        var out = "/* AllocBook: the course's scenarios for the Try-it editor. */\n"
        out += "window.AllocBookScenarios={"
        var first = true
        for entry in lessons.joined() {
            out += first ? "\n" : ",\n"
            first = false
            out += QuotedString.json(entry.id) + ":{\"lesson\":" + QuotedString.json(entry.lesson)
            out += ",\"model\":\"\(entry.model.rawValue)\""
            if entry.model == .kernel {
                out += ",\"cpus\":\(entry.cpus),\"memory\":\"\(memory(entry.memoryBytes))\""
                if entry.slabDebug { out += ",\"slab_debug\":\"F\"" }
            }
            out += ",\"text\":" + QuotedString.json(entry.text) + "}"
        }
        let starters = lessons.compactMap { $0.first.map { QuotedString.json($0.id) } }
        return out + "\n};\nwindow.AllocBookStarters=[" + starters.joined(separator: ",") + "];\n"
    }

    /// `16M`, `1G`, or the byte count.
    static func memory(_ bytes: UInt64) -> String {
        if bytes % (1 << 30) == 0 { return "\(bytes >> 30)G" }
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20)M" }
        return "\(bytes)"
    }
}
