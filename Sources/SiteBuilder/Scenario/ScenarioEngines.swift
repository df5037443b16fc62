import AllocatorModels

/// The real engines: the glibc model for `malloc` blocks, the kernel machine for `kernel`.
public enum ScenarioEngines {
    /// Makes the engine for a block's options.
    public static let standard: ScenarioEngineFactory = {
        (options: ScenarioOptions) throws(ScenarioEngineError) -> any ScenarioEngine in
        switch options.model {
        case .malloc:
            return MallocEngine()
        case .kernel:
            do throws(KernelMachine.ConfigurationError) {
                return KernelEngine(
                    runner: try KernelScenarioRunner(
                        cpus: options.cpus, memoryBytes: options.memoryBytes,
                        freelistRandomSeed: options.freelistRandomSeed))
            } catch {
                throw ScenarioEngineError("cannot start the kernel model: \(error.description)")
            }
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

/// A `kernel` block's engine.
struct KernelEngine: ScenarioEngine {
    var runner: KernelScenarioRunner

    mutating func execute(_ statement: ScenarioStatement) -> ScenarioStepResult {
        runner.execute(statement)
    }

    func figureContent() -> FigureFrame.Content? {
        .kernel(runner.snapshot(), labels: runner.labels)
    }
}
