import Dispatch
import LessonMarkdown
import Markup
import Testing

@Suite struct HTMLRenderingTests {
    private func render(_ markdown: String, plan: RenderPlan = RenderPlan()) -> String {
        LessonDocument.render(markdown) { _ in plan }.html
    }

    @Test func headingsGetIdsAndAnchors() {
        #expect(
            render("## Second: `kmalloc()` vs *vmalloc*\n")
                == "<h2 id=\"second-kmalloc-vs-vmalloc\">Second: <code>kmalloc()</code> vs "
                + "<em>vmalloc</em> <a class=\"anchor\" href=\"#second-kmalloc-vs-vmalloc\" "
                + "aria-label=\"Link to this section\">#</a></h2>\n")
    }

    @Test func replacesChosenFencedBlocksVerbatim() {
        let markdown = "```scenario x\na\n```\n\n```c\nint x;\n```\n"
        let html = render(markdown, plan: RenderPlan(replacements: [0: "<figure>1</figure>\n"]))
        #expect(
            html == "<figure>1</figure>\n<pre><code class=\"language-c\">int x;\n</code></pre>\n")
    }

    /// cmark's inline pass uses a process-wide table of special characters that each
    /// document's finish changes; documents parsed on all cores at once must still all get
    /// their strikethrough (before the lock, some pages kept `~~x~~` as text).
    @Test func documentsParsedAtOnceAllKeepTheirStrikethrough() {
        let paragraph = (0..<40).map { "Word \($0) ~~gone \($0)~~ and *kept*." }
            .joined(separator: " ")
        let markdown = (0..<30).map { "## Part \($0)\n\n\(paragraph)\n" }.joined(separator: "\n")
        let expected = render(markdown)
        #expect(expected.contains("<del>gone 0</del>"))
        let count = 64
        let results = UnsafeMutableBufferPointer<Bool>.allocate(capacity: count)
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results
        DispatchQueue.concurrentPerform(iterations: count) { k in
            slots[k] = LessonDocument.render(markdown) { _ in RenderPlan() }.html == expected
        }
        #expect(results.filter { !$0 }.count == 0)
    }

    @Test func rewritesLinks() {
        let plan = RenderPlan(rewriteLink: { $0 == "03-malloc.md" ? "malloc.html" : nil })
        #expect(
            render("[a](03-malloc.md) [b](x.md)\n", plan: plan)
                == "<p><a href=\"malloc.html\">a</a> <a href=\"x.md\">b</a></p>\n")
    }

    @Test func safeModeDropsRawHTMLAndScriptLinks() {
        let html = render(
            "<script>alert(1)</script>\n\nHi <img src=x onerror=alert(1)> [x](javascript:alert(1))\n"
        )
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("javascript:"))
        #expect(html.contains("raw HTML omitted"))
    }

    @Test func gfmExtensions() {
        let html = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ www.example.org\n\n- [x] done\n\nA[^1]\n\n[^1]: note\n"
        )
        #expect(html.contains("<table>"))
        #expect(html.contains("<del>x</del>"))
        #expect(html.contains("<a href=\"http://www.example.org\">"))
        #expect(html.contains("type=\"checkbox\""))
        #expect(html.contains("class=\"footnotes\""))
    }

    @Test func escapesFiveCharacters() {
        #expect(
            Markup.escape("<a href=\"x\">'&'</a>")
                == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(Markup.escape("plain") == "plain")
    }

    @Test func slugs() {
        #expect(Slug.make("Buddy allocator & friends") == "buddy-allocator-friends")
        #expect(Slug.make("  kmalloc() vs. vmalloc ") == "kmalloc-vs-vmalloc")
        #expect(Slug.make("???") == "")
        var unique = UniqueSlugs()
        #expect(
            [unique.claim("a"), unique.claim("a"), unique.claim(""), unique.claim("a")]
                == ["a", "a-1", "section", "a-2"])
    }
}
