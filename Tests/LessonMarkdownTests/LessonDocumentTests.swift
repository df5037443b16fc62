import LessonMarkdown
import Testing

@Suite struct LessonDocumentTests {
    static let lesson = """
        ---
        title: Buddy
        order: 2
        ---

        # Buddy allocator & *friends*

        See [kmalloc](03-kmalloc.md#size) and ![x](img.png).

        ```scenario buddy session=a
        alloc_pages(GFP_KERNEL, 2);
        //> ok
        ```

        ## Summary

            indented code

        ## Summary

        - [ ] task, ~~struck~~, https://example.org
        """

    @Test func splitsFrontMatterWithLinesOfTheFile() throws {
        let doc = LessonDocument.parse(Self.lesson)
        let front = try #require(doc.frontMatter)
        #expect(front.yaml == "title: Buddy\norder: 2\n")
        #expect(front.firstLine == 2)
        #expect(front.isClosed)
    }

    @Test func collectsHeadingsWithUniqueIds() {
        let doc = LessonDocument.parse(Self.lesson)
        #expect(
            doc.headings == [
                Heading(
                    level: 1, text: "Buddy allocator & friends", id: "buddy-allocator-friends",
                    line: 6),
                Heading(level: 2, text: "Summary", id: "summary", line: 15),
                Heading(level: 2, text: "Summary", id: "summary-1", line: 19),
            ])
    }

    @Test func collectsFencedBlocksWithFullInfoAndLines() throws {
        let doc = LessonDocument.parse(Self.lesson)
        let block = try #require(doc.fencedBlocks.first)
        #expect(doc.fencedBlocks.count == 1)
        #expect(block.info == "scenario buddy session=a")
        #expect(block.language == "scenario")
        #expect(block.body == "alloc_pages(GFP_KERNEL, 2);\n//> ok\n")
        #expect(block.fenceLine == 10)
        #expect(block.fenceColumn == 1)
        #expect(block.endLine == 13)
        #expect(block.line(ofBodyLine: 1) == 12)
    }

    @Test func collectsLinksWithPositions() {
        let doc = LessonDocument.parse(Self.lesson)
        #expect(
            doc.links.prefix(2) == [
                Link(destination: "03-kmalloc.md#size", line: 8, utf8Column: 5),
                Link(destination: "img.png", line: 8, utf8Column: 39),
            ])
    }

    @Test func columnsInScalars() {
        let source = "---\nt: x\n---\nÄ→ [a](b.md)\n"
        let link = LessonDocument.parse(source).links[0]
        #expect(link.utf8Column == 7)
        #expect(
            SourceText.scalarColumn(in: source, line: link.line, utf8Column: link.utf8Column) == 4)
    }

    @Test func fileWithoutFrontMatter() {
        let doc = LessonDocument.parse("# Hi\n")
        #expect(doc.frontMatter == nil)
        #expect(doc.headings.first?.line == 1)
    }

    @Test func unclosedFrontMatterIsReported() throws {
        let doc = LessonDocument.parse("---\ntitle: x\n# Hi\n")
        let front = try #require(doc.frontMatter)
        #expect(!front.isClosed)
        #expect(doc.headings.isEmpty)
    }

    @Test func crlfFrontMatter() throws {
        let doc = LessonDocument.parse("---\r\ntitle: x\r\n---\r\n\r\n## A\r\n")
        #expect(try #require(doc.frontMatter).yaml == "title: x\r\n")
        #expect(doc.headings.first?.line == 5)
    }

    @Test func concurrentParsesAreSafe() async {
        await withTaskGroup(of: Int.self) { group in
            for _ in 0..<64 {
                group.addTask { LessonDocument.parse(Self.lesson).headings.count }
            }
            for await count in group { #expect(count == 3) }
        }
    }
}
