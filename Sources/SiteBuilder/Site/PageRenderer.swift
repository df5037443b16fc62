import LessonMarkdown
import Markup

/// Writes the site's pages as HTML strings.
///
/// Every interpolated string is escaped here.
struct PageRenderer: Sendable {
    /// The ids the page template uses; lesson headings never get them.
    static let reservedIDs: Set<String> = [
        "main", "toc-heading", "lessons", "sidebar-list", "sidebar", "search", "search-input",
        "search-results",
    ]

    let course: Course
    let inlineSidebar: Bool
    let hasSiteScript: Bool
    /// Whether the site has the playground (`playground.html`, linked from the home page).
    var hasPlayground = false
    /// Escaped `(page, title)` per lesson, in course order.
    private let entries: [(page: String, title: String)]

    init(course: Course, inlineSidebar: Bool, hasSiteScript: Bool, hasPlayground: Bool = false) {
        self.course = course
        self.inlineSidebar = inlineSidebar
        self.hasSiteScript = hasSiteScript
        self.hasPlayground = hasPlayground
        entries = course.lessons.map {
            (Markup.escape($0.pageName), Markup.escape($0.frontMatter.title))
        }
    }

    // MARK: - Pages

    /// A lesson page: the body HTML with header, table of contents, pager and sidebar.
    func lessonPage(at position: Int, body: String, headings: [Heading]) -> String {
        let lesson = course.lessons[position]
        let front = lesson.frontMatter
        var html = head(
            title: "\(front.title) · \(course.info.title)", description: front.summary,
            root: "", kind: "lesson-page", tocScript: !inlineSidebar)
        html += "<div class=\"layout\">\n<main id=\"main\">\n<article>\n"
        html += "<header class=\"lesson-header\">\n"
        html += "<p class=\"lesson-number\">Lesson \(position + 1) of \(course.lessons.count)</p>\n"
        html += "<h1>\(Markup.escape(front.title))</h1>\n"
        html += "<p class=\"lesson-summary\">\(Markup.escape(front.summary))</p>\n"
        html += "</header>\n"
        html += tableOfContents(headings)
        html += "<div class=\"lesson-body\">\n"
        html += body
        html += "</div>\n</article>\n"
        html += pager(at: position)
        html += "</main>\n"
        html += sidebar(current: position)
        html += "</div>\n"
        html += foot()
        return html
    }

    /// The home page: title, description, optional overview figure, the lessons with summaries.
    func homePage(figure: String?) -> String {
        let info = course.info
        var html = head(
            title: info.title, description: info.description, root: "", kind: "home-page",
            tocScript: false)
        html += "<main id=\"main\" class=\"home\">\n<header class=\"home-header\">\n"
        html += "<h1>\(Markup.escape(info.title))</h1>\n"
        html += "<p class=\"course-description\">\(Markup.escape(info.description))</p>\n"
        if hasPlayground {
            html +=
                "<p class=\"playground-link\"><a href=\"playground.html\">Playground</a>: run your "
                + "own allocations on the models, in your browser.</p>\n"
        }
        html += "</header>\n"
        if let figure {
            html += "<div class=\"overview-figure\">\n\(figure)\n</div>\n"
        }
        html += "<section aria-labelledby=\"lessons\">\n<h2 id=\"lessons\">Lessons</h2>\n"
        html += "<ol class=\"lesson-cards\(numbersClass)\">\n"
        for (lesson, entry) in zip(course.lessons, entries) {
            html += "<li><a href=\"\(entry.page)\">\(entry.title)</a>\n"
            html += "<p>\(Markup.escape(lesson.frontMatter.summary))</p></li>\n"
        }
        html += "</ol>\n</section>\n</main>\n"
        html += foot()
        return html
    }

    /// `print.html` (every lesson in order on one page, for printing or saving as PDF) is
    /// ``printHead()``, then ``printArticle(at:body:)`` for each lesson, then ``printFoot()``.
    ///
    /// `print.html` up to its first lesson: the head and the list of lessons.
    func printHead() -> String {
        let info = course.info
        var html = head(
            title: "\(info.title) (whole course)", description: info.description, root: "",
            kind: "print-page", tocScript: false)
        html += "<main id=\"main\" class=\"print-course\">\n<header class=\"home-header\">\n"
        html += "<h1>\(Markup.escape(info.title))</h1>\n"
        html += "<p class=\"course-description\">\(Markup.escape(info.description))</p>\n"
        html += "<nav class=\"toc\" aria-labelledby=\"toc-heading\">\n"
        html += "<h2 id=\"toc-heading\">Lessons</h2>\n<ol>\n"
        for (lesson, entry) in zip(course.lessons, entries) {
            html += "<li><a href=\"#\(Markup.escape(lesson.frontMatter.slug))\">"
            html += "\(entry.title)</a></li>\n"
        }
        html += "</ol>\n</nav>\n</header>\n"
        return html
    }

