import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Watches folders with Linux inotify and reports that something in them changed.
///
/// A thread blocks in `read(2)` on the inotify descriptor; each batch of events becomes one
/// element of ``changes``. Editors that save by writing a temporary file and renaming it are
/// covered (`IN_MOVED_TO`), as are new and deleted lessons.
public final class ContentWatcher: Sendable {
    /// Why watching could not start.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// `inotify_init1` failed (errno).
        case cannotStart(Int32)
        /// A folder could not be watched (path, errno).
        case cannotWatch(String, Int32)

        /// The message for the terminal.
        public var description: String {
            switch self {
            case .cannotStart(let code):
                "cannot watch files: inotify_init1 failed (\(String(cString: strerror(code))))"
            case .cannotWatch(let path, let code):
                "cannot watch '\(path)': \(String(cString: strerror(code)))"
            }
        }
    }

    /// One element per batch of file events.
    public let changes: AsyncStream<Void>
    private let descriptor: Int32
    private let continuation: AsyncStream<Void>.Continuation

    /// Starts watching `folders` (the missing ones are skipped).
    public init(folders: [String]) throws(Failure) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw .cannotStart(errno) }
        let mask = UInt32(
            IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_MODIFY)
        for folder in folders where FileManager.default.fileExists(atPath: folder) {
            if inotify_add_watch(fd, folder, mask) < 0 {
                let code = errno
                close(fd)
                throw .cannotWatch(folder, code)
            }
        }
        descriptor = fd
        (changes, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        let thread = Thread { [continuation] in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                continuation.yield()
            }
            continuation.finish()
        }
        thread.name = "allocbook-watch"
        thread.start()
    }

    /// Stops watching; ``changes`` finishes.
    public func stop() {
        close(descriptor)
        continuation.finish()
    }
}
