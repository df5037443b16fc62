import Markup

extension FigureRenderer {
    /// The home page's figure: where kmalloc, vmalloc and malloc memory comes from, on one
    /// machine, in the notation of the lesson diagrams; the words come from the course
    /// (`content/overview.yml`).
    ///
    /// Inline SVG, preceded by `sharedDefinitions` (do not add them again on the same page);
    /// the caller wraps it (the site puts it in `<figure class="overview-figure">`).
    public static func overviewFigure(_ text: OverviewText) -> String {
        sharedDefinitions + "<p class=\"ab-ov-title\">" + Markup.escape(text.title) + "</p>"
            + OverviewFigure.draw(text).html(
                id: "overview-svg", title: text.title, description: text.description)
    }
}
/// The words of the overview figure; the drawing is fixed: three columns (caller, address,
/// allocator), a kernel box under the third, one shared page pool and a strip of page frames;
/// each column and the pool are panels (side by side on a wide screen, stacked on a phone).
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

/// The layout of the overview figure: one panel per column, then the pool.
enum OverviewFigure {
    static let column = 212
    static let columnWidth = column + 4
    static let lineHeight = 15

    static func draw(_ text: OverviewText) -> PanelSet {
        var set = PanelSet()
        let columns = Array(text.columns.prefix(OverviewText.columnCount))
        for (i, part) in columns.enumerated() {
            var panel = draw(part, kernel: i == 2 ? text.kernel : nil)
            panel.name = part.caller.first ?? "column \(i + 1)"
            set.append(panel)
        }
        set.append(pool(text))
        return set
    }

    /// A column: the caller, the address it gets, the allocator (and the kernel box), an
    /// arrow down to the pool.
    private static func draw(_ part: OverviewText.Column, kernel: [String]?) -> Canvas {
        var c = Canvas(width: columnWidth)
        var y = box(&c, 2, 2, part.caller, class: "ov-box")
        // The address the caller gets back, beside the arrow from the caller to its allocator.
        c.text(part.address, 26, y + 20, class: "addr")
        arrow(&c, 16, y, 16, y + 30)
        y = box(&c, 2, y + 32, part.allocator, class: "ov-box")
        if let kernel {
            arrow(&c, 2 + column / 2, y, 2 + column / 2, y + 26)
            y = box(&c, 2, y + 28, kernel, class: "ov-box")
        }
        let end = y + 24
        arrow(&c, 2 + column / 2, y, 2 + column / 2, end)
        c.height = end + 2
        return c
    }

    /// The pool of page frames every column draws from, a strip of frames and the legend.
    private static func pool(_ text: OverviewText) -> Canvas {
        var c = Canvas(width: PanelSet.width, name: text.pool.first ?? "pool")
        let width = PanelSet.width
        let buddyY = 2
        c.rect(2, buddyY, width - 4, 12 + lineHeight * text.pool.prefix(2).count, class: "ov-box")
        for (i, line) in text.pool.prefix(2).enumerated() {
            c.text(
                line, width / 2, buddyY + 17 + lineHeight * i, anchor: .middle,
                class: i == 0 ? "hd" : "muted")
        }
        let stripY = buddyY + 12 + lineHeight * text.pool.prefix(2).count + 44
        arrow(&c, width / 2, stripY - 42, width / 2, stripY - 22)
        c.text(text.frames, 6, stripY - 6, class: "muted")
        // Physical frames: a strip of pages coloured by who holds them.
        let owners = [
            "o-resv", "o-resv", "o-slab0", "o-free", "o-vm", "o-free", "o-free", "o-big", "o-big",
            "o-free", "o-vm", "o-free", "o-slab0", "o-free", "o-free", "o-vm", "o-pages", "o-free",
            "o-free", "o-vm", "o-free", "o-use", "o-use", "o-free", "o-free", "o-free", "o-use",
            "o-free", "o-vm", "o-free", "o-free", "o-free",
        ]
        let cell = (width - 12) / owners.count
        for (i, owner) in owners.enumerated() {
            c.rect(
                6 + i * cell, stripY, cell, 16,
                class: "chip " + (owner == "o-use" ? "s-use" : owner))
        }
        var legend = Legend(top: stripY + 26, width: width)
        let swatches = ["o-slab0", "o-big", "o-vm", "s-use", "o-pages", "o-free", "o-resv"]
        for (swatch, label) in zip(swatches, text.legend) {
            legend.add(swatch: swatch, label)
        }
        c.height = legend.draw(into: &c)
        return c
    }

    /// A box of lines, the first in bold; returns its bottom.
    private static func box(
        _ c: inout Canvas, _ x: Int, _ y: Int, _ lines: [String], class cls: String
    ) -> Int {
        let h = lineHeight * lines.count + 12
        c.rect(x, y, column, h, class: cls)
        for (i, line) in lines.enumerated() {
            c.text(
                line, x + column / 2, y + 18 + lineHeight * i, anchor: .middle,
                class: i == 0 ? "hd" : "")
        }
        return y + h
    }

    private static func arrow(_ c: inout Canvas, _ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int) {
        c.path("M\(x1) \(y1)L\(x2) \(y2)", class: "ov-arrow")
    }
}
