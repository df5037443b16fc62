import ArgumentParser
import SiteBuilder

/// `allocbook build [--content DIR] [--output DIR]`: builds the course site.
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build the course site from the lessons in the content folder.",
        discussion: """
            Runs every check first (front matter, links between lessons, scenarios) and writes \
            nothing if any fails: the previous site stays as it was. The output folder is \
            replaced as a whole; allocbook refuses a folder it did not make.
            """
    )

    @Option(help: "The content folder: course.yml and one .md file per lesson.")
    var content: String = "content"

    @Option(help: "The output folder for the site.")
    var output: String = "site"

    @Option(help: "Diagnostics as compiler lines (text) or GitHub Actions annotations (github).")
    var format: DiagnosticFormat = .text

    func run() throws {
        let result = SiteGenerator.build(
            contentDirectory: content, outputDirectory: output, configuration: .standard)
        DiagnosticOutput.print(result.diagnostics, format: format)
        if result.diagnostics.hasErrors { throw ExitCode.failure }
        var out = OutputBuffer()
        let noun = result.lessonCount == 1 ? "lesson" : "lessons"
        out.line("built \(result.lessonCount) \(noun) into '\(output)' (\(result.fileCount) files)")
        out.flush()
    }
}

/// How `check` and `build` print diagnostics.
enum DiagnosticFormat: String, ExpressibleByArgument, CaseIterable {
    /// Compiler lines on standard error.
    case text
    /// GitHub Actions annotations on standard output.
    case github
}

/// Prints diagnostics: in compiler form to standard error with a count of errors, or as
/// GitHub Actions annotations to standard output.
enum DiagnosticOutput {
    static func print(_ diagnostics: [Diagnostic], format: DiagnosticFormat = .text) {
        guard !diagnostics.isEmpty else { return }
        if format == .github {
            var out = OutputBuffer()
            for line in GitHubAnnotations.lines(diagnostics) { out.line(line) }
            out.flush()
            return
        }
        var text = diagnostics.map { $0.text + "\n" }.joined()
        let errors = diagnostics.filter { $0.severity == .error }.count
        if errors > 0 { text += "\(errors) error\(errors == 1 ? "" : "s")\n" }
        StandardStreams.writeError(text)
    }
}
