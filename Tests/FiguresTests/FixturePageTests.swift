import AllocatorModels
import Foundation
import Markup
import TestSupport
import Testing

@testable import Figures

/// Writes standalone pages with figures, the theme's figure CSS and JS and the shared definitions,
/// for the browser checks in `.ci/browser` (to $AB_FIGURE_FIXTURE_DIR, else a temp folder).
@Suite struct FixturePageTests {
    static func page(title: String, body: String, definitions: Bool = true) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(title))</title>
        <style>body{font-family:sans-serif;max-width:720px;margin:1em auto;padding:0 1em;\
        background:var(--ab-bg);color:var(--ab-ink)}
        \(OverviewFixture.css)</style></head><body>
        \(definitions ? FigureRenderer.sharedDefinitions : "")
        <h1>\(Markup.escape(title))</h1>
        \(body)
        <script>\(OverviewFixture.js)</script>
        </body></html>

        """
    }

    static func pages() throws -> [(name: String, html: String)] {
        let overview = OverviewFixture.text
        return [
            (
                "malloc-steps.html",
                page(
                    title: "malloc: the seed story, step by step",
                    body: "<p>Eight statements.</p>"
                        + FigureRenderer.render(
                            id: "seed", frames: SeedStory.withInspection, mode: .steps)
                        + "<p>The same run, final state only.</p>"
                        + FigureRenderer.render(
                            id: "seed-final", frames: [SeedStory.start] + SeedStory.frames,
                            mode: .final)
                        + FigureRenderer.render(
                            id: "bins", frames: [SeedStory.start, SeedStory.bins], mode: .steps))
            ),
            (
                "kernel-steps.html",
                page(
                    title: "kmalloc and vmalloc, step by step",
                    body: FigureRenderer.render(
                        id: "kernel", frames: KernelStory.frames, mode: .steps)
                        + "<p>A crowded machine.</p>"
                        + FigureRenderer.render(
                            id: "crowded", frames: [LayoutTests.crowdedKernel], mode: .final))
            ),
            (
                "random.html",
                page(
                    title: "Seeded random states",
                    body: FigureRenderer.render(
                        id: "random-heap",
                        frames: (1...3).map { RandomLayoutTests.mallocFrame(seed: $0) },
                        mode: .steps)
                        + FigureRenderer.render(
                            id: "random-machine",
                            frames: (1...3).map { RandomLayoutTests.kernelFrame(seed: $0) },
                            mode: .steps))
            ),
            (
                "overview.html",
                page(
                    title: "AllocBook",
                    body: "<figure>" + FigureRenderer.overviewFigure(overview) + "</figure>",
                    definitions: false)
            ),
        ]
    }

    @Test func writesFixturePages() throws {
        // AB_FIGURE_FIXTURE_DIR keeps the pages (for a look in a browser); otherwise a fresh
        // temporary folder, removed afterwards.
        let env = ProcessInfo.processInfo.environment["AB_FIGURE_FIXTURE_DIR"]
        let folder =
            env.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-figures-\(UUID().uuidString)")
        defer { if env == nil { try? FileManager.default.removeItem(at: folder) } }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, html) in try Self.pages() {
            let url = folder.appendingPathComponent(name)
            try html.write(to: url, atomically: true, encoding: .utf8)
            let back = try String(contentsOf: url, encoding: .utf8)
            #expect(back == html)
            #expect(!svgElements(in: html).isEmpty)
            #expect(
                html.components(separatedBy: "id=\"abp-zig\"").count == 2,
                "\(name): definitions once")
            for svg in svgElements(in: html) { #expect(xmlError(svg) == nil) }
        }
    }

    @Test func xmlCheckRejectsMalformedMarkup() {
        #expect(xmlError("<svg><g></svg>") != nil)
        #expect(xmlError("<svg><text>a & b</text></svg>") != nil)
        #expect(xmlError("<svg><text>a &amp; b</text></svg>") == nil)
    }
}
