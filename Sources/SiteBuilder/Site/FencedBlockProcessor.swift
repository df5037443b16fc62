import LessonMarkdown
import Markup

/// Turns chosen fenced blocks of a lesson into generated HTML (scenarios, figures).
///
/// The builder calls every processor once per lesson, for different lessons concurrently, after
/// the course has loaded and before anything is written. A processor returns replacement HTML for
/// the blocks it owns (by ``FencedBlock/index``) and diagnostics; any error fails the build, and
/// the previous site stays as it was. `allocbook check` runs the same processors through
/// ``CourseProcessing/process(_:with:)`` without building a site.
///
/// Replacement HTML goes into the page verbatim (cmark's custom block), so a processor must
/// escape every string it interpolates with `Markup.escape(_:encodingWhitespace:)`.
public protocol FencedBlockProcessor: Sendable {
    /// Processes one lesson.
    ///
    /// - Parameter lesson: The lesson: path, source, front matter and parsed Markdown with its
    ///   fenced blocks (full info string, body, 1-based lines).
    /// - Returns: Replacements, diagnostics and optional data for this lesson.
    func process(_ lesson: Lesson) -> FencedBlockOutput
}

/// What a ``FencedBlockProcessor`` made of one lesson.
public struct FencedBlockOutput: Sendable {
    /// Generated HTML by fenced-block index; blocks not listed render as code blocks.
    public var replacements: [Int: String]
    /// Problems found, in compiler form, located in the lesson's file.
    public var diagnostics: [Diagnostic]
    /// Anything the processor wants to hand back to its own caller (`allocbook check` uses it
    /// for per-scenario results); the builder ignores it.
    public var data: (any Sendable)?

    /// Creates an output.
    public init(
        replacements: [Int: String] = [:], diagnostics: [Diagnostic] = [],
        data: (any Sendable)? = nil
    ) {
        self.replacements = replacements
        self.diagnostics = diagnostics
        self.data = data
    }
}

/// Runs fenced-block processors over a loaded course.
public enum CourseProcessing {
    /// The processors' results for one lesson.
    public struct LessonResult: Sendable {
        /// Replacement HTML by fenced-block index, merged over the processors (the first
        /// processor to claim a block wins).
        public var replacements: [Int: String]
        /// Each processor's output, in the order of the processors.
        public var outputs: [FencedBlockOutput]

        /// Creates a result.
        public init(replacements: [Int: String], outputs: [FencedBlockOutput]) {
            self.replacements = replacements
            self.outputs = outputs
        }
    }

    /// Runs every processor on every lesson, lessons in parallel.
    ///
    /// - Returns: One result per lesson (in the course's order) and all diagnostics, sorted by
    ///   location.
    public static func process(
        _ course: Course, with processors: [any FencedBlockProcessor]
    ) -> ([LessonResult], [Diagnostic]) {
        guard !processors.isEmpty else {
            let empty = LessonResult(replacements: [:], outputs: [])
            return (Array(repeating: empty, count: course.lessons.count), [])
        }
        // Lessons may wait on child processes (verify=glibc replays): more threads than cores.
        let results = Parallel.mapWaiting(course.lessons, width: 8) { lesson in
            var replacements: [Int: String] = [:]
            let outputs = processors.map { $0.process(lesson) }
            for output in outputs {
                replacements.merge(output.replacements) { first, _ in first }
            }
            return LessonResult(replacements: replacements, outputs: outputs)
        }
        let diagnostics = results.flatMap { $0.outputs.flatMap(\.diagnostics) }
        return (results, diagnostics.sortedByLocation())
    }
}
