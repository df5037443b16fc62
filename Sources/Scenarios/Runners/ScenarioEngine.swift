public import AllocatorModels

/// Something that runs scenario statements: a model with the scenario's variables.
///
/// `ScenarioEngines.make` builds the real ones (the malloc model, the kernel machine); tests
/// may use their own.
public protocol ScenarioEngine {
    /// Runs one statement and returns its output lines.
    mutating func execute(_ statement: ScenarioStatement) -> ScenarioStepResult
    /// The model state after the last statement, for a diagram frame (`nil`: no diagram).
    func figureContent() -> FigureFrame.Content?
}

/// Makes a fresh engine for a block's (or session's) options.
public typealias ScenarioEngineFactory =
    @Sendable (ScenarioOptions) throws(ScenarioEngineError) -> any ScenarioEngine

/// Why an engine could not start (a model setting out of range).
public struct ScenarioEngineError: Error, Hashable, Sendable {
    /// What is wrong: lowercase, no trailing period.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
}
