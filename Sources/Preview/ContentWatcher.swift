import Foundation
import Synchronization

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
    /// File names changed since the last ``takeChanges()``; `nil` after an event that names no
    /// file of the content folder (a theme file, a queue overflow): everything must be reread.
    private let pending = PendingNames()

    /// Starts watching `folders` (the missing ones are skipped).
    public init(folders: [String]) throws(Failure) {
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else { throw .cannotStart(errno) }
        // Written and closed, renamed in or out, deleted: a file is complete when these come
        // (IN_MODIFY and IN_CREATE would fire on a half-written file).
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)
        var main: Int32 = -1
        for folder in folders where FileManager.default.fileExists(atPath: folder) {
            let watch = inotify_add_watch(fd, folder, mask)
            if watch < 0 {
                let code = errno
                close(fd)
                throw .cannotWatch(folder, code)
            }
            if main < 0 { main = watch }
        }
        descriptor = fd
        (changes, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
        let thread = Thread { [continuation, pending, main] in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                let events = Self.parse(buffer[..<n], contentWatch: main)
                guard events.relevant else { continue }
                pending.add(events.names, everything: events.everything)
                continuation.yield()
            }
            continuation.finish()
        }
        thread.name = "allocbook-watch"
        thread.start()
    }

    /// The file names changed since the last call (`nil`: reread everything), and resets.
    public func takeChanges() -> Set<String>? { pending.take() }

    /// Reads a buffer of `inotify_event`s: the content-folder file names they name (editor
    /// swap and backup files ignored) and whether anything else needs a full reread.
    static func parse(_ bytes: ArraySlice<UInt8>, contentWatch: Int32)
        -> (names: Set<String>, everything: Bool, relevant: Bool)
    {
        var names: Set<String> = []
        var everything = false
        var offset = bytes.startIndex
        let header = 16  // wd, mask, cookie, len
        while offset + header <= bytes.endIndex {
            func word(_ at: Int) -> UInt32 {
                (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + at + $1]) << (8 * $1) }
            }
            let watch = Int32(bitPattern: word(0))
            let mask = word(4)
            let length = Int(word(12))
            let end = min(offset + header + length, bytes.endIndex)
            let name = String(
                decoding: bytes[(offset + header)..<end].prefix { $0 != 0 }, as: UTF8.self)
            offset = end
            if mask & UInt32(IN_Q_OVERFLOW) != 0 || watch != contentWatch {
                everything = true
            } else if !ignored(name) {
                names.insert(name)
            }
        }
        return (names, everything, everything || !names.isEmpty)
    }

    /// Editor scratch files: hidden, swap and backup files.
    static func ignored(_ name: String) -> Bool {
        name.isEmpty || name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp")
            || name.hasSuffix(".swx") || name.hasPrefix("#")
    }

    /// Stops watching; ``changes`` finishes.
    public func stop() {
        close(descriptor)
        continuation.finish()
    }
}

/// The names the watcher thread collects between rebuilds.
private final class PendingNames: Sendable {
    private let names = Mutex<Set<String>?>([])

    func add(_ new: Set<String>, everything: Bool) {
        names.withLock { names in
            if everything { names = nil } else { names?.formUnion(new) }
        }
    }

    func take() -> Set<String>? {
        names.withLock { names in
            defer { names = [] }
            return names
        }
    }
}
