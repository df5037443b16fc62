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
    /// The served files by name (`index.html`, `malloc.html`, `assets/style.css`).
    ///
    /// The last site that built without errors; `print.html` and the search index are made
    /// when read.
    public private(set) var siteFiles: [String: SiteFile] = [:]
    /// ``siteFiles``' bytes (every file made).
    public var files: [String: [UInt8]] { siteFiles.mapValues(\.bytes) }
    /// The diagnostics of the last rebuild (empty when it was clean).
    public private(set) var diagnostics: [Diagnostic] = []
    private var cache: [String: Cached] = [:]
    private var outline: Outline?
    private var renderedSources: [String: String] = [:]
    /// Each lesson's last rendered page, body and headings, by file name.
    private var pageParts: [String: SiteFiles.LessonPage] = [:]
    /// Each lesson's search-index sections, with the body and title they were made from.
    private var searchParts:
        [String: (body: String, title: String, sections: [SearchIndex.Section])] =
            [:]
    /// The search index's postings, moved lesson by lesson, and the lessons (file names, in
    /// course order) they hold.
    private var postings: SearchPostings?
    private var postingsFiles: [String] = []
    /// Each lesson's part of `print.html`, with what it was made from.
    private var printParts: [String: (key: PrintKey, bytes: [UInt8])] = [:]
    /// The slugs by page name the print parts were made with.
    private var printSlugs: [String: String] = [:]
    /// The head and foot of the last `print.html`.
    private var printHeadFoot: (head: [UInt8], foot: [UInt8]) = ([], [])
    /// The lesson titles of the last search index (its `pages` list).
    private var searchTitles: [String] = []

    /// What a lesson's part of `print.html` depends on.
    private struct PrintKey: Equatable {
        var body: String
        var position: Int
        var count: Int
        var frontMatter: LessonFrontMatter
    }

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
        var changed: [String] = []
        // print.html and the search index hold every lesson's body: made of per-lesson parts,
        // joined when read.
        let allPages = course.lessons.compactMap { pageParts[$0.fileName] }
        if allPages.count == course.lessons.count {
            if let print = printPage(site, pages: allPages) {
                siteFiles["print.html"] = print
                changed.append("print.html")
            }
            if !site.theme.script.isEmpty, let index = searchIndex(site, pages: allPages) {
                siteFiles["assets/search-index.js"] = index
                changed.append("assets/search-index.js")
            }
        }
        for (name, text) in rendered {
            let bytes = Array(text.utf8)
            if siteFiles[name]?.bytes != bytes {
                siteFiles[name] = SiteFile(bytes)
                changed.append(name)
            }
        }
        let live = Set(site.names)
        let removed = siteFiles.keys.filter { !live.contains($0) }.sorted()
        for name in removed { siteFiles[name] = nil }
        renderedSources = [:]
        for lesson in course.lessons { renderedSources[lesson.fileName] = lesson.source }
        let names = Set(course.lessons.map(\.fileName))
        for name in pageParts.keys where !names.contains(name) { pageParts[name] = nil }
        return Rebuild(
            processedLessons: processedLessons, changedFiles: changed.sorted(),
            removedFiles: removed, diagnostics: diagnostics)
    }

    /// `print.html`: its head and foot, and each lesson's part, made again only where the
    /// lesson's body, place or front matter (or any slug) changed; `nil` when nothing did.
    private mutating func printPage(_ site: SiteFiles, pages: [SiteFiles.LessonPage])
        -> SiteFile?
    {
        let lessons = site.course.lessons
        let slugs = site.slugsByPage
        if slugs != printSlugs {
            printParts = [:]
            printSlugs = slugs
        }
        let keys = lessons.indices.map { position in
            PrintKey(
                body: pages[position].body, position: position, count: lessons.count,
                frontMatter: lessons[position].frontMatter)
        }
        let stale = lessons.indices.filter { printParts[lessons[$0].fileName]?.key != keys[$0] }
        let made = Parallel.map(stale) { position in
            Array(site.printArticle(at: position, page: pages[position], slugs: slugs).utf8)
        }
        var changed = false
        for (position, bytes) in zip(stale, made) {
            let name = lessons[position].fileName
            changed = changed || printParts[name]?.bytes != bytes
            printParts[name] = (keys[position], bytes)
        }
        let names = Set(lessons.map(\.fileName))
        for name in printParts.keys where !names.contains(name) { printParts[name] = nil }
        let head = Array(site.renderer.printHead().utf8)
        let foot = Array(site.renderer.printFoot().utf8)
        let articles = lessons.map { printParts[$0.fileName]?.bytes ?? [] }
        guard
            changed || head != printHeadFoot.head || foot != printHeadFoot.foot
                || siteFiles["print.html"] == nil
        else { return nil }
        printHeadFoot = (head, foot)
        return SiteFile {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(articles.reduce(head.count + foot.count) { $0 + $1.count })
            bytes += head
            for article in articles { bytes += article }
            bytes += foot
            return bytes
        }
    }

    /// The search index: each lesson's sections read again only where its body or title
    /// changed, the postings moved only for the terms those lessons gained or lost; `nil`
    /// when nothing changed.
    private mutating func searchIndex(_ site: SiteFiles, pages: [SiteFiles.LessonPage])
        -> SiteFile?
    {
        let lessons = site.course.lessons
        let stale = lessons.indices.filter { position in
            guard let part = searchParts[lessons[position].fileName] else { return true }
            return part.body != pages[position].body
                || part.title != lessons[position].frontMatter.title
        }
        let made = Parallel.map(stale) { site.searchSections(at: $0, page: pages[$0]) }
        var changed = false
        for (position, sections) in zip(stale, made) {
            let name = lessons[position].fileName
            changed = changed || searchParts[name]?.sections != sections
            searchParts[name] = (
                pages[position].body, lessons[position].frontMatter.title, sections
            )
        }
        let names = Set(lessons.map(\.fileName))
        for name in searchParts.keys where !names.contains(name) { searchParts[name] = nil }
        let entries = lessons.map { ($0.pageName, $0.frontMatter.title) }
        let sections = lessons.map { searchParts[$0.fileName]?.sections ?? [] }
        let titles = lessons.map(\.frontMatter.title)
        if titles != searchTitles {
            searchTitles = titles
            changed = true
        }
        // Lessons added, removed or reordered move sections between pages: postings anew.
        let files = lessons.map(\.fileName)
        if postings == nil || files != postingsFiles {
            postings = SearchPostings(pages: entries, sections: sections)
            postingsFiles = files
            changed = true
        } else if changed {
            postings?.update(pages: entries, sections: sections, changed: stale)
        }
        guard changed || siteFiles["assets/search-index.js"] == nil, let postings else {
            return nil
        }
        return SiteFile { postings.script() }
    }
}
