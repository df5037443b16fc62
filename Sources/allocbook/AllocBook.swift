import ArgumentParser

/// The `allocbook` command: builds the course, checks its scenarios, replays traces.
@main
struct AllocBook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocbook",
        abstract: "Build and verify the AllocBook course on Linux memory allocation.",
        subcommands: [Build.self, Check.self, New.self, Serve.self, Trace.self]
    )
}
