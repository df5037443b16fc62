extension FigureRenderer {
    /// Patterns and markers that every figure on a page refers to, defined once per page.
    ///
    /// Put this once in the `<body>` of every page that holds a figure (the overview figure
    /// too). Without it the figures still render, with plain colours instead of patterns.
    public static let sharedDefinitions: String = {
        func hatch(_ id: String, _ colour: String, _ size: Int, angle: Int, _ d: String) -> String {
            let transform = angle == 0 ? "" : " patternTransform=\"rotate(\(angle))\""
            return "<pattern id=\"abp-\(id)\" width=\"\(size)\" height=\"\(size)\" "
                + "patternUnits=\"userSpaceOnUse\"\(transform)>"
                + "<rect width=\"\(size)\" height=\"\(size)\" style=\"fill:var(--ab-\(colour))\"/>"
                + "<path d=\"\(d)\" style=\"stroke:var(--ab-hatch);fill:none\"/></pattern>"
        }
        func dots(_ id: String, _ colour: String) -> String {
            "<pattern id=\"abp-\(id)\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
                + "<rect width=\"6\" height=\"6\" style=\"fill:var(--ab-\(colour))\"/>"
                + "<circle cx=\"3\" cy=\"3\" r=\"1.1\" style=\"fill:var(--ab-hatch)\"/></pattern>"
        }
        func grid(_ size: Int, _ colour: String) -> String {
            "<pattern id=\"abp-g\(size)\" width=\"\(size)\" height=\"\(size)\" patternUnits=\"userSpaceOnUse\">"
                + "<path d=\"M\(size) 0V\(size)\" style=\"stroke:var(--ab-\(colour))\"/></pattern>"
        }
        let patterns = [
            hatch("tcs", "tcs", 8, angle: 0, "M0 4H8"),
            hatch("tc", "tc", 6, angle: 45, "M0 0V6"),
            hatch("fast", "fast", 6, angle: 45, "M0 0V6M0 0H6"),
            dots("uns", "uns"),
            hatch("small", "small", 5, angle: 0, "M0 2.5H5"),
            hatch("large", "large", 5, angle: 0, "M2.5 0V5"),
            hatch("top", "top", 10, angle: -45, "M0 0V10"),
            hatch("resv", "resv", 5, angle: 45, "M0 0V5M0 0H5"),
            hatch("big", "big", 6, angle: 45, "M0 0V6"),
            hatch("pages", "pages", 5, angle: 0, "M0 2.5H5"),
            dots("vm", "vm"),
            hatch("guard", "guard", 5, angle: 45, "M0 0V5"),
            grid(8, "cell"), grid(10, "muted"), grid(5, "bg"),
        ]
        var zigzag = "M0 3"
        for i in 1...25 { zigzag += "L\(i * 8) \(i % 2 == 1 ? 0 : 6)" }
        let zig =
            "<symbol id=\"abp-zig\" width=\"200\" height=\"6\" overflow=\"visible\">"
            + "<path d=\"\(zigzag)\" style=\"fill:none;stroke:var(--ab-muted)\"/></symbol>"
        let arrow =
            "<marker id=\"abp-arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" "
            + "markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">"
            + "<path d=\"M0 0L10 5L0 10z\" style=\"fill:var(--ab-ink)\"/></marker>"
        return
            "<svg class=\"ab-defs\" xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"0\" "
            + "aria-hidden=\"true\" focusable=\"false\"><defs>" + patterns.joined() + zig + arrow
            + "</defs></svg>"
    }()
}
