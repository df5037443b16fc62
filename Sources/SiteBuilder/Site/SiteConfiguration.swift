import Figures

/// What a build plugs in: block processors, the theme, the home figure.
///
/// ``standard`` is what `allocbook build` uses. Other features add themselves there with one
/// line each: the scenario runner to `processors`, the overview figure to `overviewFigure`;
/// styles and scripts are files of the ``Theme``.
public struct SiteConfiguration: Sendable {
    /// Processors for fenced blocks, run in this order.
    public var processors: [any FencedBlockProcessor]
    /// The built-in stylesheet and scripts; a course's `content/theme/` files are laid over it.
    public var theme: Theme
    /// Makes the home page's overview figure, inserted verbatim after the course description
    /// inside `<div class="overview-figure">` (a `<figure>` with inline SVG; escape its labels);
    /// `nil`, or a closure that returns `nil`, for no figure.
    public var overviewFigure: (@Sendable (Course) -> String?)?
    /// Courses with at most this many lessons get the full lesson list written into every page's
    /// sidebar; larger ones get it from one shared script (`assets/toc.js`), so that the output
    /// grows linearly with the number of lessons.
    public var inlineSidebarLimit: Int
    /// The playground: Try it on every scenario and `playground.html` (`nil`: none).
    ///
    /// Set it with `with(playground:)`, which also adds its script and style parts.
    public var playground: PlaygroundAssets?

    /// Creates a configuration.
    public init(
        processors: [any FencedBlockProcessor] = [], theme: Theme = .builtIn,
        overviewFigure: (@Sendable (Course) -> String?)? = nil,
        inlineSidebarLimit: Int = 60
    ) {
        self.processors = processors
        self.theme = theme
        self.overviewFigure = overviewFigure
        self.inlineSidebarLimit = inlineSidebarLimit
    }

    /// The configuration of `allocbook build` and `allocbook check`.
    public static var standard: SiteConfiguration {
        SiteConfiguration(
            processors: [ScenarioProcessor.standard],
            overviewFigure: { course in course.overview.map(FigureRenderer.overviewFigure) }
        )
    }
}
