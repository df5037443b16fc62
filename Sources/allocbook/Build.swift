import ArgumentParser
import Foundation
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

    @Option(
        help: """
            The playground folder written by .ci/build-wasm (the WebAssembly models, Try it on \
            every scenario, playground.html); default .build/playground when it exists.
            """)
    var playground: String?

    @Flag(help: "Build without the playground even when .build/playground exists.")
    var noPlayground = false

    func run() throws {
        var configuration = SiteConfiguration.standard
        let defaultFolder = ".build/playground"
        if !noPlayground,
            let folder = playground
                ?? (FileManager.default.fileExists(
                    atPath: defaultFolder + "/"
                        + PlaygroundAssets.moduleName) ? defaultFolder : nil)
        {
            do {
                configuration = configuration.with(
                    playground: try PlaygroundAssets.load(directory: folder))
            } catch {
                StandardStreams.writeError("allocbook: error: \(error.message)\n")
                throw ExitCode.failure
            }
        } else if !noPlayground {
            StandardStreams.writeError(
                "warning: no playground module in '\(defaultFolder)' (run 'bash .ci/build-wasm'); "
                    + "the site has no Try it\n")
        }
        let result = SiteGenerator.build(
            contentDirectory: content, outputDirectory: output, configuration: configuration)
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
