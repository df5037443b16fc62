import AllocatorModels
public import Replay
public import Scenarios

/// One scenario block of a lesson after it was parsed, run and compared.
public struct ScenarioBlockResult: Sendable {
    /// How a block ended.
    public enum Status: Hashable, Sendable {
        /// Ran, every output line as expected.
        case passed
        /// Ran, but the output differs from the expected lines.
        case differs
        /// Could not run: errors in the block (or an earlier block of its session).
        case invalid
    }

    /// Whether (and how) the block was checked against the real glibc.
    public enum Verification: Hashable, Sendable {
        /// Not asked for.
        case notRequested
        /// Every step agreed with the real glibc.
        case agreed
        /// Skipped on this host (the reason says why).
        case skipped(String)
        /// The real glibc disagreed (the diagnostics say where).
        case disagreed
    }

    /// Stable id of the block on its page: `<lesson slug>-scenario-<n>`.
    public var id: String
    /// 1-based position among the lesson's scenario blocks.
    public var index: Int
    /// The opening fence.
    public var fence: ScenarioFence
    /// Where the block starts (the opening fence, column 1).
    public var location: SourceLocation
    /// Its options, if the info string could be read.
    public var options: ScenarioOptions?
    /// The parsed body, if the options could be read.
    public var program: ScenarioProgram?
    /// Each statement's actual output (`nil` if the block did not run; a statement after the
    /// end of the program has none).
    public var actual: [[String]]?
    /// Each statement's allocator paths, in the model's terms (empty where it did not run).
    public var paths: [[PathHit]] = []
    /// One frame per statement that ran, captioned with the statement.
    public var frames: [FigureFrame]
    /// Which frames belong to visible statements (index into `program.statements`).
    public var frameStatements: [Int]
    /// Problems found in this block (errors, the output diff, verification findings).
    public var diagnostics: [Diagnostic]
    /// The output-mismatch diagnostic among `diagnostics` (the one `--fix` resolves), if any.
    public var mismatch: Diagnostic?
    /// The outcome.
    public var status: Status
    /// The real-glibc verification.
    public var verification: Verification
    /// For a `verify=kernel` block that ran: its session so far, for the real-kernel replay
    /// `check` runs once for the whole course.
    public var kernelJob: KernelVerificationJob? = nil

    /// Whether the block fails `check` (its diagnostics hold an error).
    public var failed: Bool { diagnostics.hasErrors }
}
