import AllocatorModels
import Scenarios

/// Makes a fresh engine for a block's (or session's) options.
public typealias ScenarioEngineFactory =
    @Sendable (ScenarioOptions) throws(ScenarioEngineError) -> any ScenarioEngine

/// The real engines: the glibc model for `malloc` blocks, the kernel machine for `kernel`.
public enum ScenarioEngines {
    /// Makes the engine for a block's options.
    public static let standard: ScenarioEngineFactory = {
        (options: ScenarioOptions) throws(ScenarioEngineError) -> any ScenarioEngine in
        switch options.model {
        case .malloc:
            return MallocScenarioRunner()
        case .kernel:
            do throws(KernelMachine.ConfigurationError) {
                return try KernelScenarioRunner(
                    cpus: options.cpus, memoryBytes: options.memoryBytes,
                    freelistRandomSeed: options.freelistRandomSeed, slabDebug: options.slabDebug,
                    version: options.version, perCPULists: options.perCPULists)
            } catch {
                throw ScenarioEngineError("cannot start the kernel model: \(error.description)")
            }
        }
    }
}
