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

    /// Creates a check.
    public init(content: String, fix: Bool, runner: LessonScenarioRunner) {
        self.content = content
        self.fix = fix
        self.runner = runner
    }

    /// The lesson files of `content` (`*.md`, sorted by name), as printed paths.
    public static func lessonPaths(in content: String) throws(ScenarioCheckError) -> [String] {
        let names: [String]
        do {
            names = try SourceFile.lessonNames(in: content)
        } catch {
            throw .cannotReadFolder(content)
        }
        let prefix = content.hasSuffix("/") ? content : content + "/"
        return names.map { prefix + $0 }
    }

    /// Runs the check over every lesson (both cores), then fixes if asked.
    public func run() -> Report {
        let paths: [String]
        do {
            paths = try Self.lessonPaths(in: content)
        } catch {
            return Report(
                lessons: [],
                diagnostics: [.error("cannot read content folder '\(content)'", at: nil)],
                fixed: [])
        }
        let outcomes = ConcurrentMap.mapWaiting(paths, width: 8) { path in checkLesson(path) }
        var lessons: [Lesson] = []
        var diagnostics: [Diagnostic] = []
        for outcome in outcomes {
            diagnostics += outcome.fileDiagnostics
            if let lesson = outcome.lesson { lessons.append(lesson) }
        }
        runner.verifyKernel(&lessons)
        var fixed: [(String, Int)] = []
        for lesson in lessons {
            let differing = lesson.results.filter { $0.status == .differs }
            guard fix, !differing.isEmpty else {
                diagnostics += lesson.results.flatMap(\.diagnostics)
                continue
            }
            let bytes = ScenarioFixer.fixedBytes(lesson.lines, results: lesson.results)
            do {
                try ScenarioFixer.writeAtomically(bytes, to: lesson.path)
                fixed.append((lesson.path, differing.count))
                diagnostics += lesson.results.flatMap { result in
                    result.diagnostics.filter { $0.message != ScenarioMessages.differs }
                }
            } catch {
                diagnostics += lesson.results.flatMap(\.diagnostics)
                diagnostics.append(
                    .error(
                        "cannot write '\(lesson.path)'",
                        at: SourceLocation(path: lesson.path, line: 1, column: 1)))
            }
        }
        return Report(lessons: lessons, diagnostics: diagnostics.sortedByLocation(), fixed: fixed)
    }

    private func checkLesson(_ path: String) -> (lesson: Lesson?, fileDiagnostics: [Diagnostic]) {
        // The same reading rules and diagnostics as `build` (symbolic links, FIFOs, UTF-8).
        let folder =
            content.hasSuffix("/") && content.count > 1 ? String(content.dropLast()) : content
        let source: String
        switch SourceFile.read(URL(fileURLWithPath: path), displayPath: path, within: folder) {
        case .success(let text): source = text
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        // Front matter that would fail `build` fails `check` too (a lesson without any is
        // left to `build`, so that a folder of bare scenario files can still be checked).
        var fileDiagnostics: [Diagnostic] = []
        if source.hasPrefix("---") {
            let name = String(path.split(separator: "/").last ?? Substring(path))
            fileDiagnostics =
                LessonLoader.load(source: source, path: path, fileName: name)
                .diagnostics
        }
        let data = Data(source.utf8)
        let lines = LessonLines([UInt8](data))
        let slug = Self.slug(forPath: path)
        let results = runner.run(path: path, lines: lines, slug: slug)
        return (Lesson(path: path, lines: lines, results: results), fileDiagnostics)
    }

    /// The slug `check` uses for block ids: the file name without `.md` and without a leading
    /// `NN-` order prefix (`content/03-malloc.md` → `malloc`).
    public static func slug(forPath path: String) -> String {
        var name = Substring(path.split(separator: "/").last ?? Substring(path))
        if name.hasSuffix(".md") { name = name.dropLast(3) }
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, name.dropFirst(digits.count).first == "-" {
            name = name.dropFirst(digits.count + 1)
        }
        return String(name)
    }
}

/// Errors finding lessons.
public enum ScenarioCheckError: Error, Hashable, Sendable {
    /// The content folder cannot be listed.
    case cannotReadFolder(String)
}

/// Fixed diagnostic messages other code matches on.
public enum ScenarioMessages {
    /// The message of an output mismatch.
    public static let differs = "scenario output differs"
}

/// Maps over an array on every core, keeping the order.
enum ConcurrentMap {
    static func map<T: Sendable, R: Sendable>(_ items: [T], _ body: @Sendable (T) -> R) -> [R] {
        guard items.count > 1 else { return items.map(body) }
        let box = ResultBox<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { i in
            box.set(i, body(items[i]))
        }
        return box.values()
    }

    /// Like `map`, for bodies that mostly wait (a child process): `width` threads of their own
    /// (not the dispatch pool, which adds threads only slowly when its workers block), each
    /// taking the next item until none is left.
    static func mapWaiting<T: Sendable, R: Sendable>(
        _ items: [T], width: Int, _ body: @escaping @Sendable (T) -> R
    ) -> [R] {
        guard items.count > 1 else { return items.map(body) }
        let box = ResultBox<R>(count: items.count)
        let done = DispatchSemaphore(value: 0)
        let workers = min(max(1, width), items.count)
        for _ in 0..<workers {
            let thread = Thread {
                while let i = box.claim() { box.set(i, body(items[i])) }
                done.signal()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        for _ in 0..<workers { done.wait() }
        return box.values()
    }

    fileprivate final class ResultBox<R>: @unchecked Sendable {
        private var slots: [R?]
        private var next = 0
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        /// The next unclaimed index, or `nil` when all are taken.
        func claim() -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < slots.count else { return nil }
            next += 1
            return next - 1
        }
        func set(_ i: Int, _ value: R) {
            lock.lock()
            slots[i] = value
            lock.unlock()
        }
        func values() -> [R] { slots.compactMap { $0 } }
    }
}
