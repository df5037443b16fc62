/// What to change when rendering a lesson's HTML.
public struct RenderPlan {
    /// Generated HTML that replaces a fenced block, keyed by ``FencedBlock/index``.
    ///
    /// The HTML goes into the page verbatim, even in safe mode: whoever makes it must escape
    /// every string it interpolates (`Markup.escape(_:encodingWhitespace:)`).
    public var replacements: [Int: String]
    /// Rewrites a link destination; `nil` keeps it as written.
    public var rewriteLink: (String) -> String?

    /// Creates a plan.
    public init(
        replacements: [Int: String] = [:], rewriteLink: @escaping (String) -> String? = { _ in nil }
    ) {
        self.replacements = replacements
        self.rewriteLink = rewriteLink
    }
}

/// A lesson parsed and rendered.
public struct RenderedLesson: Hashable, Sendable {
    /// The parsed document.
    public var document: LessonDocument
    /// The body as HTML, front matter excluded.
    public var html: String

    /// Creates a rendered lesson.
    public init(document: LessonDocument, html: String) {
        self.document = document
        self.html = html
    }
}
