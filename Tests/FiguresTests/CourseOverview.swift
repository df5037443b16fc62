import Figures
import Foundation

@testable import SiteBuilder

/// What the figure tests take from the site: the course's overview words
/// (`content/overview.yml`) and the theme's figure stylesheet and script.
enum CourseOverview {
    struct Missing: Error {
        var diagnostics: [String]
    }

    /// The overview text of the course itself.
    static func text() throws -> OverviewText {
        let (text, diagnostics) = OverviewLoader.load(contentFolder: CourseFigureTests.content.path)
        guard let text, diagnostics.isEmpty else {
            throw Missing(diagnostics: diagnostics.map { $0.headline })
        }
        return text
    }

    /// The built-in `figures.css`.
    static var css: String { Theme.builtIn.files["figures.css"] ?? "" }
    /// The built-in `figures.js`.
    static var js: String { Theme.builtIn.files["figures.js"] ?? "" }
}
