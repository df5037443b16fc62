public import AllocatorModels

/// One frame of a scenario's diagram: the state after one statement.
///
/// The scenario runners (`Scenarios`) produce frames; the SVG writer (`Figures`) draws them.
public struct FigureFrame: Hashable, Sendable {
    /// The model state a frame shows, with the scenario's variable names.
    public enum Content: Hashable, Sendable {
        /// The malloc model; `labels` maps a variable name to the pointer it holds.
        case malloc(MallocSnapshot, labels: [String: UInt64])
        /// The kernel model; `labels` maps a variable name to the address it holds.
        case kernel(KernelSnapshot, labels: [String: UInt64])
    }

    /// The statement that led to this state, as written in the lesson (`B = malloc(40 * 1024);`).
    public var caption: String
    /// The state.
    public var content: Content

    /// Creates a frame.
    public init(caption: String, content: Content) {
        self.caption = caption
        self.content = content
    }
}

/// Which frames a scenario's figure shows (`figure=` in the scenario's info string).
public enum FigureMode: String, Hashable, Sendable, CaseIterable {
    /// The state after every statement, with a step control.
    case steps
    /// Only the final state (the default).
    case final
    /// No figure.
    case none
}
