#if canImport(Glibc)
    import Glibc
#endif

/// Buffered, unlocked writes to standard output and standard error.
enum StandardStreams {
    /// Writes `text` to standard error at once.
    static func writeError(_ text: String) {
        var text = text
        text.withUTF8 { buffer in writeAll(fd: 2, buffer) }
    }

    /// Writes all bytes to a file descriptor, retrying short writes.
    static func writeAll(fd: Int32, _ buffer: UnsafeBufferPointer<UInt8>) {
        guard var base = buffer.baseAddress else { return }
        var left = buffer.count
        while left > 0 {
            let n = write(fd, base, left)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            left -= n
            base += n
        }
    }
}

/// Collects standard-output text and writes it in large blocks.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    private let fd: Int32

    /// Creates a buffer for a file descriptor (1 is standard output).
    init(fd: Int32 = 1) {
        self.fd = fd
        bytes.reserveCapacity(1 << 16)
    }

    /// Appends a line and a newline; flushes past 64 KiB.
    mutating func line(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        bytes.append(10)
        if bytes.count >= 1 << 16 { flush() }
    }

    /// Writes what is buffered.
    mutating func flush() {
        bytes.withUnsafeBufferPointer { StandardStreams.writeAll(fd: fd, $0) }
        bytes.removeAll(keepingCapacity: true)
    }
}
