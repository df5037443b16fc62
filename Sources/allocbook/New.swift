import ArgumentParser
import SiteBuilder

/// `allocbook new lesson "Title"`: scaffolds the next lesson.
struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new lesson file, next in order, with front matter and an outline.",
        discussion: "Writes content/NN-slug.md, where NN is one more than the highest order."
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case lesson
    }

    @Argument(help: "What to create: lesson.")
    var kind: Kind

    @Argument(help: "The lesson's title.")
    var title: String

    @Option(help: "The content folder.")
    var content: String = "content"

    func run() throws {
        switch LessonScaffold.create(title: title, contentDirectory: content) {
        case .success(let path):
            var out = OutputBuffer()
            out.line("created \(path)")
            out.flush()
        case .failure(let error):
            StandardStreams.writeError("allocbook: error: \(error.message)\n")
            throw ExitCode.failure
        }
    }
}
