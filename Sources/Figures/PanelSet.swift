/// A figure frame drawn as panels: separate drawings of at most `PanelSet.width` px that a
/// page flows side by side where its column is wide and stacks on a phone, so that the labels
/// keep their size (12 px) instead of shrinking with one wide drawing.
struct PanelSet {
    /// The width every panel is laid out for, in px: two side by side fill the 676 px column
    /// of a lesson at 1280 px, one fills a 390 px phone's column at about 1:1.
    static let width = 332
    /// The space between two stacked panels in `stackedSVG`.
    static let gap = 10

    /// The panels, in reading order; each canvas's `name` says what it shows.
    var panels: [Canvas] = []

    /// Appends a panel.
    mutating func append(_ panel: Canvas) {
        panels.append(panel)
    }

    /// The panels as HTML: `<div class="ab-panels">` with one `<svg>` per panel.
    ///
    /// The first carries the frame's title and description; each other one is named by the
    /// title and its panel's name.
    func html(id: String, title: String, description: String) -> String {
        var html = "<div class=\"ab-panels\">"
        for (index, panel) in panels.enumerated() {
            if index == 0 {
                html += panel.svg(id: id, title: title, description: description)
            } else {
                html += panel.svg(
                    id: "\(id)-\(index + 1)", title: "\(title): \(panel.name)", description: nil)
            }
        }
        return html + "</div>"
    }

    /// The panels one under another in a single `<svg>` (the playground's figure, which the
    /// `window.AllocBook.run` contract gives as one SVG).
    func stackedSVG(id: String, title: String, description: String) -> String {
        var stacked = Canvas(width: panels.map { $0.width }.max() ?? PanelSet.width)
        var y = 0
        for panel in panels {
            stacked.appendRaw(
                "<g transform=\"translate(0 \(y))\">" + panel.body + "</g>", labels: [])
            y += panel.height + PanelSet.gap
        }
        stacked.height = max(y - PanelSet.gap, 0)
        return stacked.svg(id: id, title: title, description: description)
    }
}

extension Canvas {
    /// An empty panel of `PanelSet.width` px whose bold heading is its name (a part shared
    /// between the frames of a figure).
    static func panel(_ name: String, shared: inout SharedParts?) -> Canvas {
        var panel = Canvas(width: PanelSet.width, name: name)
        _ = panel.place(at: 0, shared: &shared) { part in
            part.text(name, 4, 14, class: "hd")
            return 0
        }
        return panel
    }
}
