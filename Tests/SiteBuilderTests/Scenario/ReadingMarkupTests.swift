import AllocatorModels
import Foundation
import LessonMarkdown
import Testing

@testable import SiteBuilder

/// The reading aids of a scenario block: folded secondary lines, /proc tables with the rows
/// that changed, the exercise answer, and the search index and print page ids.
@Suite struct ReadingMarkupTests {
    let processor = ScenarioProcessor(
        runner: LessonScenarioRunner(engines: ScenarioEngines.standard, verifier: nil))

    func render(_ source: String) throws -> String {
        let lesson = Lesson(
            path: "content/03-kmalloc.md", fileName: "03-kmalloc.md",
            frontMatter: LessonFrontMatter(title: "k", order: 3, summary: "s", slug: "kmalloc"),
            source: source, document: LessonDocument.parse(source))
        let output = processor.process(lesson)
        #expect(!output.diagnostics.hasErrors, "\(output.diagnostics.map(\.headline))")
        return try #require(output.replacements.values.first)
    }

    @Test func secondaryLinesFoldAndProcFilesShowChangedRows() throws {
        let html = try render(
            """
            ```scenario kernel figure=steps
            cat /proc/buddyinfo
            //> Node 0, zone   Normal      0      0      0      0      0      0      0      0      0      0     16
            p = kmalloc(30, GFP_KERNEL);
            //> p = 0xffff888100000000, object 0 of kmalloc-32 (32-byte slots, 128 per 1-page slab at pfn 1048576)
            //> kmalloc-32 had no free slot: new slab of 128 objects, order-0 block at pfn 1048576 from the buddy allocator
            //> buddy: split an order-10 block at pfn 1048576; halves of order 9, 8, 7, 6, 5, 4, 3, 2, … (10 in all) went back on the free lists
            cat /proc/buddyinfo
            //> Node 0, zone   Normal      1      1      1      1      1      1      1      1      1      1     15
            cat /proc/buddyinfo
            //> Node 0, zone   Normal      1      1      1      1      1      1      1      1      1      1     15
            ```

            """)
        // One line shown, two folded behind a disclosure that needs no script: the line shown
        // is the disclosure's summary.
        #expect(
            html.contains(
                "<details class=\"ab-more\"><summary><span class=\"ab-row ab-out\" "
                    + "data-more=\"2 more lines\"><span class=\"ab-mark\" aria-hidden=\"true\">→ </span>"
                    + "p = 0xffff888100000000, object 0 of kmalloc-32 (32-byte slots, 128 per 1-page "
                    + "slab at pfn 1048576)</span></summary><div class=\"ab-row ab-out\">"))
        // The listing is rows, not lines of a <pre> joined by newlines (no double spacing).
        #expect(!html.contains("</div>\n<div class=\"ab-row"))
        // buddyinfo becomes a table with a column per order.
        #expect(html.contains("<th scope=\"col\">10</th></tr></thead>"))
        #expect(html.contains("<td>Node 0, Normal</td><td>0</td>"))
        #expect(html.contains("/proc/buddyinfo: the rows that changed since it was last printed"))
        #expect(html.contains("/proc/buddyinfo: no row changed since it was last printed"))
        // Statements with a frame are tied to it.
        #expect(html.contains("data-step=\"1\"><code>"))
        #expect(html.contains("data-step=\"3\"><code>"))
        // One verified mark in the block's head.
        #expect(html.components(separatedBy: "class=\"ab-ok\"").count == 2)
    }

    @Test func slabinfoKeepsTheColumnsSLUBFillsAndTheWholeFileOneClickAway() {
        let lines = [
            "slabinfo - version: 2.1",
            "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>",
            "kmalloc-32           128    128     32  128    1 : tunables    0    0    0 : slabdata      1      1      0",
        ]
        let table = ProcTable.parse(path: "/proc/slabinfo", lines: lines)
        #expect(
            table?.header == [
                "name", "active_objs", "num_objs", "objsize", "objperslab", "pagesperslab",
                "active_slabs", "num_slabs",
            ])
        #expect(
            table?.rows.map(\.cells) == [["kmalloc-32", "128", "128", "32", "128", "1", "1", "1"]])
        #expect(table?.isComplete == false)
        #expect(ProcTable.parse(path: "/proc/slabinfo", lines: ["garbage"]) == nil)
        let vm = ProcTable.parse(
            path: "/proc/vmallocinfo",
            lines: [
                "0xffffc90000000000-0xffffc90000002000    8192 demo_init+0x1d/0x80 [demo] pages=1 vmalloc N0=1"
            ])
        #expect(
            vm?.rows.first?.cells == [
                "0xffffc90000000000-0xffffc90000002000", "8192",
                "demo_init+0x1d/0x80 [demo] pages=1 vmalloc N0=1",
            ])
    }

    @Test func revealedExerciseShowsOnlyTheAnswer() throws {
        let html = try render(
            """
            ```scenario malloc predict=true figure=none
            a = malloc(24);
            //> a = 0x5555555592a0 (heap+0x2a0), 32-byte chunk carved from top; brk +0x21000
            free(a);
            //> 32-byte chunk into tcache bin 0 (1 of 7)
            ```

            """)
        let parts = html.components(separatedBy: "<details class=\"ab-reveal\">")
        #expect(parts.count == 2)
        // The question numbers its statements; the answer has numbers and outputs only.
        #expect(parts[0].contains("<span class=\"ab-num\">1</span><code>"))
        #expect(!parts[1].contains("tok-fn"))
        #expect(parts[1].contains("<span class=\"ab-num\">2</span>"))
        #expect(parts[1].contains("into tcache bin 0 (1 of 7)"))
    }

    @Test func searchIndexFindsScenarioTermsAndSkipsAddresses() {
        let page = SearchIndex.Page(
            pageName: "a.html", title: "A",
            html: "<p>Intro</p><h2 id=\"bins\">Bins <a href=\"#bins\">#</a></h2>"
                + "<div class=\"ab-row\"><code>malloc_trim(0);</code></div>"
                + "<div>→ 0xffff888100000000 freed 4096 bytes</div>",
            headings: [("bins", "Bins")])
        let script = SearchIndex.script(for: [page])
        #expect(script.contains("sections:[[0,\"\",\"A\"],\n[0,\"bins\",\"Bins\"]]"))
        #expect(script.contains("\"malloc_trim\""))
        #expect(!script.contains("0xffff"))
        #expect(!script.contains("\"4096\""))
        #expect(SearchIndex.terms(in: "Größe kmalloc-32 x") == ["größe", "kmalloc"])
    }

    @Test func printPageIDsAreUniquePerLesson() {
        let body =
            "<h2 id=\"bins\">Bins</h2><a href=\"#bins\">x</a><a href=\"malloc.html#top\">m</a>"
            + "<svg aria-labelledby=\"s-t s-d\"><title id=\"s-t\">t</title></svg>"
            + "<rect style=\"fill:url(#abp-g8)\"/><li data-same=\"k-step-1\" id=\"abp-x\"></li>"
        let out = PrintIDs.unique(
            body, slug: "kmalloc", pages: ["malloc.html": "malloc"], keepDefinitions: true)
        #expect(
            out
                == "<h2 id=\"kmalloc--bins\">Bins</h2><a href=\"#kmalloc--bins\">x</a>"
                + "<a href=\"#malloc--top\">m</a>"
                + "<svg aria-labelledby=\"kmalloc--s-t kmalloc--s-d\"><title id=\"kmalloc--s-t\">t</title></svg>"
                + "<rect style=\"fill:url(#abp-g8)\"/><li data-same=\"kmalloc--k-step-1\" id=\"abp-x\"></li>"
        )
    }
}
