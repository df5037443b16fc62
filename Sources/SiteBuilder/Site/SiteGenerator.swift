import Foundation
import LessonMarkdown

/// The pipeline: load the course, run the fenced-block processors, render every page into a
/// staging folder on all cores, then swap it in for the output folder.
public enum SiteGenerator {
    /// What a build did.
    public struct Result: Sendable {
        /// Every problem found, sorted by location; the build wrote nothing if any is an error.
        public var diagnostics: [Diagnostic]
        /// The number of files written (pages and assets), 0 when the build failed.
        public var fileCount: Int
        /// The number of lesson pages written.
        public var lessonCount: Int

        /// Creates a result.
        public init(diagnostics: [Diagnostic], fileCount: Int, lessonCount: Int) {
            self.diagnostics = diagnostics
            self.fileCount = fileCount
            self.lessonCount = lessonCount
        }
    }

    /// Builds the site.
    ///
    /// Nothing outside the output folder is touched except the staging folder beside it. On any
    /// error the previous output stays byte for byte as it was.
    ///
    /// - Parameters:
    ///   - contentDirectory: The content folder (`content`).
    ///   - outputDirectory: The output folder (`site`); created, or replaced if allocbook made it.
    ///   - configuration: Processors, assets and the home figure.
    /// - Returns: The diagnostics and what was written.
    public static func build(
        contentDirectory: String, outputDirectory: String,
        configuration: SiteConfiguration = .standard
    ) -> Result {
        let (course, loadDiagnostics) = CourseLoader.load(contentDirectory: contentDirectory)
        let (processed, processDiagnostics) = CourseProcessing.process(
            course, with: configuration.processors)
        let output = OutputFolder(path: outputDirectory)
        let fragments = FragmentLinks.check(course, replacements: processed.map(\.replacements))
        var diagnostics =
            (loadDiagnostics + processDiagnostics + fragments).sortedByLocation() + output.check()
        guard !diagnostics.hasErrors else {
            return Result(diagnostics: diagnostics, fileCount: 0, lessonCount: 0)
        }
        // From here until the process ends, no other build writes into this output.
        let lock: OutputLock
        do throws(OutputLock.Failure) {
            lock = try OutputLock.acquire(output)
        } catch {
            return Result(
                diagnostics: diagnostics + [error.diagnostic], fileCount: 0, lessonCount: 0)
        }
        defer { withExtendedLifetime(lock) {} }
        diagnostics += output.check()  // again: another build may have swapped in the meantime
        guard !diagnostics.hasErrors else {
            return Result(diagnostics: diagnostics, fileCount: 0, lessonCount: 0)
        }
        diagnostics += output.removeStaleStaging()

        let staging: URL
        do {
            staging = try output.makeStaging()
        } catch {
            diagnostics.append(
                .error(
                    "cannot create a staging folder beside '\(output.path)': "
                        + SystemReason.text(error), at: nil))
            return Result(diagnostics: diagnostics, fileCount: 0, lessonCount: 0)
        }
        let files = SiteFiles(course: course, configuration: configuration, staging: staging)
        let failures = files.writeAll(processed: processed)
        guard failures.isEmpty else {
            OutputFolder.discard(staging: staging)
            return Result(
                diagnostics: diagnostics + failures.map { .error($0, at: nil) }, fileCount: 0,
                lessonCount: 0)
        }
        /// Discards the staging folder and fails with `message`.
        func failure(_ message: String) -> Result {
            OutputFolder.discard(staging: staging)
            return Result(
                diagnostics: diagnostics + [.error(message, at: nil)], fileCount: 0,
                lessonCount: 0)
        }
        do {
            try OutputFolder.writeMarker(in: staging, files: files.names)
        } catch {
            return failure(
                "cannot write the marker '\(OutputFolder.markerName)' into the staging folder: "
                    + SystemReason.text(error))
        }
        do throws(OutputFolder.SwapError) {
            diagnostics += try output.commit(staging: staging)
        } catch {
            return failure(
                "cannot move the new site into '\(output.path)': \(error.reason); "
                    + "the previous site is unchanged")
        }
        return Result(
            diagnostics: diagnostics, fileCount: files.names.count + 1,
            lessonCount: course.lessons.count)
    }
}

/// The files of one build, written into the staging folder (`allocbook serve` renders the same
/// pages into memory, one at a time).
struct SiteFiles: Sendable {
    let course: Course
    let configuration: SiteConfiguration
    let staging: URL
    let renderer: PageRenderer
    let links: LinkResolver
    let inlineSidebar: Bool
    let theme: Theme

    init(course: Course, configuration: SiteConfiguration, staging: URL) {
        self.course = course
        self.configuration = configuration
        self.staging = staging
        inlineSidebar = course.lessons.count <= configuration.inlineSidebarLimit
        theme = configuration.theme.overlaid(with: course.themeFiles)
        renderer = PageRenderer(
            course: course, inlineSidebar: inlineSidebar, hasSiteScript: !theme.script.isEmpty,
            hasPlayground: configuration.playground != nil)
        links = LinkResolver(lessons: course.lessons)
    }

    /// Every file name, relative to the site's root (the marker excluded).
    var names: [String] {
        var names = ["index.html", "404.html", "print.html", "assets/style.css"]
        if !theme.script.isEmpty { names += ["assets/site.js", "assets/search-index.js"] }
        if !inlineSidebar { names.append("assets/toc.js") }
        if configuration.playground != nil {
            names += [
                "playground.html", "assets/playground.js", "assets/playground-wasm.js",
                "assets/scenarios.js",
            ]
        }
        names += course.lessons.map(\.pageName)
        return names
    }

