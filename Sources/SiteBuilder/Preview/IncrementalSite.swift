import Foundation
import LessonMarkdown

/// The site `allocbook serve` shows, kept in memory and rebuilt incrementally.
///
/// A rebuild rereads the content folder, but parses and processes (runs the scenarios of) only
/// the lessons whose text changed since the last rebuild; the others keep their cached results.
/// Checks that span lessons (unique `order` and slug, lesson links, `#fragment` anchors) run
/// over the whole course every time, which is cheap. Pages are re-rendered only where their
/// input changed: the changed lessons, or every page when the course outline (titles, order,
/// slugs, summaries, `course.yml`) changed, because the sidebar, the home page, the lesson list
/// script and the previous/next links show it.
///
/// When a rebuild finds errors, ``files`` keeps the last good site and ``diagnostics`` says
/// what is wrong. Nothing is written into the content folder.
public struct IncrementalSite: Sendable {
    /// What one rebuild did.
    public struct Rebuild: Sendable {
        /// Lesson files whose scenarios ran (changed or new), in name order.
        public var processedLessons: [String]
        /// Files whose bytes changed, in name order (pages and assets).
        public var changedFiles: [String]
        /// Files that no longer exist (a lesson removed or renamed).
        public var removedFiles: [String]
        /// The problems found; when one is an error, ``IncrementalSite/files`` did not change.
        public var diagnostics: [Diagnostic]
    }

    private struct Cached: Sendable {
        var source: String
        var loaded: LessonLoader.Result
        var replacements: [Int: String]
        var diagnostics: [Diagnostic]
        /// The ids the page will carry (headings, generated HTML), for `#fragment` links.
        var anchors: Set<String> = []
    }

    private struct Outline: Hashable, Sendable {
        var info: CourseInfo
        var entries: [LessonFrontMatter]
        var files: [String]
    }

    /// The content folder as diagnostics print it.
    public let contentDirectory: String
    /// The processors, assets and home figure.
    public let configuration: SiteConfiguration
    /// The served files by name (`index.html`, `malloc.html`, `assets/style.css`): the last
    /// site that built without errors.
    public private(set) var files: [String: [UInt8]] = [:]
    /// The diagnostics of the last rebuild (empty when it was clean).
    public private(set) var diagnostics: [Diagnostic] = []
    private var cache: [String: Cached] = [:]
    private var outline: Outline?
    private var renderedSources: [String: String] = [:]
    /// Each lesson's last rendered page, body and headings, by file name.
    private var pageParts: [String: SiteFiles.LessonPage] = [:]

    /// Creates an empty site; call ``rebuild()`` to build it.
    public init(contentDirectory: String, configuration: SiteConfiguration = .standard) {
        self.contentDirectory = CourseLoader.folderName(contentDirectory)
        self.configuration = configuration
    }

