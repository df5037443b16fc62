extension GlibcReplayVerifier {
    /// The verifier `check` and `build` use: the host check, and the replayer `allocbook`
    /// carries (`GlibcReplayRunner`, compiled once into the cache), stopped after `timeout`
    /// seconds.
    public static func standard(
        timeout: Double = GlibcReplayRunner.defaultTimeout
    ) -> GlibcReplayVerifier {
        GlibcReplayVerifier(hostProblem: hostCheck()) { trace in
            let runner: GlibcReplayRunner
            do throws(GlibcReplayRunner.Failure) {
                runner = try GlibcReplayRunner(timeout: timeout)
            } catch {
                return .failure(ReplayFailure(error))
            }
            do throws(GlibcReplayRunner.Failure) {
                return .success(try runner.run(trace))
            } catch {
                return .failure(ReplayFailure(error))
            }
        }
    }

    static func describe(_ failure: GlibcReplayRunner.Failure) -> String {
        switch failure {
        case .install(.noCompiler(let message)):
            return message
        case .install(.compileFailed(let compiler, let output)):
            return "the replayer for the real glibc did not compile with '\(compiler)': \(output)"
        case .install(.io(let message)):
            return "the replayer for the real glibc could not be installed: \(message)"
        case .io(let message):
            return "the real glibc could not be run: \(message)"
        case .unexpectedExit(let status, let stderr):
            let last = stderr.split(separator: "\n").last.map(String.init) ?? ""
            return "'glibc-replay' ended with status \(status)\(last.isEmpty ? "" : ": \(last)")"
        case .timedOut(let seconds, _):
            return "the real glibc did not finish within \(Int(seconds)) s (the replay was stopped)"
        }
    }
}