    /// Writes everything; returns messages for the files that could not be written.
    func writeAll(processed: [CourseProcessing.LessonResult]) -> [String] {
        var failures: [String] = []
        do {
            try FileManager.default.createDirectory(
                at: staging.appendingPathComponent("assets"), withIntermediateDirectories: true)
        } catch {
            return ["cannot create the 'assets' folder: \(SystemReason.text(error))"]
        }
        for (name, text) in fixedFiles(scenarios: tryItSources(processed)) {
            if let failure = write(text, to: name) { failures.append(failure) }
        }
        let positions = Array(course.lessons.indices)
        let pages = Parallel.map(positions) { position in
            lessonPage(at: position, replacements: processed[position].replacements)
        }
        failures += Parallel.map(positions) { position in
            write(pages[position].html, to: course.lessons[position].pageName)
        }.compactMap { $0 }
        for (name, text) in wholeCourseFiles(pages: pages) {
            if let failure = write(text, to: name) { failures.append(failure) }
        }
        return failures
    }

    /// `assets/scenarios.js` from the scenario processor's results of every lesson.
    private func tryItSources(_ processed: [CourseProcessing.LessonResult]) -> String {
        let lessons = zip(course.lessons, processed).map { lesson, result in
            let blocks = result.outputs.compactMap { $0.data as? [ScenarioBlockResult] }.joined()
            return TryItSources.entries(Array(blocks), lesson: lesson.frontMatter.title)
        }
        return TryItSources.script(lessons)
    }

    /// The files that are not lesson pages and do not depend on the lessons' bodies (home,
    /// 404, assets, the playground's files with `scenarios`, its `scenarios.js`), by name.
    func fixedFiles(scenarios: String?) -> [(String, String)] {
        var fixed: [(String, String)] = [
            ("index.html", renderer.homePage(figure: configuration.overviewFigure?(course) ?? nil)),
            ("404.html", renderer.notFoundPage()),
            ("assets/style.css", theme.styleSheet),
        ]
        if !theme.script.isEmpty { fixed.append(("assets/site.js", theme.script)) }
        if !inlineSidebar {
            fixed.append(("assets/toc.js", TOCScript.script(for: course, theme: theme)))
        }
        if let playground = configuration.playground {
            fixed += [
                ("playground.html", renderer.playgroundPage()),
                ("assets/playground.js", playground.loader),
                ("assets/playground-wasm.js", playground.moduleScript),
            ]
            if let scenarios { fixed.append(("assets/scenarios.js", scenarios)) }
        }
        return fixed
    }

    /// Every lesson's slug by page name (`print.html` links between lessons with them).
    var slugsByPage: [String: String] {
        Dictionary(
            course.lessons.map { ($0.pageName, $0.frontMatter.slug) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The lesson at `position` on `print.html`, whose page is `page`; `slugs` is
    /// ``slugsByPage``.
    func printArticle(at position: Int, page: LessonPage, slugs: [String: String]) -> String {
        let body = PrintIDs.unique(
            page.body, slug: course.lessons[position].frontMatter.slug, pages: slugs,
            keepDefinitions: position == 0)
        return renderer.printArticle(at: position, body: body)
    }

    /// The files made from every lesson's body: `print.html` and the search index.
    func wholeCourseFiles(pages: [LessonPage]) -> [(String, String)] {
        let positions = Array(course.lessons.indices)
        let slugs = slugsByPage
        let articles = Parallel.map(positions) { position in
            printArticle(at: position, page: pages[position], slugs: slugs)
        }
        var files = [
            ("print.html", renderer.printHead() + articles.joined() + renderer.printFoot())
        ]
        if !theme.script.isEmpty {
            let sections = Parallel.map(positions) { searchSections(at: $0, page: pages[$0]) }
            let index = SearchIndex.script(
                pages: course.lessons.map { ($0.pageName, $0.frontMatter.title) },
                sections: sections)
            files.append(("assets/search-index.js", index))
        }
        return files
    }

    /// The search index's sections of the lesson at `position`, whose page is `page`.
    func searchSections(at position: Int, page: LessonPage) -> [SearchIndex.Section] {
        let lesson = course.lessons[position]
        return SearchIndex.sections(
            of: SearchIndex.Page(
                pageName: lesson.pageName, title: lesson.frontMatter.title, html: page.body,
                headings: page.headings.map { ($0.id, $0.text) }))
    }

    /// A lesson's page, its body (for the search index and `print.html`) and headings.
    typealias LessonPage = (html: String, body: String, headings: [Heading])

    /// The page of the lesson at `position` in the course, its body and headings.
    func lessonPage(at position: Int, replacements: [Int: String]) -> LessonPage {
        let lesson = course.lessons[position]
        // The loader rendered the body with its one parse; only a lesson made some other way
        // (without `withBody`) is parsed here.
        let document =
            lesson.document.body == nil
            ? LessonDocument.parse(
                lesson.source, reservedIDs: PageRenderer.reservedIDs, withBody: true)
            : lesson.document
        var all = replacements
        for block in document.fencedBlocks where all[block.index] == nil {
            if CHighlighter.languages.contains(String(block.language)) {
                all[block.index] = CHighlighter.codeBlock(block.body)
            }
        }
        let body = document.body?.html(replacements: all, rewriteLink: links.rewrite) ?? ""
        let headings = document.headings
        return (renderer.lessonPage(at: position, body: body, headings: headings), body, headings)
    }

    private func write(_ text: String, to name: String) -> String? {
        do {
            try Data(text.utf8).write(to: staging.appendingPathComponent(name))
            return nil
        } catch {
            return "cannot write '\(name)' into the staging folder: \(SystemReason.text(error))"
        }
    }
}
