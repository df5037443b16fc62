import AllocatorModels
import LessonMarkdown
import Replay
import Scenarios

/// Finds, parses, runs and compares every scenario block of one lesson.
public struct LessonScenarioRunner: Sendable {
    /// Makes the engines.
    public var engines: ScenarioEngineFactory
    /// Checks `verify=glibc` blocks against the real glibc (`nil`: skip them with a warning).
    public var verifier: (any GlibcVerifier)?
    /// Whether a skipped `verify=glibc` is an error (`--strict`) rather than a warning.
    public var strict: Bool
    /// Whether to record diagram frames (the site needs them; `check` does not).
    public var recordFrames: Bool
    /// Replays `verify=kernel` blocks in a real kernel, once for all lessons
    /// (`ScenarioCheck`); `nil` (`build`) boots no kernel.
    public var kernelVerifier: (any KernelVerifier)?

    /// Creates a runner.
    public init(
        engines: @escaping ScenarioEngineFactory, verifier: (any GlibcVerifier)?,
        strict: Bool = false, recordFrames: Bool = true
    ) {
        self.engines = engines
        self.verifier = verifier
        self.strict = strict
        self.recordFrames = recordFrames
    }

    /// What the runner made of one lesson.
    public struct LessonOutcome: Sendable {
        /// The top-level scenario blocks, in order.
        public var results: [ScenarioBlockResult]
        /// Every diagnostic: the blocks' and those of scenario fences that cannot run where they
        /// are (inside a list or quote, or indented as code).
        public var diagnostics: [Diagnostic]
    }

    /// Every scenario block of the lesson at `path` (as printed in diagnostics), in order,
    /// parsing the Markdown first.
    ///
    /// Prefer ``run(path:lines:slug:document:)`` with the document
    /// the course loader parsed.
    public func run(path: String, lines: LessonLines, slug: String) -> [ScenarioBlockResult] {
        let document = LessonDocument.parse(String(decoding: lines.bytes, as: UTF8.self))
        return run(path: path, lines: lines, slug: slug, document: document).results
    }

    /// Every scenario block of a lesson, found by cmark (`document`), run in order.
    ///
    /// `slug` makes the block ids (`<slug>-scenario-<n>`); `lines` are the file's bytes, for
    /// the columns of body lines and the diff of a mismatch.
    public func run(
        path: String, lines: LessonLines, slug: String, document: LessonDocument
    ) -> LessonOutcome {
        var sessions: [String: ScenarioSession<any ScenarioEngine>] = [:]
        var results: [ScenarioBlockResult] = []
        var verifications: [(block: Int, statements: [ScenarioStatement])] = []
        var misplaced: [Diagnostic] = []
        var fences: [ScenarioFence] = []
        for block in document.fencedBlocks where ScenarioOptions.isScenario(block.info) {
            guard block.isTopLevel else {
                misplaced.append(
                    .error(
                        "a scenario block must be at the top level of the lesson, not inside a "
                            + "list or quote",
                        at: SourceLocation(
                            path: path, line: block.fenceLine, column: block.fenceColumn)))
                continue
            }
            fences.append(ScenarioFence(block, lines: lines))
        }
        for block in document.indentedBlocks where Self.looksLikeScenarioFence(block.firstLine) {
            misplaced.append(
                .error(
                    "a scenario fence indented 4 or more spaces is an indented code block, not "
                        + "a scenario: indent it at most 3 spaces",
                    at: SourceLocation(path: path, line: block.line, column: block.column)))
        }
        for (n, fence) in fences.enumerated() {
            var result = ScenarioBlockResult(
                id: "\(slug)-scenario-\(n + 1)", index: n + 1, fence: fence,
                location: SourceLocation(path: path, line: fence.line, column: 1),
                options: nil, program: nil, actual: nil, frames: [], frameStatements: [],
                diagnostics: [], mismatch: nil, status: .invalid, verification: .notRequested)
            let (options, optionIssues) = ScenarioOptions.parse(
                fence.info, line: fence.line, column: fence.infoColumn)
            result.diagnostics += optionIssues.map { diagnostic($0, path) }
            if fence.closeIndex == nil {
                result.diagnostics.append(
                    .error(
                        "scenario block is not closed",
                        at: SourceLocation(
                            path: path, line: fence.line, column: fence.indent + 1)))
            }
            guard let options else {
                results.append(result)
                continue
            }
            result.options = options
            var session =
                options.session.flatMap { sessions[$0] }
                ?? ScenarioSession(options: options, engine: nil)
            let continuing = options.session.flatMap { sessions[$0] } != nil
            if continuing, let name = options.session,
                let message = session.conflict(with: options, name: name)
            {
                result.diagnostics.append(
                    .error(
                        message,
                        at: SourceLocation(
                            path: path, line: fence.line, column: fence.infoColumn)))
                session.engine = nil
            }
            let body = fence.body(in: lines).map {
                ScenarioSourceLine(text: $0.text, line: $0.index + 1, column: $0.column)
            }
            let program = ScenarioProgram.parse(
                body, model: options.model, variables: &session.variables)
            result.program = program
            result.diagnostics += program.issues.map { diagnostic($0, path) }
            if !continuing && optionIssues.isEmpty {
                do {
                    session.engine = try engines(options)
                } catch {
                    result.diagnostics.append(
                        .error(
                            error.message,
                            at: SourceLocation(
                                path: path, line: fence.line, column: fence.infoColumn)))
                }
            }
            if !result.diagnostics.hasErrors, session.engine == nil, let name = options.session {
                result.diagnostics.append(
                    .error(
                        "not run: an earlier block of session '\(name)' could not run",
                        at: SourceLocation(
                            path: path, line: fence.line, column: fence.infoColumn)))
            }
            if result.diagnostics.hasErrors || session.engine == nil {
                session.engine = nil
            } else {
                runBlock(&result, program: program, session: &session, path: path, lines: lines)
                if options.verifyGlibc { verifications.append((results.count, session.statements)) }
                if options.verifyKernel {
                    result.kernelJob = KernelVerificationJob(
                        statements: session.statements, cpus: session.options.cpus,
                        memoryBytes: session.options.memoryBytes)
                }
            }
            if let name = options.session { sessions[name] = session }
            results.append(result)
        }
        var pathsByLine: [Int: [PathHit]] = [:]
        for result in results {
            guard let statements = result.program?.statements else { continue }
            for (statement, hits) in zip(statements, result.paths) {
                pathsByLine[statement.line] = hits
            }
        }
        verify(verifications, into: &results, path: path, paths: pathsByLine)
        return LessonOutcome(
            results: results,
            diagnostics: (results.flatMap(\.diagnostics) + misplaced).sortedByLocation())
    }

