import ArgumentParser
import Foundation
import Preview

/// `allocbook serve [--content DIR] [--port N] [--open]`: a live preview of the course.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a live preview of the course on localhost and reload pages on edits.",
        discussion: """
            Builds the site into memory and a temporary folder (never into site/ or the content \
            folder), serves it on http://127.0.0.1:PORT/, watches the content folder and \
            rebuilds what changed: an edited lesson runs only its own scenarios. Open pages \
            reload after a good rebuild; a rebuild with errors shows them over the last good \
            page and in the terminal. Without --port, a busy port 4000 moves to the next free \
            one; a busy --port is an error. Ctrl-C stops it.
            """
    )

    @Option(help: "The content folder: course.yml and one .md file per lesson.")
    var content: String = "content"

    @Option(help: "The port on 127.0.0.1 (default 4000, or the next free one).")
    var port: UInt16?

    @Flag(name: .customLong("open"), help: "Open the home page in the default browser.")
    var openBrowser = false

    func run() async throws {
        let log: @Sendable (String) -> Void = { line in
            var text = line + "\n"
            text.withUTF8 { StandardStreams.writeAll(fd: 1, $0) }
        }
        do {
            let server = try PreviewServer(
                options: .init(contentDirectory: content, port: port, openBrowser: openBrowser),
                log: log)
            try await server.run()
        } catch {
            StandardStreams.writeError("allocbook: error: \(error.description)\n")
            throw ExitCode.failure
        }
    }
}