    /// Rereads the content folder and brings ``files`` up to date.
    ///
    /// - Parameter changed: The lesson file names known to have changed since the last
    ///   rebuild (a file watcher knows them); only those, and lessons not seen before, are read
    ///   again. `nil` rereads every lesson.
    /// - Returns: What the rebuild processed and changed, and its diagnostics.
    public mutating func rebuild(changed: Set<String>? = nil) -> Rebuild {
        let folder = contentDirectory
        var diagnostics: [Diagnostic] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
            isDirectory.boolValue,
            let listing = try? FileManager.default.contentsOfDirectory(atPath: folder)
        else {
            return failed([.error("content folder '\(folder)' does not exist", at: nil)])
        }
        let names = listing.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let info = CourseLoader.loadInfo(folder: folder, diagnostics: &diagnostics)

        // Read every lesson; parse and process only those whose text changed.
        var next: [String: Cached] = [:]
        var stale: [(name: String, source: String?, failure: Diagnostic?)] = []
        for name in names {
            if let changed, !changed.contains(name), let cached = cache[name] {
                next[name] = cached
                continue
            }
            let path = "\(folder)/\(name)"
            switch SourceFile.read(URL(fileURLWithPath: path), displayPath: path) {
            case .success(let text):
                if let cached = cache[name], cached.source == text {
                    next[name] = cached
                } else {
                    stale.append((name, text, nil))
                }
            case .failure(let diagnostic):
                stale.append((name, nil, diagnostic))
            }
        }
        let processors = configuration.processors
        let fresh = Parallel.map(stale) { item -> (String, Cached) in
            guard let source = item.source else {
                let result = LessonLoader.Result(
                    lesson: nil, diagnostics: item.failure.map { [$0] } ?? [])
                return (
                    item.name,
                    Cached(source: "", loaded: result, replacements: [:], diagnostics: [])
                )
            }
            let loaded = LessonLoader.load(
                source: source, path: "\(folder)/\(item.name)", fileName: item.name,
                withBody: true)
            var replacements: [Int: String] = [:]
            var processed: [Diagnostic] = []
            if let lesson = loaded.lesson {
                for output in processors.map({ $0.process(lesson) }) {
                    replacements.merge(output.replacements) { first, _ in first }
                    processed += output.diagnostics
                }
            }
            let anchors = loaded.lesson.map {
                FragmentLinks.anchors(of: $0, replacements: replacements)
            }
            return (
                item.name,
                Cached(
                    source: source, loaded: loaded, replacements: replacements,
                    diagnostics: processed, anchors: anchors ?? [])
            )
        }
        for (name, cached) in fresh { next[name] = cached }
        cache = next

        let loaded = names.compactMap { next[$0]?.loaded }
        let course = CourseLoader.assemble(
            info: info, folder: folder, names: names, loaded: loaded, diagnostics: &diagnostics)
        let replacements = course.lessons.map { next[$0.fileName]?.replacements ?? [:] }
        for lesson in course.lessons { diagnostics += next[lesson.fileName]?.diagnostics ?? [] }
        var anchors: [String: Set<String>] = [:]
        for lesson in course.lessons { anchors[lesson.fileName] = next[lesson.fileName]?.anchors }
        diagnostics += FragmentLinks.check(course, anchors: anchors)
        diagnostics = diagnostics.sortedByLocation()
        let processedLessons = fresh.map(\.0).sorted()
        guard !diagnostics.hasErrors else {
            var rebuild = failed(diagnostics)
            rebuild.processedLessons = processedLessons
            return rebuild
        }
        self.diagnostics = diagnostics
        return render(
            course, replacements: replacements, processedLessons: processedLessons,
            diagnostics: diagnostics)
    }

    private mutating func failed(_ diagnostics: [Diagnostic]) -> Rebuild {
        self.diagnostics = diagnostics
        return Rebuild(
            processedLessons: [], changedFiles: [], removedFiles: [], diagnostics: diagnostics)
    }

    /// Renders the pages whose inputs changed into ``files``.
    private mutating func render(
        _ course: Course, replacements: [[Int: String]], processedLessons: [String],
        diagnostics: [Diagnostic]
    ) -> Rebuild {
        let site = SiteFiles(
            course: course, configuration: configuration, staging: URL(fileURLWithPath: "/"))
        let newOutline = Outline(
            info: course.info, entries: course.lessons.map(\.frontMatter),
            files: course.lessons.map(\.fileName))
        let everything = newOutline != outline
        outline = newOutline
        var rendered: [(String, String)] = []
        if everything { rendered += site.fixedFiles(scenarios: nil) }
        let positions = course.lessons.indices.filter { position in
            let lesson = course.lessons[position]
            return everything || renderedSources[lesson.fileName] != lesson.source
        }
        let pages = Parallel.map(positions) { position in
            site.lessonPage(at: position, replacements: replacements[position])
        }
        for (position, page) in zip(positions, pages) {
            let lesson = course.lessons[position]
            rendered.append((lesson.pageName, page.html))
            pageParts[lesson.fileName] = page
        }
        // print.html and the search index hold every lesson's body.
        let allPages = course.lessons.compactMap { pageParts[$0.fileName] }
        if allPages.count == course.lessons.count {
            rendered += site.wholeCourseFiles(pages: allPages)
        }
        var changed: [String] = []
        for (name, text) in rendered {
            let bytes = Array(text.utf8)
            if files[name] != bytes {
                files[name] = bytes
                changed.append(name)
            }
        }
        let live = Set(site.names)
        let removed = files.keys.filter { !live.contains($0) }.sorted()
        for name in removed { files[name] = nil }
        renderedSources = [:]
        for lesson in course.lessons { renderedSources[lesson.fileName] = lesson.source }
        return Rebuild(
            processedLessons: processedLessons, changedFiles: changed.sorted(),
            removedFiles: removed, diagnostics: diagnostics)
    }
}
