import Markup

/// Parts of drawings shared between the frames of one figure.
///
/// The first frame that draws a part (a band of the address space, a heap chunk) defines it as
/// `<g id="…">`; a later frame whose part is byte for byte the same refers to it with
/// `<use href="#…" y="…">`, so that what did not change is sent once per figure instead of
/// once per step.
struct SharedParts {
    private let prefix: String
    private var placed: [String: (id: String, y: Int)] = [:]

    /// Creates an empty registry whose ids start with `prefix` (unique on the page).
    init(prefix: String) {
        self.prefix = prefix
    }

    /// The id and the y offset of the first placement of a part with this body, if any.
    func lookup(_ body: String) -> (id: String, y: Int)? {
        placed[body]
    }

    /// Registers the first placement of a part; returns its new id.
    mutating func register(_ body: String, y: Int) -> String {
        let id = "\(prefix)-p\(placed.count + 1)"
        placed[body] = (id, y)
        return id
    }
}

extension Canvas {
    /// Appends `part`, drawn with its top at y = 0, moved down by `y`, with its labels.
    ///
    /// With `shared`, the first placement of a part defines it (`<g id transform>`) and later
    /// placements of the same bytes refer to it (`<use href y>`). Parts with changes marked
    /// (`chg`) are never shared: inside a `<use>` copy, selectors that depend on an ancestor
    /// (the figure's diff switch) do not match.
    mutating func append(_ part: Canvas, y: Int, shared: inout SharedParts?) {
        let moved = part.labels.map { label in
            LabelBox(
                x: label.x, y: label.y + Double(y), width: label.width, height: label.height,
                text: label.text)
        }
        let translate = "translate(0 \(y))"
        guard var registry = shared, !Self.holds(part.body, "chg") else {
            appendRaw("<g transform=\"\(translate)\">" + part.body + "</g>", labels: moved)
            return
        }
        if let first = registry.lookup(part.body) {
            let dy = y - first.y
            appendRaw(
                "<use href=\"#\(Markup.escape(first.id))\"" + (dy == 0 ? "" : " y=\"\(dy)\"")
                    + "/>", labels: moved)
        } else {
            let id = registry.register(part.body, y: y)
            appendRaw(
                "<g id=\"\(Markup.escape(id))\" transform=\"\(translate)\">" + part.body + "</g>",
                labels: moved)
        }
        shared = registry
    }
}

extension Canvas {
    /// Draws a part from y = 0 with `draw` (which returns the part's height), places it at `y`
    /// (shared when possible), and returns `y` plus the height.
    mutating func place(at y: Int, shared: inout SharedParts?, _ draw: (inout Canvas) -> Int) -> Int
    {
        var part = Canvas(width: width)
        let height = draw(&part)
        append(part, y: y, shared: &shared)
        return y + height
    }

    /// Whether `text` holds `word` (`String.contains(String)` is not in Embedded Swift).
    private static func holds(_ text: String, _ word: String) -> Bool {
        let text = Array(text.utf8)
        let word = Array(word.utf8)
        guard !word.isEmpty else { return true }
        guard text.count >= word.count else { return false }
        for start in 0...(text.count - word.count) where text[start] == word[0] {
            if text[start..<(start + word.count)].elementsEqual(word) { return true }
        }
        return false
    }
}
