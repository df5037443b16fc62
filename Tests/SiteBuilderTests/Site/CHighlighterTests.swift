import SiteBuilder
import Testing

@Suite struct CHighlighterTests {
    @Test func marksTokens() {
        #expect(
            CHighlighter.highlight("size_t n = sizeof(int) * 4; /* x */\n")
                == "<span class=\"tok-type\">size_t</span> n = <span class=\"tok-kw\">sizeof</span>("
                + "<span class=\"tok-type\">int</span>) * <span class=\"tok-num\">4</span>; "
                + "<span class=\"tok-com\">/* x */</span>\n")
    }

    @Test func preprocessorOnlyAtLineStart() {
        #expect(
            CHighlighter.highlight("  #define X 1\na # b\n")
                == "  <span class=\"tok-pp\">#define X 1</span>\na # b\n")
    }

    @Test func unclosedCommentsAndStringsStayInside() {
        #expect(
            CHighlighter.highlight("/* open\n<b>")
                == "<span class=\"tok-com\">/* open\n&lt;b&gt;</span>")
        #expect(
            CHighlighter.highlight("\"open\nx") == "<span class=\"tok-str\">&quot;open</span>\nx")
        #expect(CHighlighter.highlight("'\\''") == "<span class=\"tok-str\">'\\''</span>")
    }

    @Test func escapesEverythingAndKeepsUnicode() {
        #expect(
            CHighlighter.highlight("a<b && c>d // é →") == "a&lt;b &amp;&amp; c&gt;d "
                + "<span class=\"tok-com\">// é →</span>")
    }
}
