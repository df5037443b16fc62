import SiteBuilder
import Testing

@Suite struct DiagnosticTests {
    @Test func printsInCompilerForm() {
        let d = Diagnostic.error(
            "front matter: 'order' must be an integer",
            at: SourceLocation(path: "content/02-vmalloc.md", line: 3, column: 8))
        #expect(
            d.headline
                == "content/02-vmalloc.md:3:8: error: front matter: 'order' must be an integer")
    }
}
