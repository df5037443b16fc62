/// Something that runs scenario statements: a model with the scenario's variables.
///
/// `MallocScenarioRunner` and `KernelScenarioRunner` are the real ones (`SiteBuilder`'s
/// `ScenarioEngines.standard` makes them for a block's options); tests may use their own.
public protocol ScenarioEngine {
    /// Runs one statement and returns its output lines.
    mutating func execute(_ statement: ScenarioStatement) -> ScenarioStepResult
    /// The model state after the last statement, for a diagram frame (`nil`: no diagram).
    func figureContent() -> FigureFrame.Content?
}

/// Why an engine could not start (a model setting out of range).
public struct ScenarioEngineError: Error, Hashable, Sendable {
    /// What is wrong: lowercase, no trailing period.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
}
