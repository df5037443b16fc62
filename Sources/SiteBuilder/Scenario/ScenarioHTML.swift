import AllocatorModels
import Figures
import LessonMarkdown
import Replay
import Scenarios

/// The HTML of a checked scenario on its lesson page.
///
/// ```html
/// <div class="ab-scenario" data-scenario="ID" data-model="malloc" data-verified="model|glibc">
///   <p class="ab-badge">✓ Checked: …</p>
///   <pre class="ab-listing"><code class="language-c">
///     <span class="ab-line ab-stmt" id="ID-line-N">statement</span>
///     <span class="ab-line ab-out"><span class="ab-mark" aria-hidden="true">→ </span>output</span>
///     <span class="ab-line ab-comment">// comment</span>
///   </code></pre>
///   <figure class="ab-fig" id="ID" …>…</figure>   (FigureRenderer; anchors ID-step-N)
/// </div>
/// ```
/// With `predict=true` the listing is shown without outputs (`ab-listing ab-question`), and the
/// full listing and the figure sit in `<details class="ab-reveal">` with the summary "Reveal the
/// verified output". Hidden (`//-`) statements and their outputs are left out.
public enum ScenarioHTML {
    /// The block's HTML; `figure` is the already rendered figure (may be empty).
    public static func render(_ result: ScenarioBlockResult, figure: String) -> String {
        guard let program = result.program, let options = result.options else { return "" }
        let actual = result.actual ?? program.expected
        let glibc = result.verification == .agreed && options.model == .malloc
        let verified = glibc ? "glibc" : options.verifyKernel ? "kernel" : "model"
        var html =
            "<div class=\"ab-scenario\" data-scenario=\"\(HTMLEscaping.escape(result.id))\""
            + " data-model=\"\(options.model.rawValue)\" "
            + "data-verified=\"\(verified)\">"
        let sentence =
            options.model == .kernel
            ? kernelBadge(options) : badge(options.model, glibc: glibc)
        html +=
            "<p class=\"ab-badge\"><span aria-hidden=\"true\">✓ </span>"
            + HTMLEscaping.escape(sentence) + "</p>"
        if options.predict {
            html += listing(result, program, actual, outputs: false, ids: true)
            html += "<details class=\"ab-reveal\"><summary>Reveal the verified output</summary>"
            html +=
                listing(result, program, actual, outputs: true, ids: false) + figure + "</details>"
        } else {
            html += listing(result, program, actual, outputs: true, ids: true) + figure
        }
        return html + "</div>\n"
    }

    /// The badge sentence.
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

    private static func listing(
        _ result: ScenarioBlockResult, _ program: ScenarioProgram, _ actual: [[String]],
        outputs: Bool, ids: Bool
    ) -> String {
        let id = HTMLEscaping.escape(result.id)
        var lines: [String] = []
        var pendingBlank = false
        for item in program.items {
            switch item {
            case .statement(let s):
                let statement = program.statements[s]
                guard !statement.hidden else { continue }
                if pendingBlank && !lines.isEmpty { lines.append("") }
                pendingBlank = false
                let anchor = ids ? " id=\"\(id)-line-\(statement.line)\"" : ""
                let comment = statement.comment.map { " " + $0 } ?? ""
                lines.append(
                    "<span class=\"ab-line ab-stmt\"\(anchor)>"
                        + CHighlighter.highlight(statement.text + comment) + "</span>")
                if outputs, s < actual.count {
                    // Text a real machine prints (/proc files, malloc_stats) keeps its columns.
                    let kind = statement.action.printsVerbatim ? "ab-out ab-verbatim" : "ab-out"
                    for line in actual[s] {
                        lines.append(
                            "<span class=\"ab-line \(kind)\"><span class=\"ab-mark\" "
                                + "aria-hidden=\"true\">→ </span>"
                                + HTMLEscaping.escape(line) + "</span>")
                    }
                }
            case .comment(let text, _):
                if pendingBlank && !lines.isEmpty { lines.append("") }
                pendingBlank = false
                lines.append(
                    "<span class=\"ab-line ab-comment\">" + HTMLEscaping.escape(text) + "</span>")
            case .blank:
                pendingBlank = true
            case .expected, .invalid:
                continue
            }
        }
        let kind = outputs ? "ab-listing" : "ab-listing ab-question"
        return "<pre class=\"\(kind)\"><code class=\"language-c\">" + lines.joined(separator: "\n")
            + "</code></pre>"
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
