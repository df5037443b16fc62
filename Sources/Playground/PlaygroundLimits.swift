/// What one playground run may use, so that a reader's tab stays alive.
///
/// The statement language has no loops, so every statement ends; the budgets bound how many
/// run and how much memory the models may model.
public enum PlaygroundLimits {
    /// Statements per run.
    public static let statements = 10_000
    /// Bytes of statement text per run.
    public static let textBytes = 256 * 1024
    /// Bytes a run may write with `memset` in all (the malloc model keeps every touched page).
    public static let touchedBytes: UInt64 = 1 << 30
    /// The largest `memory=` a kernel run may ask for.
    public static let kernelMemoryBytes: UInt64 = 1 << 30
    /// The WebAssembly module's memory limit (`wasm-ld --max-memory`), in MiB; the JavaScript
    /// loader reports a run that hits it.
    public static let moduleMemoryMiB = 512
}
