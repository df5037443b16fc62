/// A fenced code block found in a lesson, located by line.
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
        (openIndex + 1)..<(closeIndex ?? lineCount)
    }
}

/// Finds fenced code blocks the way CommonMark does at the top level of a document
/// (up to three spaces of indent, three or more backticks or tildes, closing fence of the
/// same kind at least as long), skipping YAML front matter.
public enum ScenarioFenceScanner {
    /// Every fenced block of `lines`, in order.
    public static func fences(in lines: LessonLines) -> [ScenarioFence] {
        var fences: [ScenarioFence] = []
        var index = frontMatterEnd(lines)
        let count = lines.spans.count
        while index < count {
            guard let open = opening(lines.text(index)) else {
                index += 1
                continue
            }
            var close: Int?
            var j = index + 1
            while j < count {
                if isClosing(lines.text(j), marker: open.marker, length: open.length) {
                    close = j
                    break
                }
                j += 1
            }
            fences.append(
                ScenarioFence(
                    info: open.info, infoColumn: open.infoColumn, openIndex: index,
                    closeIndex: close, indent: open.indent))
            index = (close ?? count) + 1
        }
        return fences
    }

    /// The body lines of `fence` with the fence's indent removed, located in the file.
    public static func body(
        of fence: ScenarioFence, in lines: LessonLines
    ) -> [(index: Int, text: String, column: Int)] {
        fence.bodyIndexes(lineCount: lines.spans.count).map { index in
            let text = lines.text(index)
            let removable = min(fence.indent, text.prefix { $0 == " " }.count)
            return (index, String(text.dropFirst(removable)), removable + 1)
        }
    }

    private struct Opening {
        var marker: Character
        var length: Int
        var indent: Int
        var info: String
        var infoColumn: Int
    }

    private static func opening(_ text: String) -> Opening? {
        let indent = text.prefix { $0 == " " }.count
        guard indent <= 3 else { return nil }
        let rest = text.dropFirst(indent)
        guard let marker = rest.first, marker == "`" || marker == "~" else { return nil }
        let length = rest.prefix { $0 == marker }.count
        guard length >= 3 else { return nil }
        let afterFence = rest.dropFirst(length)
        if marker == "`" && afterFence.contains("`") { return nil }
        let spaces = afterFence.prefix { $0 == " " || $0 == "\t" }
        var info = afterFence.dropFirst(spaces.count)
        while let last = info.last, last == " " || last == "\t" { info = info.dropLast() }
        let column = indent + length + spaces.unicodeScalars.count + 1
        return Opening(
            marker: marker, length: length, indent: indent, info: String(info), infoColumn: column)
    }

    private static func isClosing(_ text: String, marker: Character, length: Int) -> Bool {
        let indent = text.prefix { $0 == " " }.count
        guard indent <= 3 else { return false }
        let rest = text.dropFirst(indent)
        let run = rest.prefix { $0 == marker }.count
        guard run >= length else { return false }
        return rest.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" }
    }

    /// Index of the first line after a leading `---` … `---` (or `...`) front matter block.
    private static func frontMatterEnd(_ lines: LessonLines) -> Int {
        guard !lines.spans.isEmpty, lines.text(0) == "---" else { return 0 }
        for index in 1..<lines.spans.count
        where lines.text(index) == "---" || lines.text(index) == "..." {
            return index + 1
        }
        return 0
    }
}
