/// A lesson file's bytes split into lines, keeping every byte so that a rewrite can change
/// some lines and leave the rest byte for byte.
public struct LessonLines: Sendable {
    /// One line: `bytes[start..<contentEnd]` is its text, `bytes[contentEnd..<end]` its
    /// terminator (`\n`, `\r\n`, or nothing on a last line without a final newline).
    public struct Span: Hashable, Sendable {
        /// Offset of the first byte.
        public var start: Int
        /// Offset just past the text (before the terminator).
        public var contentEnd: Int
        /// Offset just past the terminator.
        public var end: Int
    }

    /// The file's bytes.
    public let bytes: [UInt8]
    /// The lines in order (line N is `spans[N - 1]`).
    public let spans: [Span]

    /// Splits `bytes` at `\n` (a preceding `\r` belongs to the terminator).
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var spans: [Span] = []
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 10 {
                let contentEnd = i > start && bytes[i - 1] == 13 ? i - 1 : i
                spans.append(Span(start: start, contentEnd: contentEnd, end: i + 1))
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count {
            spans.append(Span(start: start, contentEnd: bytes.count, end: bytes.count))
        }
        self.spans = spans
    }

    /// The text of line `index` (0-based), decoded as UTF-8 (invalid bytes replaced).
    public func text(_ index: Int) -> String {
        let span = spans[index]
        return String(decoding: bytes[span.start..<span.contentEnd], as: UTF8.self)
    }

    /// The terminator bytes of line `index` (0-based).
    public func terminator(_ index: Int) -> ArraySlice<UInt8> {
        bytes[spans[index].contentEnd..<spans[index].end]
    }
}
