import AllocatorModels
import Foundation
import Markup
import Scenarios
import TestSupport
import Testing

@testable import Figures

@Suite struct FigureRendererTests {
    @Test func noneAndEmptyRenderNothing() {
        #expect(FigureRenderer.render(id: "s", frames: SeedStory.frames, mode: .none) == "")
        #expect(FigureRenderer.render(id: "s", frames: [], mode: .steps) == "")
    }

    @Test func finalShowsOnlyTheLastFrameUnderItsStepAnchor() {
        let html = FigureRenderer.render(id: "story", frames: SeedStory.frames, mode: .final)
        #expect(frameDrawings(in: html).count == 1)
        #expect(svgElements(in: html).count == 2)  // address space and heap
        #expect(html.contains("id=\"story-step-7\""))
        #expect(!html.contains("story-step-6"))
        #expect(!html.contains("class=\"ab-ctl\""))
        #expect(html.contains("<code>free(D);</code>"))
    }

    @Test func stepsHaveAnAnchorCaptionAndSvgPerFrameAndAHiddenControl() {
        let html = FigureRenderer.render(id: "story", frames: SeedStory.frames, mode: .steps)
        #expect(frameDrawings(in: html).count == SeedStory.frames.count)
        for (i, frame) in SeedStory.frames.enumerated() {
            #expect(html.contains("id=\"story-step-\(i + 1)\""))
            #expect(html.contains("href=\"#story-step-\(i + 1)\""))
            #expect(html.contains("<code>\(Markup.escape(frame.caption))</code>"))
        }
        #expect(html.contains("<div class=\"ab-ctl\" hidden>"))
        #expect(html.contains("max=\"7\""))
    }

    @Test func anUnchangedFrameRefersToTheFirstFrameOfItsState() {
        let html = FigureRenderer.render(id: "s", frames: SeedStory.withInspection, mode: .steps)
        #expect(frameDrawings(in: html).count == SeedStory.withInspection.count - 1)
        #expect(
            html.contains(
                "id=\"s-step-2\" data-step=\"2\" data-caption=\"Step 2 of 8: after cat /proc/self/maps\" data-same=\"s-step-1\""
            ))
        #expect(html.contains("Memory unchanged since <a href=\"#s-step-1\">step 1</a>."))
        // The frame after it compares with the state it repeats.
        let svgs = frameDrawings(in: html)
        #expect(svgs[1].contains("Changed: B in use, 40976 bytes at heap+0x7aa0"))
    }

    @Test func everyReferenceHasADefinitionEarlierOnThePage() throws {
        let definitions = FigureRenderer.sharedDefinitions
        let page =
            definitions
            + FigureRenderer.render(id: "m", frames: SeedStory.withInspection, mode: .steps)
            + FigureRenderer.render(id: "k", frames: KernelStory.frames, mode: .steps)
        #expect(OverviewFixture.css.contains(".ab-svg"), "figures.css was not found")
        let references = try Regex(##"(?:href="#|url\(#)([A-Za-z0-9_-]+)"##)
        for source in [page, OverviewFixture.css] {
            for match in source.matches(of: references) {
                let id = String(match.output[1].substring ?? "")
                let defined = page.range(of: "id=\"\(id)\"")
                #expect(defined != nil, "'\(id)' is referenced but never defined")
                if let defined, source == page {
                    #expect(
                        defined.lowerBound < match.range.lowerBound,
                        "'\(id)' is used before it is defined")
                }
            }
        }
        // The steps figure shares unchanged parts.
        #expect(page.contains("<use href=\"#m-p"))
        #expect(page.contains("<use href=\"#k-p"))
    }

    @Test func everySvgIsWellFormedXML() throws {
        let figures = [
            FigureRenderer.render(id: "m", frames: SeedStory.frames, mode: .steps),
            FigureRenderer.render(id: "k", frames: KernelStory.frames, mode: .steps),
            FigureRenderer.render(
                id: "b", frames: [SeedStory.start, SeedStory.bins], mode: .steps),
            FigureRenderer.overviewFigure(OverviewFixture.text),
            FigureRenderer.sharedDefinitions,
        ]
        for html in figures {
            for svg in svgElements(in: html, all: true) {
                #expect(xmlError(svg) == nil, "\(svg.prefix(200))")
            }
        }
    }

    @Test func labelsAndCaptionsAreEscaped() {
        let evil = "</code><script>alert(\"x\")</script>&\u{1}"
        var frame = SeedStory.frames[0]
        frame.caption = evil
        if case .malloc(let s, _) = frame.content {
            frame.content = .malloc(s, labels: ["<b onload='x'>": SeedStory.base + 0x2a0])
        }
        let html = FigureRenderer.render(id: "x\"><script>", frames: [frame], mode: .steps)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b "))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;\u{FFFD}"))
        #expect(!html.unicodeScalars.contains("\u{1}"))
        #expect(html.contains("&lt;b onload=&#39;x&#39;&gt;"))
        for svg in svgElements(in: html) { #expect(xmlError(svg) == nil) }
    }

    @Test func outputIsDeterministicWhateverTheLabelOrder() {
        let labels1: [String: UInt64] = [
            "A": SeedStory.base + 0x2a0, "Z": SeedStory.base + 0x2a0, "M": 1,
        ]
        var labels2: [String: UInt64] = [:]
        for key in ["M", "Z", "A"] { labels2[key] = labels1[key] }
        guard case .malloc(let s, _) = SeedStory.frames[0].content else { return }
        let one = FigureRenderer.render(
            id: "d", frames: [FigureFrame(caption: "x", content: .malloc(s, labels: labels1))],
            mode: .final)
        let two = FigureRenderer.render(
            id: "d", frames: [FigureFrame(caption: "x", content: .malloc(s, labels: labels2))],
            mode: .final)
        #expect(one == two)
        #expect(one.contains("A, Z = heap+0x2a0"))
    }

    @Test func diffMarksOnlyWhatChanged() {
        let html = FigureRenderer.render(id: "s", frames: SeedStory.frames, mode: .steps)
        let svgs = frameDrawings(in: html)
        // First frame: nothing to compare with.
        #expect(!svgs[0].contains("chg"))
        // free(B): B's chunk turns unsorted and is marked; the tcache struct is not.
        let freeB = svgs[5]
        #expect(freeB.contains("class=\"ck s-uns chg\""))
        #expect(!freeB.contains("s-tcs chg"))
        #expect(freeB.contains("Changed: B (freed) unsorted bin, 40976 bytes at heap+0x7aa0."))
        // free(C): the mapping disappears.
        #expect(svgs[4].contains("mmapped chunk at 0x7ffff7d79000 unmapped"))
    }

    @Test func descriptionTellsTheStateInWords() {
        let svg = FigureRenderer.svg(
            id: "t", frame: SeedStory.frames[3], previous: SeedStory.frames[2])
        #expect(
            svg.contains("<title id=\"t-t\">Process memory after D = malloc(100 * 1024);</title>"))
        #expect(svg.contains("program break at heap+0x4b000 (300 KiB)"))
        #expect(svg.contains("D in use, 102416 bytes at heap+0x11ab0"))
        #expect(svg.contains("C: 208896 bytes at 0x7ffff7d79000"))
        #expect(svg.contains("program break moved from heap+0x21000 to heap+0x4b000"))
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-labelledby=\"t-t t-d\""))
    }
}
