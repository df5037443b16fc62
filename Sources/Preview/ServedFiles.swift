import Synchronization

/// The files the server answers with, replaced as a whole after each good rebuild.
final class ServedFiles: Sendable {
    private let files = Mutex<[String: [UInt8]]>([:])

    /// The bytes of a file, if the site has it.
    subscript(name: String) -> [UInt8]? { files.withLock { $0[name] } }

    /// Replaces every file.
    func replace(with new: [String: [UInt8]]) { files.withLock { $0 = new } }
}
