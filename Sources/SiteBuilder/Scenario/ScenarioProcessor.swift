import AllocatorModels
import Figures
import LessonMarkdown
import Replay
import Scenarios

/// The fenced-block processor of scenarios, for `allocbook build` and `allocbook check` alike:
/// runs every scenario of a lesson (found by cmark) and, when it makes pages, replaces each
/// block by its HTML and figure.
///
/// `data` holds the lesson's `[ScenarioBlockResult]`.
public struct ScenarioProcessor: FencedBlockProcessor {
    /// The runner (engines, verifier).
    public var runner: LessonScenarioRunner
    /// Whether to make the blocks' HTML (`build`); `check` only runs and compares.
    public var makesPages: Bool

    /// Creates a processor.
    public init(runner: LessonScenarioRunner, makesPages: Bool = true) {
        self.runner = runner
        self.makesPages = makesPages
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
        let outcome = runner.run(
            path: lesson.path, lines: lines, slug: lesson.frontMatter.slug,
            document: lesson.document)
        guard makesPages else {
            return FencedBlockOutput(diagnostics: outcome.diagnostics, data: outcome.results)
        }
        var byLine: [Int: ScenarioBlockResult] = [:]
        for result in outcome.results { byLine[result.fence.line] = result }
        var replacements: [Int: String] = [:]
        var definitionsWritten = false
        for block in lesson.document.fencedBlocks where ScenarioOptions.isScenario(block.info) {
            guard let result = byLine[block.fenceLine], !result.failed,
                let options = result.options
            else { continue }
            var figure = FigureRenderer.render(
                id: result.id, frames: result.frames, mode: options.figure)
            if !figure.isEmpty && !definitionsWritten {
                figure = FigureRenderer.sharedDefinitions + figure
                definitionsWritten = true
            }
            replacements[block.index] = ScenarioHTML.render(result, figure: figure)
        }
        return FencedBlockOutput(
            replacements: replacements, diagnostics: outcome.diagnostics, data: outcome.results)
    }
}
