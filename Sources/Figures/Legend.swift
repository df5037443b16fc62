import Markup

/// A legend of swatches and names, flowed into rows under a drawing.
struct Legend {
    private var items: [(swatch: String, text: String)] = []
    private let top: Int
    private let width: Int

    /// Creates a legend whose first row starts at `top`.
    init(top: Int, width: Int) {
        self.top = top
        self.width = width
    }

    /// Adds an entry drawn with CSS class `swatch`.
    mutating func add(swatch: String, _ text: String) {
        items.append((swatch, text))
    }

    /// Whether the legend has no entries.
    var isEmpty: Bool { items.isEmpty }

    /// The entries as an HTML list with small inline swatches, for a figure's frames to share.
    var html: String {
        guard !items.isEmpty else { return "" }
        return "<ul class=\"ab-legend\">"
            + items.map { item in
                "<li><svg class=\"ab-sw\" width=\"12\" height=\"12\" aria-hidden=\"true\">"
                    + "<rect x=\"0.5\" y=\"0.5\" width=\"11\" height=\"11\" class=\"sw \(item.swatch)\"/></svg>"
                    + Markup.escape(item.text) + "</li>"
            }.joined() + "</ul>"
    }

    /// Draws the entries and returns the bottom of the legend (the drawing's height).
    func draw(into canvas: inout Canvas) -> Int {
        guard !items.isEmpty else { return top }
        var x = 8
        var y = top
        for item in items {
            let textWidth = Int(LabelBox.textWidth(item.text, size: Canvas.textSize).rounded(.up))
            if x + 16 + textWidth > width - 4 && x > 8 {
                x = 8
                y += 18
            }
            canvas.rect(x, y, 12, 12, class: "sw " + item.swatch)
            canvas.text(item.text, x + 16, y + 11)
            x += 16 + textWidth + 14
        }
        return y + 20
    }
}
