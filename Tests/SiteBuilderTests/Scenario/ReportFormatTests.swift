import AllocatorModels
import SiteBuilder
import Testing

@Suite struct ReportFormatTests {
    @Test func unifiedDiffHunksAreNumberedInTheFile() {
        let expected = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]
        var actual = expected
        actual[1] = "B"
        actual.insert("x", at: 10)
        #expect(
            UnifiedDiff.lines(expected: expected, actual: actual, firstLine: 40) == [
                "--- expected", "+++ actual",
                "@@ -40,5 +40,5 @@", " a", "-b", "+B", " c", " d", " e",
                "@@ -47,4 +47,5 @@", " h", " i", " j", "+x", " k",
            ])
        #expect(UnifiedDiff.lines(expected: ["a"], actual: ["a"]).isEmpty)
        #expect(
            UnifiedDiff.lines(expected: [], actual: ["x"], firstLine: 5) == [
                "--- expected", "+++ actual", "@@ -4,0 +5 @@", "+x",
            ])
    }

    @Test func githubAnnotationsEscapeDataAndProperties() {
        let d = Diagnostic.error(
            "scenario output differs",
            at: SourceLocation(path: "content/a,b:c.md", line: 41, column: 1),
            details: ["-50%", "+x"])
        #expect(
            GitHubAnnotations.line(d)
                == "::error file=content/a%2Cb%3Ac.md,line=41,col=1::scenario output differs%0A-50%25%0A+x"
        )
        let w = Diagnostic.warning("verify=glibc skipped: no", at: nil)
        #expect(GitHubAnnotations.line(w) == "::warning::verify=glibc skipped: no")
    }

    @Test func junitHasOneTestCasePerScenario() {
        let text = """
            ```scenario malloc
            A = malloc(8);
            //> ran A = malloc(8);
            ```
            ```scenario malloc
            A = malloc(8);
            //> <wrong & "quoted">
            ```

            """
        let results = ScenarioFixtures.run(text, path: "content/03-malloc.md")
        let xml = JUnitReport.xml(
            [JUnitReport.Suite(path: "content/03-malloc.md", results: results)], strict: false)
        let lines = xml.split(separator: "\n").map(String.init)
        #expect(lines[0] == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        #expect(
            lines[1]
                == "<testsuites name=\"allocbook check\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">"
        )
        #expect(
            lines[2]
                == "  <testsuite name=\"content/03-malloc.md\" tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\">"
        )
        #expect(
            lines[3]
                == "    <testcase classname=\"content/03-malloc.md\" name=\"malloc-scenario-1 (line 1)\" file=\"content/03-malloc.md\" line=\"1\"/>"
        )
        #expect(
            lines[4].hasPrefix(
                "    <testcase classname=\"content/03-malloc.md\" name=\"malloc-scenario-2 (line 5)\" file=\"content/03-malloc.md\" line=\"5\"><failure message=\"scenario output differs\" type=\"output-differs\">content/03-malloc.md:7:1: error: scenario output differs&#10;--- expected"
            ))
        #expect(lines[4].contains("-//&gt; &lt;wrong &amp; &quot;quoted&quot;&gt;"))
        #expect(lines[5] == "  </testsuite>")
        #expect(lines[6] == "</testsuites>")
    }
}
