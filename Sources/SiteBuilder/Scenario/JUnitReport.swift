import Markup

/// A JUnit XML report of a check: one `testsuite` per lesson, one `testcase` per scenario.
public enum JUnitReport {
    /// One lesson's results, as the report needs them.
    public struct Suite: Sendable {
        /// The lesson's path as printed in diagnostics.
        public var path: String
        /// Its scenario blocks.
        public var results: [ScenarioBlockResult]
        /// Creates a suite.
        public init(path: String, results: [ScenarioBlockResult]) {
            self.path = path
            self.results = results
        }
    }

    /// The XML document.
    ///
    /// `strict` turns a skipped glibc verification into a failure.
    public static func xml(_ suites: [Suite], strict: Bool) -> String {
        var body: [String] = []
        var total = 0
        var failures = 0
        var skipped = 0
        for suite in suites {
            var cases: [String] = []
            var suiteFailures = 0
            var suiteSkipped = 0
            for result in suite.results {
                let name = "\(result.id) (line \(result.fence.line))"
                var inner = ""
                let errors = result.diagnostics.filter {
                    $0.severity == .error || (strict && $0.severity == .warning)
                }
                if !errors.isEmpty {
                    suiteFailures += 1
                    let message = errors[0].message
                    let text = errors.map(\.text).joined(separator: "\n")
                    inner =
                        "<failure message=\"\(escape(message))\" type=\"\(failureType(result))\">"
                        + escape(text) + "</failure>"
                } else if case .skipped(let reason) = result.verification {
                    let option = result.options?.model == .kernel ? "verify=kernel" : "verify=glibc"
                    inner = "<system-out>\(escape(option + " skipped: " + reason))</system-out>"
                } else if result.program?.statements.isEmpty ?? true {
                    suiteSkipped += 1
                    inner = "<skipped message=\"no statements\"/>"
                }
                cases.append(
                    "    <testcase classname=\"\(escape(suite.path))\" name=\"\(escape(name))\""
                        + " file=\"\(escape(suite.path))\" line=\"\(result.fence.line)\""
                        + (inner.isEmpty ? "/>" : ">" + inner + "</testcase>"))
            }
            total += suite.results.count
            failures += suiteFailures
            skipped += suiteSkipped
            body.append(
                "  <testsuite name=\"\(escape(suite.path))\" tests=\"\(suite.results.count)\""
                    + " failures=\"\(suiteFailures)\" errors=\"0\" skipped=\"\(suiteSkipped)\">")
            body += cases
            body.append("  </testsuite>")
        }
        let head =
            "<testsuites name=\"allocbook check\" tests=\"\(total)\" failures=\"\(failures)\""
            + " errors=\"0\" skipped=\"\(skipped)\">"
        return (["<?xml version=\"1.0\" encoding=\"UTF-8\"?>", head] + body + ["</testsuites>"])
            .joined(separator: "\n") + "\n"
    }

    private static func failureType(_ result: ScenarioBlockResult) -> String {
        switch (result.status, result.verification) {
        case (_, .disagreed): return "glibc-disagrees"
        case (.differs, _): return "output-differs"
        case (.invalid, _): return "invalid-scenario"
        default: return "verify-skipped"
        }
    }

    /// Escapes text for XML attributes and content, keeping line breaks and tabs in attributes.
    static func escape(_ text: String) -> String {
        Markup.escape(text, encodingWhitespace: true)
    }
}
