import ArgumentParser
import SiteBuilder

/// Placeholder for `allocbook new`; filled by its issue.
struct New: ParsableCommand {
    func run() throws {
        throw ValidationError("'new' is not available yet")
    }
}
