/// The YAML front matter of a lesson, as text, with where it sits in the file.
public struct FrontMatterText: Hashable, Sendable {
    /// The YAML between the delimiter lines, each line ending in a newline.
    public var yaml: String
    /// The 1-based file line of the first YAML line (2 when the file starts with `---`).
    public var firstLine: Int
    /// Whether a closing `---` (or `...`) line was found.
    public var isClosed: Bool

    /// Creates front matter text.
    public init(yaml: String, firstLine: Int, isClosed: Bool) {
        self.yaml = yaml
        self.firstLine = firstLine
        self.isClosed = isClosed
    }

    /// Splits a file into its front matter and the Markdown that cmark parses.
    ///
    /// The front matter lines are replaced by empty lines in the Markdown, so cmark's line
    /// numbers are the file's. A file that does not start with a `---` line has no front matter.
    static func split(_ source: String) -> (frontMatter: FrontMatterText?, markdown: String) {
        var utf8 = Substring(source).utf8
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8 = utf8.dropFirst(3) }
        var lines = LineScanner(utf8)
        guard let first = lines.next(), isDelimiter(first.content, allowDots: false) else {
            return (nil, source)
        }
        var lineCount = 1
        let yamlStart = first.end
        var yamlEnd = utf8.endIndex
        var closed = false
        var rest = utf8.endIndex
        while let line = lines.next() {
            lineCount += 1
            if isDelimiter(line.content, allowDots: true) {
                yamlEnd = line.start
                rest = line.end
                closed = true
                break
            }
        }
        let yaml = String(Substring(utf8[yamlStart..<yamlEnd]))
        if !closed { return (FrontMatterText(yaml: yaml, firstLine: 2, isClosed: false), "") }
        var markdown = String(repeating: "\n", count: lineCount)
        markdown += Substring(utf8[rest...])
        return (FrontMatterText(yaml: yaml, firstLine: 2, isClosed: true), markdown)
    }

    private static func isDelimiter(_ line: Substring.UTF8View, allowDots: Bool) -> Bool {
        var bytes = line
        while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0D {
            bytes = bytes.dropLast()
        }
        return bytes.elementsEqual("---".utf8) || (allowDots && bytes.elementsEqual("...".utf8))
    }
}

/// Walks the lines of UTF-8 text; each line's content excludes its `\n`.
private struct LineScanner {
    struct Line {
        var start: Substring.UTF8View.Index
        var end: Substring.UTF8View.Index
        var content: Substring.UTF8View
    }

    private let text: Substring.UTF8View
    private var position: Substring.UTF8View.Index

    init(_ text: Substring.UTF8View) {
        self.text = text
        self.position = text.startIndex
    }

    mutating func next() -> Line? {
        guard position < text.endIndex else { return nil }
        let start = position
        let newline = text[start...].firstIndex(of: 0x0A)
        let contentEnd = newline ?? text.endIndex
        position = newline.map { text.index(after: $0) } ?? text.endIndex
        return Line(start: start, end: position, content: text[start..<contentEnd])
    }
}
