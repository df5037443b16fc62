import Figures

/// What a build plugs in: block processors, stylesheet and script parts, the home figure.
///
/// ``standard`` is what `allocbook build` uses. Other features add themselves there with one
/// line each: the scenario runner to `processors`, the diagram styles and step control to
/// `styleParts` and `scriptParts`, the overview figure to `overviewFigure`.
public struct SiteConfiguration: Sendable {
    /// Processors for fenced blocks, run in this order.
    public var processors: [any FencedBlockProcessor]
    /// CSS written, in this order, into the one stylesheet `assets/style.css`.
    public var styleParts: [String]
    /// JavaScript written, in this order, into `assets/site.js`; no script file when empty.
    public var scriptParts: [String]
    /// Makes the home page's overview figure, inserted verbatim after the course description
    /// inside `<div class="overview-figure">` (a `<figure>` with inline SVG; escape its labels);
    /// `nil` for no figure.
    public var overviewFigure: (@Sendable (Course) -> String)?
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
        processors: [any FencedBlockProcessor] = [], styleParts: [String] = [SiteStyle.css],
        scriptParts: [String] = [], overviewFigure: (@Sendable (Course) -> String)? = nil,
        inlineSidebarLimit: Int = 60
    ) {
        self.processors = processors
        self.styleParts = styleParts
        self.scriptParts = scriptParts
        self.overviewFigure = overviewFigure
        self.inlineSidebarLimit = inlineSidebarLimit
    }

    /// The configuration of `allocbook build` and `allocbook check`.
    public static var standard: SiteConfiguration {
        SiteConfiguration(
            processors: [ScenarioProcessor.standard],
            styleParts: [SiteStyle.css, ScenarioStyle.css, FigureStyle.css],
            scriptParts: [FigureStyle.js],
            overviewFigure: { _ in FigureRenderer.overviewFigure() }
        )
    }
}
