/// The box a text label occupies in a drawing, estimated for the figures' monospace font.
///
/// Figures set labels in a monospace font (see `FigureStyle.css`), so a label's width is
/// its character count times 0.6 em; layouts use these boxes to avoid collisions, and
/// tests check that no two boxes of a drawing overlap.
struct LabelBox: Hashable, Sendable {
    /// Left edge.
    var x: Double
    /// Top edge.
    var y: Double
    /// Width.
    var width: Double
    /// Height.
    var height: Double
    /// The label's text (for test messages).
    var text: String

    /// Width of `text` at `size` px in the figures' monospace font.
    static func textWidth(_ text: String, size: Int) -> Double {
        Double(text.unicodeScalars.count) * 0.6 * Double(size)
    }

    /// Whether two boxes overlap (touching edges do not count).
    func overlaps(_ other: LabelBox) -> Bool {
        x < other.x + other.width && other.x < x + width
            && y < other.y + other.height && other.y < y + height
    }

    /// Whether this box lies inside the rectangle `(0, 0, width, height)`.
    func isInside(width w: Double, height h: Double) -> Bool {
        x >= 0 && y >= 0 && x + width <= w && y + height <= h
    }
}
