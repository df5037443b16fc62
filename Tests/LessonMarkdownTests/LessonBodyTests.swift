internal import CCmarkGFM
import TestSupport
import Testing

@testable import LessonMarkdown

/// The body rendered at parse time (``LessonBody``), put together later, against cmark
/// rendering the changed tree directly: the same bytes, whatever the lesson holds.
@Suite struct LessonBodyTests {
    /// cmark's own rendering of `markdown` with fenced blocks replaced and links rewritten in
    /// the tree (the way pages were made before the body was kept), headings left plain.
    private func reference(
        _ markdown: String, replacements: [Int: String], rewrite: (String) -> String?
    ) -> String {
        CmarkDocument.withDocument(markdown) { document in
            var blocks: [OpaquePointer] = []
            var links: [OpaquePointer] = []
            document.forEachNode { node in
                switch cmark_node_get_type(node) {
                case CMARK_NODE_CODE_BLOCK where CmarkDocument.isFenced(node): blocks.append(node)
                case CMARK_NODE_LINK, CMARK_NODE_IMAGE: links.append(node)
                default: break
                }
            }
            for node in links {
                let url = CmarkDocument.string(cmark_node_get_url(node))
                if let rewritten = rewrite(url) { _ = cmark_node_set_url(node, rewritten) }
            }
            for (index, node) in blocks.enumerated() {
                guard let html = replacements[index],
                    let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)
                else { continue }
                _ = cmark_node_set_on_enter(custom, html)
                _ = cmark_node_set_on_exit(custom, "")
                if cmark_node_replace(node, custom) != 0 { cmark_node_free(node) }
            }
            return document.html(of: document.root)
        }
    }

    private func body(_ markdown: String) throws -> LessonBody {
        try #require(LessonDocument.parse(markdown, withBody: true).body)
    }

    private static let parts = [
        "Text with [a link](02-b.md#x) and ![an image](pic.png \"t\").\n",
        "```c\nint x = 1 < 2;\n```\n", "```scenario malloc\np = malloc(8)\n```\n",
        "~~~\nplain\n~~~", "    indented code\n", "> quoted\n> ```\n> in quote\n> ```\n",
        "- item\n\n  ```c\n  in list\n  ```\n- [x](03-c.md)\n",
        "| a | b |\n|---|---|\n| [c](x.md) | d |\n",
        "A footnote[^1].\n\n[^1]: With [a link](01-a.md).\n",
        "www.example.com and <https://x.org/a?b=c&d>\n",
        "[bad](javascript:alert(1)) [data](data:image/png;base64,AA) [sp](<a b.md>) [q](x.md'\"%41é)\n",
        "allocbook-0-link-0 allocbook-0-block-0 <!--allocbook-0-block-0-->\n",
        "[marker](allocbook-0-link-0) [m2](allocbook-1-link-1) `allocbook-7-block-0`\n",
        "Entity: &#97;llocbook-0-link-1 and &lt;!--allocbook-2-block-0--&gt;\n",
        "<!--allocbook-0-block-0-->\n\n<b>raw</b>\n", "```\nunclosed fence\n",
        "Line one\nline two  \nbreak\n", "***\n", "1. one\n2. two\n",
    ]

    @Test func randomLessonsRenderAsCmarkRendersTheChangedTree() throws {
        var random = SeededRandom(state: 10)
        for round in 0..<300 {
            let count = random.int(1...8)
            let markdown = (0..<count).map { _ in Self.parts[random.below(Self.parts.count)] }
                .joined(separator: "\n")
            let blocks = LessonDocument.parse(markdown).fencedBlocks.count
            var replacements: [Int: String] = [:]
            for index in 0..<blocks where random.below(2) == 0 {
                let choices = ["<figure>\(index)</figure>\n", "<div>no newline</div>", ""]
                replacements[index] = choices[random.below(choices.count)]
            }
            let rewrite: (String) -> String? = { url in
                url.hasSuffix(".md") || url.contains(".md#") ? "page-\(round).html#\"'<&" : nil
            }
            let expected = reference(markdown, replacements: replacements, rewrite: rewrite)
            let actual = try body(markdown).html(replacements: replacements, rewriteLink: rewrite)
            #expect(actual == expected, "round \(round):\n\(markdown)")
            if actual != expected { return }
        }
    }

    @Test func markerLookalikesInTheLessonAreKeptAsText() throws {
        let markdown =
            "[x](allocbook-0-link-0) allocbook-0-link-0 &#97;llocbook-1-link-0 "
            + "[y](allocbook-999999999999999999999-link-1)\n\n```c\nint allocbook-0-block-0;\n```\n"
        let document = LessonDocument.parse(markdown, withBody: true)
        let body = try #require(document.body)
        #expect(body.links.count == 2)
        #expect(body.blocks.count == 1)
        let html = body.html(replacements: [0: "<p>B</p>\n"], rewriteLink: { "R" + $0 })
        #expect(
            html == reference(markdown, replacements: [0: "<p>B</p>\n"], rewrite: { "R" + $0 }))
    }

    @Test func destinationsAreEscapedAsCmarkEscapesThem() {
        for byte in UInt8(1)...0x7F {
            let url = "a" + String(UnicodeScalar(byte)) + "é"
            let html = CmarkDocument.withDocument("[x](<\(url)>)\n") { $0.html(of: $0.root) }
            let expected =
                "<p><a href=\"\(CmarkDocument.destinationHTML(url, isImage: false))\">x</a></p>\n"
            // Destinations that cmark does not parse as one link (a `>`, a line break) are skipped.
            guard html.hasPrefix("<p><a href=") else { continue }
            #expect(html == expected, "byte \(byte)")
        }
        #expect(CmarkDocument.destinationHTML("javascript:alert(1)", isImage: false) == "")
        #expect(
            CmarkDocument.destinationHTML("data:image/png;base64,AA", isImage: true)
                == "data:image/png;base64,AA")
    }
}
