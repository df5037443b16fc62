import AllocatorModels
import Figures
import LessonMarkdown
import Replay
import Scenarios

/// The fenced-block processor `allocbook build` runs: checks every scenario of a lesson (the
/// same checks as `allocbook check`) and replaces each block by its HTML and figure.
public struct ScenarioProcessor: FencedBlockProcessor {
    /// The runner (engines, verifier).
    public var runner: LessonScenarioRunner

    /// Creates a processor.
    public init(runner: LessonScenarioRunner) {
        self.runner = runner
    }

    /// The processor of `allocbook build`: the real models and the real-glibc verifier.
    public static var standard: ScenarioProcessor {
        ScenarioProcessor(
            runner: LessonScenarioRunner(
                engines: ScenarioEngines.standard, verifier: GlibcReplayVerifier.standard()))
    }

    /// Runs the lesson's scenarios; returns their HTML, diagnostics and the results (`data`).
    public func process(_ lesson: Lesson) -> FencedBlockOutput {
        let lines = LessonLines(Array(lesson.source.utf8))
        let results = runner.run(path: lesson.path, lines: lines, slug: lesson.frontMatter.slug)
        var byLine: [Int: ScenarioBlockResult] = [:]
        for result in results { byLine[result.fence.line] = result }
        var diagnostics = results.flatMap(\.diagnostics)
        var replacements: [Int: String] = [:]
        var definitionsWritten = false
        for block in lesson.document.fencedBlocks where ScenarioOptions.isScenario(block.info) {
            guard let result = byLine[block.fenceLine] else {
                diagnostics.append(
                    .error(
                        "a scenario block must be at the top level of the lesson, not inside a "
                            + "list or quote",
                        at: SourceLocation(
                            path: lesson.path, line: block.fenceLine, column: block.fenceColumn)))
                continue
            }
            guard !result.failed, let options = result.options else { continue }
            var figure = FigureRenderer.render(
                id: result.id, frames: result.frames, mode: options.figure)
            if !figure.isEmpty && !definitionsWritten {
                figure = FigureRenderer.sharedDefinitions + figure
                definitionsWritten = true
            }
            replacements[block.index] = ScenarioHTML.render(result, figure: figure)
        }
        return FencedBlockOutput(
            replacements: replacements, diagnostics: diagnostics, data: results)
    }
}
