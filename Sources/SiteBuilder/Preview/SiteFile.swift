import Synchronization

/// One file of the site `allocbook serve` shows: its bytes, or the parts it is joined from
/// when it is first read.
///
/// `print.html` and the search index hold every lesson: on a large course they are tens of
/// megabytes, which a rebuild need not copy. Their parts change lesson by lesson; the whole
/// text is made once, when the browser (or the mirror folder) asks for it.
public final class SiteFile: Sendable {
    private let made: Mutex<[UInt8]?>
    private let make: @Sendable () -> [UInt8]

    /// A file of known bytes.
    public init(_ bytes: [UInt8]) {
        made = Mutex(bytes)
        make = { bytes }
    }

    /// A file made by `make` on first read (once).
    public init(making make: @escaping @Sendable () -> [UInt8]) {
        made = Mutex(nil)
        self.make = make
    }

    /// The file's bytes.
    public var bytes: [UInt8] {
        made.withLock { made in
            if let made { return made }
            let bytes = make()
            made = bytes
            return bytes
        }
    }
}