    /// Whether the first line of an indented code block is a scenario's opening fence.
    static func looksLikeScenarioFence(_ line: String) -> Bool {
        for marker in ["```", "~~~"] where line.hasPrefix(marker) {
            let info = line.drop { $0 == "`" || $0 == "~" }.drop { $0 == " " || $0 == "\t" }
            return ScenarioOptions.isScenario(String(info))
        }
        return false
    }

    private func runBlock(
        _ result: inout ScenarioBlockResult, program: ScenarioProgram,
        session: inout ScenarioSession<any ScenarioEngine>, path: String, lines: LessonLines
    ) {
        guard var engine = session.engine else { return }
        var actual: [[String]] = []
        var paths: [[PathHit]] = []
        for (i, statement) in program.statements.enumerated() {
            if let ended = session.endedAtLine {
                result.diagnostics.append(
                    .error(
                        "statement after the end of the program (it ended on line \(ended))",
                        at: SourceLocation(
                            path: path, line: statement.line, column: statement.column)))
                actual.append([])
                paths.append([])
                continue
            }
            var step = engine.execute(statement)
            step.lines = step.comparableLines
            actual.append(step.lines)
            paths.append(step.paths)
            session.statements.append(statement)
            session.outputs.append(step.lines)
            if recordFrames, !statement.hidden, let content = engine.figureContent() {
                result.frames.append(FigureFrame(caption: statement.text, content: content))
                result.frameStatements.append(i)
            }
            if step.ends { session.endedAtLine = statement.line }
        }
        session.engine = engine
        result.actual = actual
        result.paths = paths
        let differs = actual != program.expected
        result.status = differs ? .differs : .passed
        if differs {
            let body = result.fence.bodyIndexes(lineCount: lines.spans.count)
            let plan = ScenarioRewrite.plan(
                fence: result.fence, lines: lines, program: program, actual: actual)
            let first = ScenarioRewrite.firstDifferingLine(
                program, actual: actual, fallback: result.fence.line)
            let diff = UnifiedDiff.lines(
                expected: body.map { lines.text($0) },
                actual: ScenarioRewrite.texts(plan, lines: lines),
                firstLine: body.lowerBound + 1)
            let mismatch = Diagnostic.error(
                "scenario output differs",
                at: SourceLocation(path: path, line: first, column: 1),
                details: diff
                    + DifferenceExplanation.lines(
                        statements: program.statements, expected: program.expected,
                        actual: actual, paths: paths)
                    + ["hint: run 'allocbook check --fix' to accept the actual output"])
            result.mismatch = mismatch
            result.diagnostics.append(mismatch)
        }
    }

    func diagnostic(_ issue: ScenarioIssue, _ path: String) -> Diagnostic {
        .error(
            issue.message, at: SourceLocation(path: path, line: issue.line, column: issue.column))
    }
}
