public import AllocatorModels

/// The real engines: the glibc model for `malloc` blocks, the kernel machine for `kernel`.
public enum ScenarioEngines {
    /// Makes the engine for a block's options.
    public static let standard: ScenarioEngineFactory = { options in
        switch options.model {
        case .malloc: return MallocEngine()
        case .kernel: return nil
        }
    }
}

/// A `malloc` block's engine.
struct MallocEngine: ScenarioEngine {
    var runner = MallocScenarioRunner()

    mutating func execute(_ statement: ScenarioStatement) -> ScenarioStepResult {
        runner.execute(statement)
    }

    func figureContent() -> FigureFrame.Content? {
        .malloc(runner.snapshot(), labels: runner.labels)
    }
}
