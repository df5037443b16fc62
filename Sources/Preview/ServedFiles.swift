import SiteBuilder
import Synchronization

/// The files the server answers with, replaced as a whole after each good rebuild.
final class ServedFiles: Sendable {
    private let files = Mutex<[String: SiteFile]>([:])

    /// The bytes of a file, if the site has it (made on first read: `print.html`).
    subscript(name: String) -> [UInt8]? { files.withLock { $0[name] }?.bytes }

    /// Replaces every file.
    func replace(with new: [String: SiteFile]) { files.withLock { $0 = new } }
}
