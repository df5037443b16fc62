/// Position helpers for source text.
public enum SourceText {
    /// Converts a 1-based UTF-8 byte column of a line into a 1-based Unicode scalar column.
    ///
    /// - Parameters:
    ///   - source: The whole file.
    ///   - line: The 1-based line.
    ///   - utf8Column: The 1-based byte column on that line.
    /// - Returns: The scalar column; `utf8Column` itself if the line does not exist.
    public static func scalarColumn(in source: String, line: Int, utf8Column: Int) -> Int {
        let bytes = source.utf8
        var start = bytes.startIndex
        var current = 1
        while current < line {
            guard let newline = bytes[start...].firstIndex(of: 0x0A) else { return utf8Column }
            start = bytes.index(after: newline)
            current += 1
        }
        var column = 1
        var index = start
        for _ in 0..<max(0, utf8Column - 1) {
            guard index < bytes.endIndex, bytes[index] != 0x0A else { break }
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index = bytes.index(after: index)
        }
        return column
    }

    /// The 1-based line and scalar column of a UTF-8 byte offset in `bytes`.
    public static func lineAndColumn(of offset: Int, in bytes: some Collection<UInt8>) -> (Int, Int)
    {
        var line = 1
        var column = 1
        for (i, byte) in bytes.enumerated() {
            if i >= offset { break }
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
