import LessonMarkdown
import Testing

@Suite struct CmarkVersionTests {
    @Test func linksDebiansCmarkGFM() {
        #expect(cmarkVersion.hasPrefix("0.29.0.gfm"))
    }
}
