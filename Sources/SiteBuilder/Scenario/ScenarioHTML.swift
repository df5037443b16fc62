import AllocatorModels
import Figures
import LessonMarkdown
import Markup
import Replay
import Scenarios

/// The HTML of a checked scenario on its lesson page.
///
/// ```html
/// <div class="ab-scenario[ ab-exercise| ab-float-head]" id="ID-block" data-scenario="ID" data-model="malloc"
///      data-verified="model|glibc">
///   <div class="ab-head"><span class="ab-kind">…</span> <span class="ab-ok" title="…">✓ …</span></div>
///   <div class="ab-listing">
///     <div class="ab-row ab-stmt" id="ID-line-N" data-step="S"><code>statement</code></div>
///     <div class="ab-row ab-out"><span class="ab-mark" aria-hidden="true">→ </span>output</div>
///     <details class="ab-more"><summary><span class="ab-row ab-out" data-more="2 more
///       lines">…the first output line…</span></summary>…the other rows…</details>
///     <div class="ab-proc">table of the rows that changed + <details> with the whole file</div>
///     <div class="ab-row ab-comment">// comment</div>
///   </div>
///   <figure class="ab-fig" id="ID" …>…</figure>   (FigureRenderer; anchors ID-step-N)
/// </div>
/// ```
/// Each statement shows the first line of its output; the rest folds into a `<details>` that
/// works without JavaScript, whose summary is that first line. A `/proc` file printed again shows only the rows that changed,
/// with the whole file one click away. `data-step` ties a statement to its figure frame
/// (`ID-step-S`). With `predict=true` the listing is shown without outputs (`ab-question`,
/// statements numbered), and `<details class="ab-reveal">` holds only the answer: each
/// statement's number and output, then the figure. Hidden (`//-`) statements and their outputs
/// are left out. The block's head is the place for more controls (a "Try it" button).
public enum ScenarioHTML {
    /// Output lines of a statement shown before the rest folds away.
    static let shownLines = 1
    /// The longest first row (in characters) beside which the block's head floats: at
    /// 1280 px the head with its buttons leaves about 32 characters of the listing free.
    static let floatingHeadRow = 28

    /// The block's HTML; `figure` is the already rendered figure (may be empty).
    public static func render(_ result: ScenarioBlockResult, figure: String) -> String {
        guard let program = result.program, let options = result.options else { return "" }
        let actual = result.actual ?? program.expected
        let glibc = result.verification == .agreed && options.model == .malloc
        let verified = glibc ? "glibc" : options.verifyKernel ? "kernel" : "model"
        let id = Markup.escape(result.id)
        var steps: [Int: Int] = [:]
        if options.figure == .steps {
            for (frame, statement) in result.frameStatements.enumerated() {
                steps[statement] = frame + 1
            }
        }
        let listing = Listing(id: id, program: program, actual: actual, steps: steps)
        // The head floats beside a short first row (it costs no row of its own); beside a
        // longer one it would break the row, so it takes its own row there.
        let kind =
            options.predict
            ? " ab-exercise"
            : listing.firstRowLength <= ScenarioHTML.floatingHeadRow ? " ab-float-head" : ""
        var html =
            "<div class=\"ab-scenario\(kind)\" id=\"\(id)-block\""
            + " data-scenario=\"\(id)\""
            + " data-model=\"\(options.model.rawValue)\" "
            + "data-verified=\"\(verified)\">"
        html += head(options, glibc: glibc)
        if options.predict {
            html += listing.html(outputs: false)
            html += "<details class=\"ab-reveal\"><summary>Reveal the verified output</summary>"
            html += listing.answer() + figure + "</details>"
        } else {
            html += listing.html(outputs: true) + figure
        }
        return html + "</div>\n"
    }

    /// The block's one-line head: what ran it and the verified mark.
    static func head(_ options: ScenarioOptions, glibc: Bool) -> String {
        let predict = options.predict
        let kind: String
        switch options.model {
        case .malloc: kind = predict ? "exercise · glibc malloc" : "glibc malloc"
        case .kernel: kind = predict ? "exercise · Linux kernel" : "Linux kernel"
        }
        let mark =
            glibc
            ? "✓ model + real glibc" : options.verifyKernel ? "✓ model + real kernel" : "✓ model"
        let sentence =
            options.model == .kernel ? kernelBadge(options) : badge(options.model, glibc: glibc)
        return "<div class=\"ab-head\"><span class=\"ab-kind\">\(kind)</span> "
            + "<span class=\"ab-ok\" title=\"\(Markup.escape(sentence))\">"
            + "\(mark)</span></div>"
    }

