import AllocatorModels
import Figures
import Scenarios

/// Runs a reader's statements on the same models and renderer the build uses: the one code path
/// behind `window.AllocBook.run` (compiled to WebAssembly) and `allocbook run` (native).
public enum PlaygroundRunner {
    /// Frames drawn for the stepper at most; longer runs get the final figure only.
    public static let maxStepFrames = 200

    /// Runs a request.
    public static func run(_ request: PlaygroundRequest) -> PlaygroundResult {
        var result = PlaygroundResult()
        let (parsed, optionIssues) = ScenarioOptions.parse(request.info, line: 0, column: 1)
        for issue in optionIssues { result.diagnostics.append("error: " + issue.message) }
        guard let options = parsed, optionIssues.isEmpty else { return result }
        if options.model == .kernel && options.memoryBytes > PlaygroundLimits.kernelMemoryBytes {
            result.diagnostics.append("error: 'memory' is at most 1G in the playground")
            return result
        }
        if request.text.utf8.count > PlaygroundLimits.textBytes {
            result.diagnostics.append(
                "1:1: error: the text is longer than the playground's budget of "
                    + "\(PlaygroundLimits.textBytes / 1024) KiB")
            return result
        }
        var variables = ScenarioVariables()
        let program = ScenarioProgram.parse(
            sourceLines(request.text), model: options.model, variables: &variables)
        for issue in program.issues {
            result.diagnostics.append(located(issue.line, issue.column, issue.message))
        }
        guard program.issues.isEmpty else { return result }
        switch options.model {
        case .malloc:
            var engine = MallocScenarioRunner()
            execute(program, engine: &engine, request: request, into: &result)
        case .kernel:
            do throws(KernelMachine.ConfigurationError) {
                var engine = try KernelScenarioRunner(
                    cpus: options.cpus, memoryBytes: options.memoryBytes,
                    freelistRandomSeed: options.freelistRandomSeed, slabDebug: options.slabDebug,
                    version: options.version, perCPULists: options.perCPULists)
                execute(program, engine: &engine, request: request, into: &result)
            } catch {
                result.diagnostics.append(
                    "error: cannot start the kernel model: \(error.description)")
            }
        }
        return result
    }

    /// The text's lines, numbered from 1 (a trailing `\r` is dropped).
    static func sourceLines(_ text: Substring) -> [ScenarioSourceLine] {
        var lines: [ScenarioSourceLine] = []
        var number = 1
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.last == "\r" ? raw.dropLast() : raw
            lines.append(ScenarioSourceLine(text: String(line), line: number, column: 1))
            number += 1
        }
        return lines
    }

    static func located(_ line: Int, _ column: Int, _ message: String) -> String {
        "\(line):\(column): error: \(message)"
    }

    private static func execute<Engine: ScenarioEngine>(
        _ program: ScenarioProgram, engine: inout Engine, request: PlaygroundRequest,
        into result: inout PlaygroundResult
    ) {
        var frames: [FigureFrame] = []
        var frameLines: [Int] = []
        var endedAt: Int?
        var touched: UInt64 = 0
        for (count, statement) in program.statements.enumerated() {
            if case .memset(_, _, let length) = statement.action {
                touched = touched &+ length
                if touched > PlaygroundLimits.touchedBytes || touched < length {
                    result.diagnostics.append(
                        located(
                            statement.line, statement.column,
                            "memory budget exceeded: the playground's memset calls write at most "
                                + "1 GiB in all"))
                    break
                }
            }
            if count == PlaygroundLimits.statements {
                result.diagnostics.append(
                    located(
                        statement.line, statement.column,
                        "statement budget exceeded: the playground runs at most "
                            + "\(PlaygroundLimits.statements) statements"))
                break
            }
            if let ended = endedAt {
                result.diagnostics.append(
                    located(
                        statement.line, statement.column,
                        "statement after the end of the program (it ended on line \(ended))"))
                result.steps.append(
                    .init(line: statement.line, hidden: statement.hidden, lines: []))
                continue
            }
            let step = engine.execute(statement)
            let lines = step.comparableLines
            result.lines += lines
            result.steps.append(.init(line: statement.line, hidden: statement.hidden, lines: lines))
            if !statement.hidden, let content = engine.figureContent() {
                frames.append(FigureFrame(caption: statement.text, content: content))
                frameLines.append(statement.line)
            }
            if step.ends { endedAt = statement.line }
        }
        guard let last = frames.last else { return }
        result.figure = FigureRenderer.svg(
            id: request.figureID + "-final", frame: last, previous: nil)
        guard request.steps, frames.count <= maxStepFrames else { return }
        for index in frames.indices {
            result.frames.append(
                .init(
                    line: frameLines[index], caption: frames[index].caption,
                    svg: FigureRenderer.svg(
                        id: request.figureID + "-step-\(index + 1)", frame: frames[index],
                        previous: index > 0 ? frames[index - 1] : nil)))
        }
    }
}
