import ArgumentParser
import SiteBuilder

/// Placeholder for `allocbook build`; filled by its issue.
struct Build: ParsableCommand {
    func run() throws {
        throw ValidationError("'build' is not available yet")
    }
}