    /// The lesson at `index` on `print.html`, with its `body` (ids already made unique).
    func printArticle(at index: Int, body: String) -> String {
        let lesson = course.lessons[index]
        let slug = Markup.escape(lesson.frontMatter.slug)
        var html = "<article class=\"print-lesson\" id=\"\(slug)\">\n"
        html += "<p class=\"lesson-number\">Lesson \(index + 1) of \(course.lessons.count)</p>\n"
        html += "<h1>\(Markup.escape(lesson.frontMatter.title))</h1>\n"
        html += "<p class=\"lesson-summary\">"
        html += "\(Markup.escape(lesson.frontMatter.summary))</p>\n"
        html += "<div class=\"lesson-body\">\n\(body)</div>\n</article>\n"
        return html
    }

    /// `print.html` after its last lesson.
    func printFoot() -> String {
        "</main>\n" + foot()
    }

    /// The playground: an empty editor, a model switch, starter examples from the lessons and a
    /// shareable link (`playground.js` builds it; without JavaScript the page says so).
    func playgroundPage() -> String {
        var html = head(
            title: "Playground · \(course.info.title)",
            description: "Run your own allocations on the course's malloc and kernel models.",
            root: "", kind: "playground-page", tocScript: false)
        html += "<script src=\"assets/playground.js\" defer></script>\n"
        html += "<main id=\"main\" class=\"playground\">\n<h1>Playground</h1>\n"
        html +=
            "<p>Write scenario statements as the lessons do (<code>A = malloc(100);</code>, "
            + "<code>free(A);</code>, <code>p = kmalloc(100, GFP_KERNEL);</code>) and run them "
            + "on the same models that checked the course, in your browser. Start from a "
            + "lesson's example, change a number, and share the link.</p>\n"
        html += "<div id=\"ab-playground\"></div>\n"
        html +=
            "<noscript><p>The playground runs the models in your browser and needs JavaScript."
            + "</p></noscript>\n"
        html += "<p><a href=\"index.html\">Back to the lessons</a></p>\n</main>\n"
        html += foot()
        return html
    }

    /// The 404 page; with a base path its links are absolute, since a server may show it at any
    /// depth.
    func notFoundPage() -> String {
        // A host shows this page at the address that was missing, at any depth: without a
        // base path the links go to the host's root, and a few inline rules keep the page
        // styled even where assets/style.css cannot be found.
        var root = course.info.basePath ?? "/"
        if !root.hasSuffix("/") { root += "/" }
        let escapedRoot = Markup.escape(root)
        var html = head(
            title: "Page not found · \(course.info.title)", description: "", root: escapedRoot,
            kind: "not-found-page", tocScript: false)
        html += "<style>body{font:1.0625rem/1.6 system-ui,sans-serif;margin:0;color:#1f2328;"
        html += "background:#fdfdfc}.not-found{max-width:44rem;margin:0 auto;padding:2rem 1.25rem}"
        html += "a{color:#0b57d0}@media (prefers-color-scheme:dark){body{color:#e3e6ea;"
        html += "background:#15181c}a{color:#8ab4f8}}</style>\n"
        html += "<main id=\"main\" class=\"not-found\">\n<h1>Page not found</h1>\n"
        html += "<p>There is no page at this address. "
        html += "<a href=\"\(escapedRoot)index.html\">Go to the list of lessons</a>.</p>\n"
        html += "</main>\n"
        html += foot()
        return html
    }

    // MARK: - Parts

    /// An extra class for lists whose numbers have three digits or more.
    private var numbersClass: String { entries.count >= 100 ? " many" : "" }

