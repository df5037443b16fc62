import AllocatorModels
import Scenarios

/// What the real glibc said about a sequence of statements.
public enum GlibcVerificationOutcome: Hashable, Sendable {
    /// Every step agreed with the model.
    case agreed
    /// Could not run here (no glibc 2.36 on x86_64, no replayer); the reason says why.
    case skipped(String)
    /// Disagreements, each at the statement whose step differs (the message names the field).
    case disagreed([ScenarioIssue])
}

/// Runs statements on the real glibc and compares each step with the model.
public protocol GlibcVerifier: Sendable {
    /// Verifies a session's statements, in order, from a fresh process.
    func verify(_ statements: [ScenarioStatement]) -> GlibcVerificationOutcome
}