    /// The verified mark's full sentence.
    static func badge(_ model: ScenarioModelKind, glibc: Bool) -> String {
        switch model {
        case .malloc:
            return glibc
                ? "Checked: output produced by the glibc 2.36 malloc model at build time, and "
                    + "checked against the real glibc"
                : "Checked: output produced by the glibc 2.36 malloc model at build time"
        case .kernel:
            return "Checked: output produced by the Linux 6.x kernel allocator model at build time"
        }
    }

    /// The badge of a kernel block: the model's release, and the real kernel `verify=kernel`
    /// replays it in (`allocbook check` fails when they differ).
    public static func kernelBadge(_ options: ScenarioOptions) -> String {
        let release = options.version == .standard ? "6.x" : options.version.rawValue
        let model =
            "Checked: output produced by the Linux \(release) kernel allocator model at build time"
        guard options.verifyKernel else { return model }
        return model
            + ", and replayed in a real \(KernelReplayVerifier.kernelName) kernel under QEMU"
    }
}

/// The listing of one block.
private struct Listing {
    let id: String
    let program: ScenarioProgram
    let actual: [[String]]
    /// Statement index → figure step (1-based), for `figure=steps` blocks.
    let steps: [Int: Int]

    /// The length in characters of the listing's first row (a statement with its comment, or
    /// a comment).
    var firstRowLength: Int {
        for item in program.items {
            switch item {
            case .statement(let s):
                let statement = program.statements[s]
                guard !statement.hidden else { continue }
                let comment = statement.comment.map { $0.count + 1 } ?? 0
                return statement.text.count + comment
            case .comment(let text, _):
                return text.count
            case .blank, .expected, .invalid:
                continue
            }
        }
        return 0
    }

    func html(outputs: Bool) -> String {
        var rows: [String] = []
        var pendingGap = false
        var printed: [String: [String]] = [:]
        var number = 0
        for item in program.items {
            switch item {
            case .statement(let s):
                let statement = program.statements[s]
                guard !statement.hidden else { continue }
                if pendingGap && !rows.isEmpty { rows.append("<div class=\"ab-gap\"></div>") }
                pendingGap = false
                number += 1
                rows.append(statementRow(s, statement, number: outputs ? nil : number))
                if outputs, s < actual.count, !actual[s].isEmpty {
                    rows.append(output(statement.action, actual[s], printed: &printed))
                }
            case .comment(let text, _):
                if pendingGap && !rows.isEmpty { rows.append("<div class=\"ab-gap\"></div>") }
                pendingGap = false
                rows.append(
                    "<div class=\"ab-row ab-comment\">" + Markup.escape(text) + "</div>")
            case .blank:
                pendingGap = true
            case .expected, .invalid:
                continue
            }
        }
        let kind = outputs ? "ab-listing" : "ab-listing ab-question"
        return "<div class=\"\(kind)\">" + rows.joined() + "</div>"
    }

    /// The answer of an exercise: each numbered statement's output, nothing else.
    func answer() -> String {
        var rows: [String] = []
        var printed: [String: [String]] = [:]
        var number = 0
        for item in program.items {
            guard case .statement(let s) = item else { continue }
            let statement = program.statements[s]
            guard !statement.hidden else { continue }
            number += 1
            guard s < actual.count, !actual[s].isEmpty else { continue }
            rows.append(
                "<div class=\"ab-ans\"><span class=\"ab-num\">\(number)</span>"
                    + output(statement.action, actual[s], printed: &printed) + "</div>")
        }
        return "<div class=\"ab-listing ab-answer\">" + rows.joined() + "</div>"
    }

    private func statementRow(_ s: Int, _ statement: ScenarioStatement, number: Int?) -> String {
        var attributes = " id=\"\(id)-line-\(statement.line)\""
        if let step = steps[s] { attributes += " data-step=\"\(step)\"" }
        let comment = statement.comment.map { " " + $0 } ?? ""
        let label = number.map { "<span class=\"ab-num\">\($0)</span>" } ?? ""
        return "<div class=\"ab-row ab-stmt\"\(attributes)>\(label)<code>"
            + CHighlighter.highlight(statement.text + comment) + "</code></div>"
    }

