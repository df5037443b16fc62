import Scenarios

/// One run asked for by a reader: a model, its options and the statements as a lesson writes
/// them.
///
/// The WebAssembly export and `allocbook run` both receive it as one UTF-8 text:
/// ```
/// scenario kernel cpus=2 memory=64M      (line 1: an info string, as a fence writes it)
/// try-3                                  (line 2: the figure id, unique on the page)
/// steps                                  (line 3: 'steps' for every frame's SVG, else empty)
/// A = kmalloc(100, GFP_KERNEL);          (the rest: the statements; line 4 is line 1)
/// ```
public struct PlaygroundRequest: Hashable, Sendable {
    /// The info string (`scenario MODEL [cpus=N] [memory=SIZE]`).
    public var info: String
    /// The figure id.
    public var figureID: String
    /// Whether every frame's SVG is wanted (the stepper), not only the final one.
    public var steps: Bool
    /// The statements, line 1 first.
    public var text: Substring

    /// Creates a request.
    public init(info: String, figureID: String, steps: Bool, text: Substring) {
        self.info = info
        self.figureID = figureID
        self.steps = steps
        self.text = text
    }

    /// Splits the wire text into its header lines and the statements.
    public static func decode(_ wire: String) -> PlaygroundRequest {
        var rest = Substring(wire)
        var header: [Substring] = []
        while header.count < 3 {
            guard let newline = rest.firstIndex(of: "\n") else {
                header.append(rest)
                rest = rest[rest.endIndex...]
                break
            }
            header.append(rest[..<newline])
            rest = rest[rest.index(after: newline)...]
        }
        while header.count < 3 { header.append("") }
        return PlaygroundRequest(
            info: String(header[0]), figureID: String(header[1]), steps: header[2] == "steps",
            text: rest)
    }

    /// The wire text of the request (the inverse of `decode`).
    public var encoded: String {
        info + "\n" + figureID + "\n" + (steps ? "steps" : "") + "\n" + text
    }
}
