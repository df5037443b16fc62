import ArgumentParser
import Foundation
import Replay
import SiteBuilder

/// `allocbook check`: runs every scenario of the course and compares it with the lesson.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run every scenario in the lessons and compare its output with the lesson.",
        discussion: """
            Reports every mismatch in every lesson in one run, as 'FILE:LINE:COL: error: \
            scenario output differs' followed by a unified diff of the expected lines against \
            the actual ones, and exits with status 1. --fix rewrites the '//>' lines of every \
            differing block in place and changes nothing else. verify=glibc blocks are also run \
            on the real glibc; on a host without glibc 2.36 on x86_64 they are skipped with a \
            warning (an error with --strict). verify=kernel blocks are replayed in a real Linux \
            6.1 kernel under QEMU (one boot per lesson) and compared fact by fact with the \
            model's 6.1 profile; a host without QEMU or the kernel packages skips them with a \
            warning (an error with --strict).
            """
    )

    @Option(help: "The content folder: one .md file per lesson.")
    var content: String = "content"

    @Flag(help: "Rewrite the expected '//>' lines of every block whose output differs.")
    var fix = false

    @Option(help: "Diagnostics as compiler lines (text) or GitHub Actions annotations (github).")
    var format: DiagnosticFormat = .text

    @Option(help: "Also write a JUnit XML report to this file, one test case per scenario.")
    var junit: String?

    @Flag(help: "Treat a skipped verify=glibc or verify=kernel (host cannot run it) as an error.")
    var strict = false

    @Option(
        name: .customLong("coverage"),
        help: ArgumentHelp(
            "Report which allocator paths the scenarios reach; with FILE, also as JSON.",
            valueName: "FILE"))
    var coverage: String?

    @Flag(help: "List the external links of the course (not fetched) and count broken ones.")
    var links = false

    func run() throws {
        var runner = LessonScenarioRunner(
            engines: ScenarioEngines.standard, verifier: GlibcReplayVerifier.standard(),
            strict: strict, recordFrames: false)
        runner.kernelVerifier = KernelReplayVerifier.standard()
        let report = ScenarioCheck(content: content, fix: fix, runner: runner).run()
        switch format {
        case .text:
            if !report.diagnostics.isEmpty {
                StandardStreams.writeError(report.diagnostics.map { $0.text + "\n" }.joined())
            }
        case .github:
            var out = OutputBuffer()
            for line in GitHubAnnotations.lines(report.diagnostics) { out.line(line) }
            out.flush()
        }
        if let junit {
            let suites = report.lessons.map {
                JUnitReport.Suite(path: $0.path, results: $0.results)
            }
            let xml = JUnitReport.xml(suites, strict: strict)
            do {
                try ScenarioFixer.writeAtomically(Array(xml.utf8), to: junit)
            } catch {
                StandardStreams.writeError("allocbook: error: cannot write '\(junit)'\n")
                throw ExitCode.failure
            }
        }
        var out = OutputBuffer()
        if let coverage {
            let map = CourseCoverage(lessons: report.lessons)
            out.line(map.text)
            if !coverage.isEmpty {
                do {
                    try ScenarioFixer.writeAtomically(Array(map.json.utf8), to: coverage)
                } catch {
                    StandardStreams.writeError("allocbook: error: cannot write '\(coverage)'\n")
                    throw ExitCode.failure
                }
            }
        }
        if links {
            // Broken lesson links and fragments are among the check's own diagnostics.
            let (course, _) = CourseLoader.load(contentDirectory: content, withPages: false)
            let broken = report.diagnostics.filter { $0.message.hasPrefix("link to") }
            let external = CourseLinks.external(in: course)
            for link in external {
                out.line(
                    "\(link.location.path):\(link.location.line):\(link.location.column): "
                        + link.destination)
            }
            let distinct = Set(external.map(\.destination)).count
            out.line(
                "\(external.count) external link\(external.count == 1 ? "" : "s") "
                    + "(\(distinct) distinct), not fetched; \(broken.count) broken link"
                    + "\(broken.count == 1 ? "" : "s") inside the course")
        }
        for (path, blocks) in report.fixed {
            out.line("fixed \(blocks) scenario\(blocks == 1 ? "" : "s") in \(path)")
        }
        let failed = Set(
            report.diagnostics.filter { $0.severity == .error }.compactMap { $0.location?.path })
        let errors = report.diagnostics.filter { $0.severity == .error }.count
        out.line(
            "checked \(report.scenarioCount) scenario\(report.scenarioCount == 1 ? "" : "s") in "
                + "\(report.lessons.count) lesson\(report.lessons.count == 1 ? "" : "s"): "
                + (errors == 0
                    ? "all pass"
                    : "\(errors) error\(errors == 1 ? "" : "s") in \(failed.count) "
                        + "file\(failed.count == 1 ? "" : "s")")
        )
        out.flush()
        if report.failed { throw ExitCode.failure }
    }
}
