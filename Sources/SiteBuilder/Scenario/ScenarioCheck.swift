import Foundation

/// `allocbook check`: runs every scenario of every lesson in a content folder, without
/// writing the site; with `fix`, rewrites the expected lines of blocks whose output differs.
public struct ScenarioCheck: Sendable {
    /// One lesson's outcome.
    public struct Lesson: Sendable {
        /// The path as printed (`content/03-malloc.md`).
        public var path: String
        /// Its lines.
        public var lines: LessonLines
        /// Its blocks.
        public var results: [ScenarioBlockResult]
    }

    /// The outcome of a check.
    public struct Report: Sendable {
        /// Every lesson, in file-name order.
        public var lessons: [Lesson]
        /// Every diagnostic, in location order (file-level problems included).
        public var diagnostics: [Diagnostic]
        /// Lessons rewritten by `fix`, with the number of blocks changed in each.
        public var fixed: [(path: String, blocks: Int)]

        /// Whether the check fails (an error remains).
        public var failed: Bool { diagnostics.hasErrors }
        /// Number of scenario blocks checked.
        public var scenarioCount: Int { lessons.reduce(0) { $0 + $1.results.count } }
    }

    /// The content folder as the user gave it (`content`).
    public var content: String
    /// Rewrite the expected lines of differing blocks.
    public var fix: Bool
    /// The runner (engines, verifier, strictness).
    public var runner: LessonScenarioRunner
    /// The processors `build` runs, for the ids of generated HTML that `#fragment` links
    /// point at (run only on the lessons such links point into).
    public var pageProcessors: [any FencedBlockProcessor] = SiteConfiguration.standard.processors

    /// Creates a check.
    public init(content: String, fix: Bool, runner: LessonScenarioRunner) {
        self.content = content
        self.fix = fix
        self.runner = runner
    }

    /// Loads the course and runs every scenario through the same front end as `build`
    /// (`CourseLoader`, then ``CourseProcessing`` with a ``ScenarioProcessor`` that makes no
    /// pages), checks `#fragment` links as `build` does, then fixes if asked.
    ///
    /// Nothing but fixed lessons is written.
    public func run() -> Report {
        let (course, loadDiagnostics) = CourseLoader.load(
            contentDirectory: content, withPages: false)
        let processor = ScenarioProcessor(runner: runner, makesPages: false)
        let (processed, _) = CourseProcessing.process(course, with: [processor])
        // `#fragment` links, with the same errors as `build`.
        var diagnostics = loadDiagnostics + FragmentLinks.check(course, processors: pageProcessors)
        var lessons: [Lesson] = []
        for (lesson, result) in zip(course.lessons, processed) {
            guard let output = result.outputs.first else { continue }
            let results = output.data as? [ScenarioBlockResult] ?? []
            // What is not a block's own (scenario fences that cannot run where they are).
            var outside = output.diagnostics
            for diagnostic in results.flatMap(\.diagnostics) {
                if let i = outside.firstIndex(of: diagnostic) { outside.remove(at: i) }
            }
            diagnostics += outside
            lessons.append(
                Lesson(
                    path: lesson.path, lines: LessonLines(Array(lesson.source.utf8)),
                    results: results))
        }
        // verify=kernel: every block of the run in one boot per CPU count.
        runner.verifyKernel(&lessons)
        var fixed: [(String, Int)] = []
        for checked in lessons {
            let results = checked.results
            let own = results.flatMap(\.diagnostics)
            let differing = results.filter { $0.status == .differs }
            guard fix, !differing.isEmpty else {
                diagnostics += own
                continue
            }
            let bytes = ScenarioFixer.fixedBytes(checked.lines, results: results)
            do {
                try ScenarioFixer.writeAtomically(bytes, to: checked.path)
                fixed.append((checked.path, differing.count))
                let resolved = Set(results.compactMap(\.mismatch))
                diagnostics += own.filter { !resolved.contains($0) }
            } catch {
                diagnostics += own
                diagnostics.append(
                    .error(
                        "cannot write '\(checked.path)'",
                        at: SourceLocation(path: checked.path, line: 1, column: 1)))
            }
        }
        lessons.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
        fixed.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        return Report(lessons: lessons, diagnostics: diagnostics.sortedByLocation(), fixed: fixed)
    }
}
