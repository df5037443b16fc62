import ArgumentParser
import SiteBuilder

/// Placeholder for `allocbook check`; filled by its issue.
struct Check: ParsableCommand {
    func run() throws {
        throw ValidationError("'check' is not available yet")
    }
}
