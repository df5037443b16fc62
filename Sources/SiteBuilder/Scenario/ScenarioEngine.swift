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

/// Makes a fresh engine for a block's (or session's) options; `nil` when the model is not
/// available in this build.
public typealias ScenarioEngineFactory = @Sendable (ScenarioOptions) -> (any ScenarioEngine)?
