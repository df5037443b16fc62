import AllocatorModels
import Markup
import Scenarios

/// Renders a scenario's recorded frames as an HTML figure of inline SVG diagrams.
///
/// The markup works without JavaScript (every frame visible, in order, each under its
/// caption); the theme's `figures.js` turns a `figure=steps` figure into a step-through with
/// previous/next buttons, a slider and the ← → keys. Every frame has the stable anchor
/// `#<id>-step-<n>` (n from 1, counting every recorded frame, also in `final` mode).
/// Pages that hold figures must also include `FigureRenderer.sharedDefinitions` once and the
/// theme's `figures.css` and `figures.js` (SiteBuilder's `Theme`).
public enum FigureRenderer {
    /// The HTML of a figure for `frames` in `mode`; the empty string for `.none` or no frames.
    ///
    /// - Parameters:
    ///   - id: the scenario's id, unique on the page (used for anchors; escaped).
    ///   - frames: the state after every statement, in order.
    ///   - mode: which frames to show.
    /// - Returns: the `<figure>` markup, or "" for `.none` and for no frames.
    public static func render(id: String, frames: [FigureFrame], mode: FigureMode) -> String {
        guard mode != .none, !frames.isEmpty else { return "" }
        let shown: [Int] = mode == .steps ? Array(frames.indices) : [frames.count - 1]
        var html =
            "<figure"
            + Markup.attributes([
                ("class", "ab-fig"), ("id", id), ("data-mode", mode.rawValue),
                ("data-diff", mode == .steps ? "on" : "off"),
            ]) + ">"
        if mode == .steps && frames.count > 1 {
            html += controls(count: frames.count)
        }
        html += "<ol class=\"ab-frames\">"
        var shared: SharedParts? = SharedParts(prefix: id)
        for index in shown {
            html += frame(id: id, index: index, frames: frames, mode: mode, shared: &shared)
        }
        html += "</ol>" + legend(shown.map { frames[$0] }).html + "</figure>"
        return html
    }

    /// The SVG of one frame, with its own legend, without the surrounding HTML: its panels
    /// one under another in a single `<svg>`, each at its true size (the playground).
    ///
    /// - Parameters:
    ///   - id: a document-unique id for the SVG's title and description.
    ///   - frame: the frame to draw.
    ///   - previous: the frame before it, to mark what changed (`nil`: nothing marked).
    /// - Returns: the `<svg>` element.
    public static func svg(id: String, frame: FigureFrame, previous: FigureFrame?) -> String {
        var shared: SharedParts?
        let drawn = draw(frame, previous: previous, shared: &shared, legend: true)
        return drawn.panels.stackedSVG(id: id, title: drawn.title, description: drawn.description)
    }

    /// Lays out one frame: its panels, its title and its description.
    static func draw(
        _ frame: FigureFrame, previous: FigureFrame?, shared: inout SharedParts?,
        legend: Bool = true
    ) -> (panels: PanelSet, title: String, description: String) {
        switch frame.content {
        case .malloc(let snapshot, let labels):
            var before: MallocSnapshot?
            if case .malloc(let old, _)? = previous?.content { before = old }
            return (
                MallocFigure.draw(
                    snapshot, labels: labels, previous: before, shared: &shared, legend: legend),
                "Process memory after \(frame.caption)",
                MallocFigure.describe(snapshot, labels: labels, previous: before)
            )
        case .kernel(let snapshot, let labels):
            var before: KernelSnapshot?
            if case .kernel(let old, _)? = previous?.content { before = old }
            return (
                KernelFigure.draw(snapshot, labels: labels, previous: before, shared: &shared),
                "Kernel memory after \(frame.caption)",
                KernelFigure.describe(snapshot, labels: labels, previous: before)
            )
        }
    }

    /// Lays out one frame on its own (tests).
    static func draw(_ frame: FigureFrame, previous: FigureFrame?) -> (
        panels: PanelSet, title: String, description: String
    ) {
        var shared: SharedParts?
        return draw(frame, previous: previous, shared: &shared)
    }

    /// The figure-wide legend of the malloc frames (kernel frames carry their own).
    private static func legend(_ frames: [FigureFrame]) -> Legend {
        let snapshots: [MallocSnapshot] = frames.compactMap {
            if case .malloc(let snapshot, _) = $0.content { return snapshot }
            return nil
        }
        return MallocFigure.legend(snapshots)
    }

    private static func frame(
        id: String, index: Int, frames: [FigureFrame], mode: FigureMode,
        shared: inout SharedParts?
    ) -> String {
        let frame = frames[index]
        let count = frames.count
        let step = "\(id)-step-\(index + 1)"
        // One wording everywhere: "Step n of N" while stepping, "Final state" for the one
        // frame of a `final` figure or of a one-statement scenario.
        let label =
            mode == .steps && count > 1 ? "Step \(index + 1) of \(count)" : "Final state"
        let caption = "\(label): after \(frame.caption)"
        // In steps mode, a frame whose state equals the one before (an inspection statement)
        // refers to the first frame of that state instead of drawing it again; the script
        // copies that drawing in.
        var same = index
        while mode == .steps && same > 0 && frames[same - 1].content == frame.content { same -= 1 }
        var attributes = [
            ("class", "ab-frame"), ("id", step), ("data-step", "\(index + 1)"),
            ("data-caption", caption),
        ]
        if same != index { attributes.append(("data-same", "\(id)-step-\(same + 1)")) }
        var html = "<li" + Markup.attributes(attributes) + ">"
        html +=
            "<p class=\"ab-cap\"><a class=\"ab-anchor\" href=\"#\(Markup.escape(step))\">"
            + Markup.escape(label) + "</a>: after <code>" + Markup.escape(frame.caption)
            + "</code></p>"
        if same != index {
            html +=
                "<p class=\"ab-same\">Memory unchanged since <a href=\"#\(Markup.escape(id))-step-\(same + 1)\">"
                + "step \(same + 1)</a>.</p>"
        } else {
            let previous = mode == .steps && index > 0 ? frames[index - 1] : nil
            let drawn = draw(frame, previous: previous, shared: &shared, legend: false)
            html += drawn.panels.html(
                id: step + "-svg", title: drawn.title, description: drawn.description)
        }
        return html + "</li>"
    }

    private static func controls(count: Int) -> String {
        "<div class=\"ab-ctl\" hidden>"
            + "<button type=\"button\" class=\"ab-prev\" aria-label=\"Previous step\">← Prev</button>"
            + "<input type=\"range\" class=\"ab-range\" min=\"1\" max=\"\(count)\" value=\"1\" aria-label=\"Step\">"
            + "<button type=\"button\" class=\"ab-next\" aria-label=\"Next step\">Next →</button>"
            + "<label class=\"ab-diff\"><input type=\"checkbox\" checked> highlight changes</label>"
            + "<output class=\"ab-now\" aria-live=\"polite\"></output></div>"
    }
}
