/// Replays a kernel trace (`allocbook trace --model kernel`). Owned by the kernel-model issue.
public enum KernelTraceRunner {
    /// Parses the whole trace first; if any line is malformed returns every error and emits
    /// nothing. Otherwise runs it, calling `emit` with one JSON line per step.
    public static func run(
        _ text: String, cpus: Int, memoryBytes: UInt64, emit: (String) -> Void
    ) -> [TraceError] {
        [TraceError(line: 1, column: 1, message: "the kernel model is not available yet")]
    }
}
