import ArgumentParser

/// The `allocbook` command: builds the course, checks its scenarios, replays traces.
@main
struct AllocBook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allocbook",
        abstract: "Build and verify the AllocBook course on Linux memory allocation.",
        subcommands: [Build.self, Check.self, New.self, Serve.self, Trace.self, Run.self]
    )

    /// Runs the command; `--coverage` without a value (last, or before another option) is
    /// given an empty one, so that `check --coverage [FILE]` works as documented.
    static func main() async {
        await main(CoverageArgument.normalized(Array(CommandLine.arguments.dropFirst())))
    }
}

/// `--coverage [FILE]`: an option whose value may be left out.
enum CoverageArgument {
    /// The arguments with a bare `--coverage` turned into `--coverage=`.
    static func normalized(_ arguments: [String]) -> [String] {
        var out: [String] = []
        for (k, argument) in arguments.enumerated() {
            let next = k + 1 < arguments.count ? arguments[k + 1] : nil
            if argument == "--coverage", next == nil || next?.hasPrefix("-") == true {
                out.append("--coverage=")
            } else {
                out.append(argument)
            }
        }
        return out
    }
}
