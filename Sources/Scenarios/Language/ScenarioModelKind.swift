/// Which model a scenario runs on (the word after `scenario` in the info string).
public enum ScenarioModelKind: String, Hashable, Sendable, CaseIterable {
    /// glibc 2.36 malloc (`GlibcMalloc`).
    case malloc
    /// The kernel machine: buddy, SLUB, vmalloc (`KernelMachine`).
    case kernel
}
