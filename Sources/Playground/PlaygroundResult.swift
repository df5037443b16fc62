import Markup

/// What a playground run produced, as `window.AllocBook.run` returns it.
public struct PlaygroundResult: Hashable, Sendable {
    /// One statement's outputs.
    public struct Step: Hashable, Sendable {
        /// The statement's 1-based line in the text.
        public var line: Int
        /// Whether it is a hidden setup line (`//-`).
        public var hidden: Bool
        /// Its output lines (what a lesson writes after `//> `).
        public var lines: [String]
    }

    /// One frame of the stepper.
    public struct Frame: Hashable, Sendable {
        /// The statement's 1-based line in the text.
        public var line: Int
        /// The statement, as written.
        public var caption: String
        /// The frame's SVG, changes against the frame before marked.
        public var svg: String
    }

    /// Every output line, in order: exactly the `//>` lines `allocbook check` expects.
    public var lines: [String] = []
    /// The final frame's SVG ("" when no statement left a state to draw).
    public var figure = ""
    /// `LINE:COL: error: MESSAGE` for every problem (option problems carry no location).
    public var diagnostics: [String] = []
    /// Each statement's outputs.
    public var steps: [Step] = []
    /// Every frame's SVG, when asked for (`PlaygroundRequest.steps`).
    public var frames: [Frame] = []

    /// The result as one JSON object (keys in a fixed order, so the text is deterministic).
    public var json: String {
        var out = "{\"lines\":"
        QuotedString.appendJSON(strings: lines, to: &out)
        out += ",\"figure\":"
        QuotedString.appendJSON(figure, to: &out)
        out += ",\"diagnostics\":"
        QuotedString.appendJSON(strings: diagnostics, to: &out)
        out += ",\"steps\":["
        for (i, step) in steps.enumerated() {
            if i > 0 { out += "," }
            out += "{\"line\":\(step.line),\"hidden\":\(step.hidden),\"lines\":"
            QuotedString.appendJSON(strings: step.lines, to: &out)
            out += "}"
        }
        out += "],\"frames\":["
        for (i, frame) in frames.enumerated() {
            if i > 0 { out += "," }
            out += "{\"line\":\(frame.line),\"caption\":"
            QuotedString.appendJSON(frame.caption, to: &out)
            out += ",\"svg\":"
            QuotedString.appendJSON(frame.svg, to: &out)
            out += "}"
        }
        return out + "]}"
    }
}
