extension GlibcReplayVerifier {
    /// The verifier `check` and `build` use: the host check, and `glibc-replay` found by
    /// `GlibcReplayRunner` (beside the running program, or `$ALLOCBOOK_GLIBC_REPLAY`).
    public static func standard() -> GlibcReplayVerifier {
        GlibcReplayVerifier(hostProblem: hostCheck()) { trace in
            let runner: GlibcReplayRunner
            do throws(GlibcReplayRunner.Failure) {
                runner = try GlibcReplayRunner()
            } catch {
                return .failure(ReplayFailure(Self.describe(error)))
            }
            do throws(GlibcReplayRunner.Failure) {
                return .success(try runner.run(trace))
            } catch {
                return .failure(ReplayFailure(Self.describe(error)))
            }
        }
    }

    static func describe(_ failure: GlibcReplayRunner.Failure) -> String {
        switch failure {
        case .notFound(let tried):
            return "the 'glibc-replay' program was not found (build it with 'swift build --product "
                + "glibc-replay'; tried \(tried.map { "'\($0)'" }.joined(separator: ", ")))"
        case .io(let message):
            return "the real glibc could not be run: \(message)"
        case .unexpectedExit(let status, let stderr):
            let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
            return "'glibc-replay' ended with status \(status)\(last.isEmpty ? "" : ": \(last)")"
        }
    }
}
