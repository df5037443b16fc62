extension FigureRenderer {
    /// The home page's figure: where kmalloc, vmalloc and malloc memory comes from, on one
    /// machine, in the notation of the lesson diagrams; the words come from the course
    /// (`content/overview.yml`).
    ///
    /// Inline SVG, preceded by `sharedDefinitions` (do not add them again on the same page);
    /// the caller wraps it (the site puts it in `<figure class="overview-figure">`).
    public static func overviewFigure(_ text: OverviewText) -> String {
        sharedDefinitions
            + OverviewFigure.draw(text).svg(
                id: "overview-svg", title: text.title, description: text.description)
    }
}

/// The words of the overview figure; the drawing is fixed: three columns (caller, address,
/// allocator), a kernel box under the third, one shared page pool and a strip of page frames.
public struct OverviewText: Hashable, Sendable {
    /// One column: who asks and how, the address it gets back, who serves it.
    public struct Column: Hashable, Sendable {
        /// The caller box's lines (who, then the call).
        public var caller: [String]
        /// The address the caller gets back, between the two boxes.
        public var address: String
        /// The allocator box's lines (name, then how it serves).
        public var allocator: [String]

        /// Creates a column.
        public init(caller: [String], address: String, allocator: [String]) {
            self.caller = caller
            self.address = address
            self.allocator = allocator
        }
    }

    /// The heading inside the figure, also its accessible title.
    public var title: String
    /// The long description read in place of the drawing.
    public var description: String
    /// Exactly three columns, left to right.
    public var columns: [Column]
    /// The box between the third column and the pool.
    public var kernel: [String]
    /// The pool's heading and second line.
    public var pool: [String]
    /// The label over the strip of page frames.
    public var frames: String
    /// The labels of the seven swatches: slab page, kmalloc > 8 KiB, vmalloc page, user page,
    /// alloc_pages, free, reserved.
    public var legend: [String]

    /// The number of columns the drawing has.
    public static let columnCount = 3
    /// The number of legend labels the drawing has.
    public static let legendCount = 7

    /// Creates the text.
    public init(
        title: String, description: String, columns: [Column], kernel: [String],
        pool: [String], frames: String, legend: [String]
    ) {
        self.title = title
        self.description = description
        self.columns = columns
        self.kernel = kernel
        self.pool = pool
        self.frames = frames
        self.legend = legend
    }
}

/// The layout of the overview figure.
enum OverviewFigure {
    static let width = 680
    static let column = 212

    static func draw(_ text: OverviewText) -> Canvas {
        var c = Canvas(width: width)
        c.text(text.title, width / 2, 16, anchor: .middle, class: "hd")
        let xs = [8, 8 + column + 14, 8 + 2 * (column + 14)]
        for (i, part) in text.columns.prefix(OverviewText.columnCount).enumerated() {
            box(&c, xs[i], 30, part.caller, class: "ov-box")
            box(&c, xs[i], 104, part.allocator, class: "ov-box")
            c.text(part.address, xs[i] + column / 2 + 6, 91, size: 10, class: "addr")
            arrow(&c, xs[i] + column / 2, 72, xs[i] + column / 2, 102)
        }
        box(&c, xs[2], 190, text.kernel, class: "ov-box")
        arrow(&c, xs[2] + column / 2, 160, xs[2] + column / 2, 188)
        let buddyY = 262
        c.rect(8, buddyY, width - 16, 40, class: "ov-box")
        for (i, line) in text.pool.prefix(2).enumerated() {
            c.text(
                line, width / 2, buddyY + 17 + 15 * i, size: i == 0 ? 11 : 10, anchor: .middle,
                class: i == 0 ? "hd" : "muted")
        }
        arrow(&c, xs[0] + column / 2, 160, xs[0] + column / 2, buddyY - 2)
        arrow(&c, xs[1] + column / 2, 160, xs[1] + column / 2, buddyY - 2)
        arrow(&c, xs[2] + column / 2, 232, xs[2] + column / 2, buddyY - 2)
        // Physical frames: a strip of pages coloured by who holds them.
        let stripY = 330
        c.text(text.frames, 8, stripY - 6, size: 10, class: "muted")
        let owners = [
            "o-resv", "o-resv", "o-slab0", "o-free", "o-vm", "o-free", "o-free", "o-big", "o-big",
            "o-free", "o-vm", "o-free", "o-slab0", "o-free", "o-free", "o-vm", "o-pages", "o-free",
            "o-free", "o-vm", "o-free", "o-use", "o-use", "o-free", "o-free", "o-free", "o-use",
            "o-free", "o-vm", "o-free", "o-free", "o-free",
        ]
        let cell = (width - 16) / owners.count
        for (i, owner) in owners.enumerated() {
            c.rect(
                8 + i * cell, stripY, cell, 16,
                class: "chip " + (owner == "o-use" ? "s-use" : owner))
        }
        arrow(&c, width / 2, buddyY + 40, width / 2, stripY - 2)
        var legend = Legend(top: stripY + 26, width: width)
        let swatches = ["o-slab0", "o-big", "o-vm", "s-use", "o-pages", "o-free", "o-resv"]
        for (swatch, label) in zip(swatches, text.legend) {
            legend.add(swatch: swatch, label)
        }
        c.height = legend.draw(into: &c)
        return c
    }

    private static func box(
        _ c: inout Canvas, _ x: Int, _ y: Int, _ lines: [String], class cls: String
    ) {
        let h = 14 * lines.count + 14
        c.rect(x, y, column, h, class: cls)
        for (i, line) in lines.enumerated() {
            c.text(
                line, x + column / 2, y + 18 + 14 * i, size: i == 0 ? 11 : 10, anchor: .middle,
                class: i == 0 ? "hd" : "")
        }
    }

    private static func arrow(_ c: inout Canvas, _ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int) {
        c.path("M\(x1) \(y1)L\(x2) \(y2)", class: "ov-arrow")
    }
}
