import LessonMarkdown

/// A scenario's fenced code block, located by line in the lesson's bytes (for `--fix`).
///
/// Made from the block cmark found (``init(_:lines:)``): there is no second fence scanner.
public struct ScenarioFence: Hashable, Sendable {
    /// The info string after the opening fence, trimmed.
    public var info: String
    /// The 1-based file column of the info string's first scalar.
    public var infoColumn: Int
    /// 0-based index of the opening fence line.
    public var openIndex: Int
    /// 0-based index of the closing fence line, `nil` when the block runs to the end of file.
    public var closeIndex: Int?
    /// Leading spaces of the opening fence (removed from body lines, as CommonMark does).
    public var indent: Int

    /// The 1-based line of the opening fence.
    public var line: Int { openIndex + 1 }
    /// 0-based indexes of the body lines.
    public func bodyIndexes(lineCount: Int) -> Range<Int> {
        let end = max(0, closeIndex ?? lineCount)
        return min(openIndex + 1, end)..<end
    }

    /// Creates a fence from its parts.
    public init(info: String, infoColumn: Int, openIndex: Int, closeIndex: Int?, indent: Int) {
        self.info = info
        self.infoColumn = infoColumn
        self.openIndex = openIndex
        self.closeIndex = closeIndex
        self.indent = indent
    }

    /// The fence of a top-level block cmark found, with the info column and the closing line
    /// read from cmark's positions: the block's last line is its closing fence when it is a
    /// run of at least as many fence characters; otherwise the block runs to the end of file.
    public init(_ block: FencedBlock, lines: LessonLines) {
        let open = block.fenceLine - 1
        let opening = open < lines.spans.count ? lines.text(open) : ""
        let afterRun = opening.unicodeScalars.dropFirst(block.fenceIndent + block.fenceLength)
        let spaces = afterRun.prefix { $0 == " " || $0 == "\t" }.count
        let last = block.endLine - 1
        var close: Int?
        if last > open, last < lines.spans.count,
            Self.isClosing(
                lines.text(last), character: block.fenceCharacter, length: block.fenceLength)
        {
            close = last
        }
        self.init(
            info: block.info, infoColumn: block.fenceIndent + block.fenceLength + spaces + 1,
            openIndex: open, closeIndex: close, indent: block.fenceIndent)
    }

    /// The body lines with the fence's indent removed, located in the file.
    public func body(in lines: LessonLines) -> [(index: Int, text: String, column: Int)] {
        bodyIndexes(lineCount: lines.spans.count).map { index in
            let text = lines.text(index)
            let removable = min(indent, text.prefix { $0 == " " }.count)
            return (index, String(text.dropFirst(removable)), removable + 1)
        }
    }

    /// Whether `text` closes a fence of `length` `character`s (up to three spaces of indent,
    /// then the run, then only spaces or tabs).
    private static func isClosing(_ text: String, character: UInt8, length: Int) -> Bool {
        var bytes = Substring(text).utf8.drop { $0 == 0x20 }
        guard text.utf8.count - bytes.count <= 3 else { return false }
        let run = bytes.prefix { $0 == character }.count
        guard run >= length else { return false }
        bytes = bytes.dropFirst(run)
        return bytes.allSatisfy { $0 == 0x20 || $0 == 0x09 }
    }
}
