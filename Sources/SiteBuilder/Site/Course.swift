public import Figures
public import LessonMarkdown

/// A course loaded from its content folder: the course file and the lessons in order.
public struct Course: Hashable, Sendable {
    /// The course file's settings.
    public var info: CourseInfo
    /// The lessons, sorted by their `order`.
    public var lessons: [Lesson]
    /// The course's own theme files from `content/theme/`, by name (see ``Theme``).
    public var themeFiles: [String: String]
    /// The words of the home page's overview figure (`content/overview.yml`); `nil`: no figure.
    public var overview: OverviewText?

    /// Creates a course.
    public init(
        info: CourseInfo, lessons: [Lesson], themeFiles: [String: String] = [:],
        overview: OverviewText? = nil
    ) {
        self.info = info
        self.lessons = lessons
        self.themeFiles = themeFiles
        self.overview = overview
    }
}

/// The settings of `content/course.yml`.
public struct CourseInfo: Hashable, Sendable {
    /// The course title (`title`).
    public var title: String
    /// One or two sentences shown on the home page (`description`).
    public var description: String
    /// The language of the pages, as a BCP 47 tag (`language`, default `en`).
    public var language: String
    /// The path the site is served under (`base_path`, such as `/allocbook/`), used only by the
    /// 404 page, which a server may show at any depth; `nil` makes it relative like every page.
    public var basePath: String?

    /// Creates course settings.
    public init(
        title: String, description: String, language: String = "en", basePath: String? = nil
    ) {
        self.title = title
        self.description = description
        self.language = language
        self.basePath = basePath
    }
}

/// One lesson: its file, its front matter and its parsed Markdown.
public struct Lesson: Hashable, Sendable {
    /// The file's path as diagnostics print it (`content/03-malloc.md`).
    public var path: String
    /// The file name (`03-malloc.md`), the target of links between lessons.
    public var fileName: String
    /// The front matter.
    public var frontMatter: LessonFrontMatter
    /// The whole file.
    public var source: String
    /// The parsed Markdown.
    public var document: LessonDocument

    /// Creates a lesson.
    public init(
        path: String, fileName: String, frontMatter: LessonFrontMatter, source: String,
        document: LessonDocument
    ) {
        self.path = path
        self.fileName = fileName
        self.frontMatter = frontMatter
        self.source = source
        self.document = document
    }

    /// The lesson's page, relative to the site's root (`malloc.html`).
    public var pageName: String { frontMatter.slug + ".html" }
}

/// A lesson's front matter.
public struct LessonFrontMatter: Hashable, Sendable {
    /// The title (`title`).
    public var title: String
    /// The position in the course (`order`); unique within the course.
    public var order: Int
    /// One sentence for the home page and the page description (`summary`).
    public var summary: String
    /// The page name without `.html` (`slug`, or the file name without its number prefix).
    public var slug: String

    /// Creates front matter.
    public init(title: String, order: Int, summary: String, slug: String) {
        self.title = title
        self.order = order
        self.summary = summary
        self.slug = slug
    }
}