    private func head(
        title: String, description: String, root: String, kind: String, tocScript: Bool
    ) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"\(Markup.escape(course.info.language))\">\n"
        html += "<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<meta name=\"color-scheme\" content=\"light dark\">\n"
        html += "<title>\(Markup.escape(title))</title>\n"
        if !description.isEmpty {
            html += "<meta name=\"description\" content=\"\(Markup.escape(description))\">\n"
        }
        html += "<link rel=\"icon\" href=\"data:,\">\n"
        html += "<link rel=\"stylesheet\" href=\"\(root)assets/style.css\">\n"
        if tocScript { html += "<script src=\"\(root)assets/toc.js\" defer></script>\n" }
        if hasSiteScript { html += "<script src=\"\(root)assets/site.js\" defer></script>\n" }
        html += "</head>\n<body class=\"\(kind)\">\n"
        html += "<a class=\"skip-link\" href=\"#main\">Skip to content</a>\n"
        html += "<header class=\"site-header\">"
        if kind == "lesson-page" {
            // Without JavaScript the button is a link to the lesson list at the page's end.
            html += "<a class=\"menu-button\" href=\"#sidebar\" aria-controls=\"sidebar\">"
            html += "<span aria-hidden=\"true\">☰</span> Lessons</a>"
        }
        html += "<a class=\"site-title\" href=\"\(root)index.html\">"
        html += "\(Markup.escape(course.info.title))</a>"
        if hasSiteScript && kind != "not-found-page" {
            html += "<div class=\"search\" id=\"search\" role=\"search\" hidden>"
            html += "<input type=\"search\" id=\"search-input\" placeholder=\"Search ( / )\" "
            html += "aria-label=\"Search the course\" "
            html += "aria-controls=\"search-results\">"
            html +=
                "<div id=\"search-results\" class=\"search-results\" aria-live=\"polite\"></div>"
            html += "</div>"
        }
        if kind != "not-found-page" {
            html += "<a class=\"print-link\" href=\"\(root)print.html\">Whole course</a>"
        }
        html += "</header>\n"
        return html
    }

    private func foot() -> String {
        "<footer class=\"site-footer\">Built with AllocBook.</footer>\n</body>\n</html>\n"
    }

    /// "On this page": the second- and third-level headings, when there are at least two.
    private func tableOfContents(_ headings: [Heading]) -> String {
        let shown = headings.filter { $0.level == 2 || $0.level == 3 }
        guard shown.count >= 2 else { return "" }
        var html = "<nav class=\"toc\" aria-labelledby=\"toc-heading\">\n"
        html += "<h2 id=\"toc-heading\">On this page</h2>\n<ol>\n"
        var inSublist = false
        var openItem = false
        for heading in shown {
            let link =
                "<a href=\"#\(Markup.escape(heading.id))\">"
                + "\(Markup.escape(heading.text))</a>"
            if heading.level == 3 && openItem {
                if !inSublist { html += "\n<ol>\n" }
                inSublist = true
                html += "<li>\(link)</li>\n"
                continue
            }
            if inSublist { html += "</ol>\n" }
            if openItem { html += "</li>\n" }
            inSublist = false
            html += "<li>\(link)"
            openItem = true
        }
        if inSublist { html += "</ol>\n" }
        if openItem { html += "</li>\n" }
        html += "</ol>\n</nav>\n"
        return html
    }

    private func pager(at position: Int) -> String {
        var html = "<nav class=\"pager\" aria-label=\"Previous and next lesson\">\n"
        if position > 0 {
            let entry = entries[position - 1]
            html += "<a class=\"pager-prev\" rel=\"prev\" href=\"\(entry.page)\">"
            html += "<span>Previous</span>\(entry.title)</a>\n"
        }
        if position + 1 < entries.count {
            let entry = entries[position + 1]
            html += "<a class=\"pager-next\" rel=\"next\" href=\"\(entry.page)\">"
            html += "<span>Next</span>\(entry.title)</a>\n"
        }
        html += "</nav>\n"
        return html
    }

    /// The lesson list: written out for a small course, filled by `assets/toc.js` otherwise,
    /// with a link to the home page's list for readers without JavaScript.
    private func sidebar(current: Int) -> String {
        var html = "<nav class=\"sidebar\" id=\"sidebar\" aria-label=\"Lessons\">\n"
        html += "<p class=\"sidebar-heading\"><a href=\"index.html\">Lessons</a></p>\n"
        if inlineSidebar {
            html += "<ol class=\"sidebar-list\(numbersClass)\">\n"
            for (index, entry) in entries.enumerated() {
                if index == current {
                    html += "<li class=\"current\"><a href=\"\(entry.page)\" aria-current=\"page\">"
                } else {
                    html += "<li><a href=\"\(entry.page)\">"
                }
                html += "\(entry.title)</a></li>\n"
            }
            html += "</ol>\n"
        } else {
            html += "<ol class=\"sidebar-list\(numbersClass)\" id=\"sidebar-list\" "
            html += "data-current=\"\(entries[current].page)\"></ol>\n"
            html += "<noscript><p><a href=\"index.html#lessons\">All \(entries.count) lessons"
            html += "</a></p></noscript>\n"
        }
        html += "</nav>\n"
        return html
    }
}