    /// A statement's output: the first line, the rest folded; a `/proc` file as a table.
    private func output(
        _ action: ScenarioAction, _ lines: [String], printed: inout [String: [String]]
    ) -> String {
        if case .cat(let path) = action {
            defer { printed[path] = lines }
            if let table = ProcTable.parse(path: path, lines: lines) {
                return proc(path: path, table: table, lines: lines, before: printed[path])
            }
            return verbatim(lines)
        }
        if action.printsVerbatim { return verbatim(lines) }
        let shown = lines.prefix(ScenarioHTML.shownLines)
        let rest = lines.dropFirst(ScenarioHTML.shownLines)
        guard let last = shown.last, !rest.isEmpty else { return shown.map(row).joined() }
        // The last line shown is the disclosure's summary: a click on it unfolds the rest,
        // and the listing spends no row on a "2 more lines" button.
        let noun = rest.count == 1 ? "line" : "lines"
        return shown.dropLast().map(row).joined()
            + "<details class=\"ab-more\"><summary>"
            + row(last, element: "span", more: "\(rest.count) more \(noun)") + "</summary>"
            + rest.map(row).joined() + "</details>"
    }

    private func row(_ line: String) -> String {
        row(line, element: "div", more: nil)
    }

    /// An output row; `more`: the hint that the row unfolds more lines (shown by the style
    /// sheet after the text, so that the row's text stays the output line).
    private func row(_ line: String, element: String, more: String?) -> String {
        let hint = more.map { " data-more=\"\(Markup.escape($0))\"" } ?? ""
        return "<\(element) class=\"ab-row ab-out\"\(hint)>"
            + "<span class=\"ab-mark\" aria-hidden=\"true\">→ </span>"
            + Markup.escape(line) + "</\(element)>"
    }

    /// Text a machine prints in columns, kept as it is (scrolls if wider than the column).
    private func verbatim(_ lines: [String]) -> String {
        "<pre class=\"ab-verbatim\">" + lines.map { Markup.escape($0) }.joined(separator: "\n")
            + "</pre>"
    }

    /// A `/proc` table: the rows that hold something the first time (all but empty slab
    /// caches), then only those that changed.
    private func proc(path: String, table: ProcTable, lines: [String], before: [String]?)
        -> String
    {
        let old = Set(before ?? [])
        let shown =
            before == nil
            ? table.rows.filter { !table.isEmpty($0.cells) }
            : table.rows.filter { !old.contains($0.line) }
        let name = Markup.escape(path)
        var html = "<div class=\"ab-proc\">"
        if before == nil && shown.count < table.rows.count {
            let empty = table.rows.count - shown.count
            html +=
                "<p class=\"ab-proc-note\">\(name): the \(shown.count) "
                + "\(shown.count == 1 ? "cache that holds" : "caches that hold") objects "
                + "(\(empty) empty \(empty == 1 ? "one" : "ones") in the whole file)</p>"
        } else if before != nil {
            html +=
                shown.isEmpty
                ? "<p class=\"ab-proc-note\">\(name): no row changed since it was last printed</p>"
                : "<p class=\"ab-proc-note\">\(name): the rows that changed since it was last "
                    + "printed</p>"
        } else if let caption = table.caption {
            html += "<p class=\"ab-proc-note\">\(name): \(Markup.escape(caption))</p>"
        }
        if !shown.isEmpty {
            html += "<div class=\"ab-table\"><table><thead><tr>"
            // Long names may break after an underscore (active_<wbr>objs).
            html += table.header.map {
                "<th scope=\"col\">"
                    + Markup.escape($0).replacing("_", with: "_<wbr>") + "</th>"
            }.joined()
            html += "</tr></thead><tbody>"
            for row in shown {
                html += "<tr>" + row.cells.map { "<td>\(Markup.escape($0))</td>" }.joined()
                html += "</tr>"
            }
            html += "</tbody></table></div>"
        }
        guard shown.count < table.rows.count || !table.isComplete else { return html + "</div>" }
        html +=
            "<details class=\"ab-more\"><summary>the whole \(name) as printed (\(lines.count) "
            + "\(lines.count == 1 ? "line" : "lines"))</summary>" + verbatim(lines) + "</details>"
        return html + "</div>"
    }
}

extension ScenarioAction {
    /// Whether the output is text a real machine prints in columns (`cat /proc/…`,
    /// `malloc_stats()`, `mallinfo2()`), shown unwrapped.
    fileprivate var printsVerbatim: Bool {
        switch self {
        case .cat, .mallocStats, .mallinfo2: true
        default: false
        }
    }
}
