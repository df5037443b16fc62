import Markup

/// A small SVG writer: appends escaped elements with integer coordinates and records the box
/// of every text label so that layouts can be checked for collisions.
struct Canvas {
    /// The size of every label, in px: drawn at 1:1 (see `PanelSet`), the smallest text a
    /// reader gets at 1280 px; on a 390 px phone a panel shrinks by at most 1 % (11.9 px).
    static let textSize = 12

    /// Horizontal anchoring of a text label.
    enum Anchor: String {
        case start, middle, end
    }

    /// Width of the drawing in px.
    var width: Int
    /// Height of the drawing in px (set by the layout when it knows it).
    var height: Int
    /// What the drawing shows, as a panel of a figure names it ("buddy free lists").
    var name = ""
    /// The SVG elements drawn so far.
    private(set) var body = ""
    /// The labels placed so far.
    private(set) var labels: [LabelBox] = []

    /// Creates an empty canvas.
    init(width: Int, height: Int = 0, name: String = "") {
        self.width = width
        self.height = height
        self.name = name
    }

    /// Appends a rectangle.
    mutating func rect(
        _ x: Int, _ y: Int, _ w: Int, _ h: Int, class cls: String, extra: [(String, String)] = []
    ) {
        element(
            "rect",
            [("x", "\(x)"), ("y", "\(y)"), ("width", "\(w)"), ("height", "\(h)")]
                + classAttribute(cls) + extra)
    }

    /// Appends a line.
    mutating func line(_ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int, class cls: String) {
        element(
            "line",
            [("x1", "\(x1)"), ("y1", "\(y1)"), ("x2", "\(x2)"), ("y2", "\(y2)")]
                + classAttribute(cls))
    }

    /// Appends a path with the given path data.
    mutating func path(_ d: String, class cls: String) {
        element("path", [("d", d)] + classAttribute(cls))
    }

    /// Appends a reference to a shared symbol of `FigureRenderer.sharedDefinitions`.
    mutating func use(_ symbol: String, _ x: Int, _ y: Int) {
        element("use", [("href", "#" + symbol), ("x", "\(x)"), ("y", "\(y)")])
    }

    /// Appends markup made elsewhere (already escaped) and the labels it draws.
    mutating func appendRaw(_ markup: String, labels more: [LabelBox]) {
        body += markup
        labels += more
    }

    /// Appends a text label at baseline `y`, and records its box.
    mutating func text(
        _ string: String, _ x: Int, _ y: Int, size: Int = Canvas.textSize, anchor: Anchor = .start,
        class cls: String = ""
    ) {
        let w = LabelBox.textWidth(string, size: size)
        let left: Double
        switch anchor {
        case .start: left = Double(x)
        case .middle: left = Double(x) - w / 2
        case .end: left = Double(x) - w
        }
        labels.append(
            LabelBox(
                x: left, y: Double(y) - 0.8 * Double(size), width: w, height: Double(size),
                text: string))
        // Size and anchor go in classes (`t14`, `e`, `m`; see
        // `Sources/SiteBuilder/Theme/Assets/figures.css`), which keeps the many labels of a
        // page short.
        var classes = cls.isEmpty ? [] : [cls]
        if size != Canvas.textSize { classes.append("t\(size)") }
        if anchor != .start { classes.append(anchor == .end ? "e" : "m") }
        let attrs: [(String, String)] = [("x", "\(x)"), ("y", "\(y)")]
        body +=
            "<text\(Markup.attributes(attrs + classAttribute(classes.joined(separator: " "))))>"
            + Markup.escape(string) + "</text>"
    }

    /// Opens a group; close it with `close()`.
    mutating func open(class cls: String, extra: [(String, String)] = []) {
        body += "<g\(Markup.attributes(classAttribute(cls) + extra))>"
    }

    /// Closes the innermost group.
    mutating func close() {
        body += "</g>"
    }

    /// Appends a `<title>` child to the element just opened (a tooltip for that element).
    mutating func tooltip(_ string: String) {
        body += "<title>\(Markup.escape(string))</title>"
    }

    private mutating func element(_ name: String, _ attrs: [(String, String)]) {
        body += "<\(name)\(Markup.attributes(attrs))/>"
    }

    private func classAttribute(_ cls: String) -> [(String, String)] {
        cls.isEmpty ? [] : [("class", cls)]
    }

    /// The complete `<svg>` element with an accessible title and description (`nil`: a title
    /// only).
    func svg(id: String, title: String, description: String?) -> String {
        let labelledBy = description == nil ? "\(id)-t" : "\(id)-t \(id)-d"
        let attrs: [(String, String)] = [
            ("xmlns", "http://www.w3.org/2000/svg"), ("class", "ab-svg"),
            ("viewBox", "0 0 \(width) \(height)"), ("width", "\(width)"), ("height", "\(height)"),
            ("role", "img"), ("aria-labelledby", labelledBy),
        ]
        var svg =
            "<svg\(Markup.attributes(attrs))><title id=\"\(Markup.escape(id))-t\">"
            + Markup.escape(title) + "</title>"
        if let description {
            svg += "<desc id=\"\(Markup.escape(id))-d\">" + Markup.escape(description) + "</desc>"
        }
        return svg + body + "</svg>"
    }
}
