import Figures
import Foundation
import Testing

@testable import SiteBuilder

/// The built-in theme files, a course's overrides, and the overview figure's words.
@Suite struct ThemeTests {
    /// The overview text of the course itself (`content/overview.yml`).
    static func courseOverview() throws -> OverviewText {
        let (text, diagnostics) = OverviewLoader.load(contentFolder: content.path)
        guard let text, diagnostics.isEmpty else {
            throw OverviewMissing(diagnostics: diagnostics.map(\.headline))
        }
        return text
    }

    struct OverviewMissing: Error {
        var diagnostics: [String]
    }

    static let content = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content")

    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/SiteBuilder/Theme/Assets")

    @Test func builtInFilesAreTheSourceFilesByteForByte() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path).sorted()
        #expect(names == Theme.builtIn.files.keys.sorted())
        for name in names {
            let text = try String(
                contentsOf: Self.sources.appendingPathComponent(name), encoding: .utf8)
            #expect(Theme.builtIn.files[name] == text, "\(name) differs from its source")
        }
        for name in Theme.builtIn.files.keys {
            #expect(Theme.knownFiles.contains(name), "\(name) is not part of the theme")
        }
    }

    /// A copy of the fixture course in a temporary folder, with an empty `theme/` folder.
    static func courseWithTheme() throws -> (root: URL, content: URL, theme: URL) {
        let root = try SiteTestSupport.temporaryFolder()
        let content = root.appendingPathComponent("content")
        let theme = content.appendingPathComponent("theme")
        do {
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: SiteTestSupport.fixtureCourse), to: content)
            try FileManager.default.createDirectory(at: theme, withIntermediateDirectories: true)
        } catch {
            SiteTestSupport.remove(root)
            throw error
        }
        return (root, content, theme)
    }

    @Test func courseFilesReplaceOrExtendTheBuiltInOnes() throws {
        let (root, content, theme) = try Self.courseWithTheme()
        defer { SiteTestSupport.remove(root) }
        try Data("body{color:red}".utf8).write(to: theme.appendingPathComponent("style.css"))
        try Data(".extra{}".utf8).write(to: theme.appendingPathComponent("custom.css"))
        try Data("var x;".utf8).write(to: theme.appendingPathComponent("custom.js"))
        try Data("?".utf8).write(to: theme.appendingPathComponent("logo.css"))
        try Data([0x61, 0xff]).write(to: theme.appendingPathComponent("figures.js"))
        let output = root.appendingPathComponent("site")

        let failed = SiteGenerator.build(
            contentDirectory: content.path, outputDirectory: output.path)
        #expect(
            failed.diagnostics.map(\.headline) == [
                "\(content.path)/theme/figures.js:1:2: error: file is not valid UTF-8 (byte 0xff)",
                "\(content.path)/theme/logo.css:1:1: warning: unknown theme file 'logo.css', "
                    + "ignored (a theme file replaces one of style.css, scenario.css, "
                    + "figures.css, playground.css, custom.css, site.js, figures.js, try.js, "
                    + "custom.js, toc.js)",
            ])
        try FileManager.default.removeItem(at: theme.appendingPathComponent("figures.js"))
        let result = SiteGenerator.build(
            contentDirectory: content.path, outputDirectory: output.path)
        #expect(!result.diagnostics.hasErrors)
        let tree = SiteTestSupport.tree(output)
        let style = String(decoding: try #require(tree["assets/style.css"]), as: UTF8.self)
        let builtIn = Theme.builtIn.files
        #expect(style.hasPrefix("body{color:red}\n"))
        #expect(!style.contains(try #require(builtIn["style.css"])))
        #expect(style.contains(try #require(builtIn["figures.css"])))
        #expect(style.hasSuffix("\n.extra{}"))
        let script = String(decoding: try #require(tree["assets/site.js"]), as: UTF8.self)
        #expect(script.hasSuffix("\nvar x;"))
        #expect(script.contains(try #require(builtIn["figures.js"])))
    }

    /// A lone carriage return is refused in lessons (CommonMark would end a line there), but a
    /// theme file is copied as it is, with the author's line endings.
    @Test func aThemeFileKeepsItsLineEndings() throws {
        let (root, content, theme) = try Self.courseWithTheme()
        defer { SiteTestSupport.remove(root) }
        try Data(".a{}\r.b{}\r".utf8).write(to: theme.appendingPathComponent("custom.css"))
        let output = root.appendingPathComponent("site")
        let result = SiteGenerator.build(
            contentDirectory: content.path, outputDirectory: output.path)
        #expect(result.diagnostics.map(\.headline) == [])
        let style = String(
            decoding: try #require(SiteTestSupport.tree(output)["assets/style.css"]), as: UTF8.self)
        #expect(style.hasSuffix("\n.a{}\r.b{}\r"))
    }

    @Test func overviewTextComesFromTheCourse() throws {
        let text = try Self.courseOverview()
        #expect(text.columns.count == 3)
        let svg = FigureRenderer.overviewFigure(text)
        #expect(svg.contains("<p class=\"ab-ov-title\">one machine, three allocators</p>"))
        #expect(svg.contains(">kmalloc(30, GFP_KERNEL)</text>"))
    }

    @Test func overviewErrorsAreLocated() throws {
        let root = try SiteTestSupport.temporaryFolder()
        defer { SiteTestSupport.remove(root) }
        let yaml = """
            title: t
            description: d
            frames: f
            kernel: [a]
            pool: [b, c, d]
            legend: [1, 2, 3]
            columns:
              - caller: [x]
                address: a
              - 3
            colour: red

            """
        try Data(yaml.utf8).write(to: root.appendingPathComponent("overview.yml"))
        let (text, diagnostics) = OverviewLoader.load(contentFolder: root.path)
        #expect(text == nil)
        let p = root.path + "/overview.yml"
        #expect(
            diagnostics.sortedByLocation().map(\.headline) == [
                "\(p):5:7: error: overview: 'pool' must be a list of 1 to 2 strings",
                "\(p):6:9: error: overview: 'legend' must be a list of 7 strings",
                "\(p):8:3: error: overview: 'columns' must be a list of 3 columns",
                "\(p):11:1: warning: overview: unknown key 'colour' is ignored (known: 'title', "
                    + "'description', 'columns', 'kernel', 'pool', 'frames', 'legend')",
            ])
    }
}
