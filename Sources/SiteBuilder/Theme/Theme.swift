import Foundation

/// The stylesheet and scripts of a site: the built-in files (embedded into `allocbook` at build
/// time from `Sources/SiteBuilder/Theme/Assets`), with a course's own files from
/// `content/theme/` laid over them, as mdBook's `theme/` folder does.
///
/// - A file named like a built-in one (`style.css`, `scenario.css`, `figures.css`, `site.js`,
///   `figures.js`, `toc.js`) replaces it.
/// - `custom.css` and `custom.js` extend: they are appended to the stylesheet and the script.
/// - `playground.css` and `try.js` are the playground's ("Try it"), present when the site has
///   the playground.
///
/// The site gets one stylesheet, `assets/style.css` (the ``styleFiles`` in order), and one
/// script, `assets/site.js` (the ``scriptFiles`` in order).
public struct Theme: Hashable, Sendable {
    /// The folder inside the content folder that holds a course's theme files.
    public static let folderName = "theme"
    /// The stylesheet's parts, in order.
    public static let styleFiles = [
        "style.css", "scenario.css", "figures.css", "playground.css", "custom.css",
    ]
    /// The script's parts, in order.
    public static let scriptFiles = ["site.js", "figures.js", "try.js", "custom.js"]
    /// The sidebar script of large courses, after the generated lesson list.
    public static let tocFile = "toc.js"
    /// Every name a course's theme folder may use.
    public static var knownFiles: [String] { styleFiles + scriptFiles + [tocFile] }

    /// The files by name: built-in ones, replaced or extended by the course's.
    public var files: [String: String]

    /// Creates a theme from files by name.
    public init(files: [String: String]) {
        self.files = files
    }

    /// The built-in theme.
    public static let builtIn = Theme(files: EmbeddedAssets.files)

    /// This theme with `overrides` laid over it.
    public func overlaid(with overrides: [String: String]) -> Theme {
        Theme(files: files.merging(overrides) { _, new in new })
    }

    /// The text of `assets/style.css`.
    public var styleSheet: String { joined(Self.styleFiles) }
    /// The text of `assets/site.js`.
    public var script: String { joined(Self.scriptFiles) }
    /// The code of `assets/toc.js` that follows the lesson list.
    public var tocScript: String { files[Self.tocFile] ?? "" }

    private func joined(_ names: [String]) -> String {
        names.compactMap { files[$0] }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Reads `content/theme/`, the course's own theme files.
    ///
    /// Unknown files get a warning, unreadable ones an error; no folder is no override.
    static func loadOverrides(contentFolder: String) -> ([String: String], [Diagnostic]) {
        let folder = "\(contentFolder)/\(folderName)"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { return ([:], []) }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { !$0.hasPrefix(".") }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } catch {
            return ([:], [.error("cannot read theme folder '\(folder)'", at: nil)])
        }
        var files: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for name in names {
            let path = "\(folder)/\(name)"
            guard knownFiles.contains(name) else {
                diagnostics.append(
                    .warning(
                        "unknown theme file '\(name)', ignored (a theme file replaces one of "
                            + knownFiles.joined(separator: ", ") + ")",
                        at: SourceLocation(path: path, line: 1, column: 1)))
                continue
            }
            // CSS and JavaScript: copied as they are, their line endings are the author's.
            switch SourceFile.read(
                URL(fileURLWithPath: path), displayPath: path, markdownLines: false)
            {
            case .success(let text): files[name] = text
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        return (files, diagnostics)
    }
}
