import Foundation
import LessonMarkdown

/// Reads a text file as UTF-8, turning each failure into a located diagnostic.
enum SourceFile {
    /// The file's text, or a diagnostic: unreadable (`path:1:1`) or invalid UTF-8 (at the first
    /// bad byte).
    enum Outcome {
        case success(String)
        case failure(Diagnostic)
    }

    /// Reads `url`, printed as `displayPath`.
    ///
    /// `markdownLines`: the file is Markdown or YAML whose lines we count, so a carriage return
    /// without a line feed (where CommonMark ends a line and our line counts do not) is refused.
    ///
    /// `folder` is the content folder: a symbolic link whose target lies outside it is refused
    /// (a lesson must not publish `/etc/passwd`). Anything but a regular file (a FIFO, which
    /// would block the read, a socket, a folder) is refused before it is opened.
    static func read(
        _ url: URL, displayPath: String, within folder: String? = nil, markdownLines: Bool = true
    ) -> Outcome {
        let at = SourceLocation(path: displayPath, line: 1, column: 1)
        if let problem = fileProblem(url.path, within: folder) {
            return .failure(.error(problem, at: at))
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return .failure(
                Diagnostic.error(
                    "cannot read file: \(SystemReason.text(error))",
                    at: SourceLocation(path: displayPath, line: 1, column: 1)))
        }
        if let text = String(validating: data, as: UTF8.self) {
            if markdownLines, let offset = loneCarriageReturn(data) {
                // CommonMark ends a line at a lone CR and the line counts here do not: refuse
                // the file rather than report scenarios and errors on the wrong lines.
                let (line, column) = SourceText.lineAndColumn(of: offset, in: data)
                return .failure(
                    .error(
                        "a carriage return (CR) without a line feed ends a line here; "
                            + "save the file with LF or CRLF line endings",
                        at: SourceLocation(path: displayPath, line: line, column: column)))
            }
            return .success(text)
        }
        let offset = firstInvalidOffset(data)
        let (line, column) = SourceText.lineAndColumn(of: offset, in: data)
        return .failure(
            .error(
                "file is not valid UTF-8 (byte 0x\(String(data[data.startIndex + offset], radix: 16)))",
                at: SourceLocation(path: displayPath, line: line, column: column)))
    }

    /// The byte offset of the first carriage return not followed by a line feed, if any.
    static func loneCarriageReturn(_ data: Data) -> Int? {
        var previousWasCR = false
        for (offset, byte) in data.enumerated() {
            if previousWasCR && byte != 0x0A { return offset - 1 }
            previousWasCR = byte == 0x0D
        }
        return previousWasCR ? data.count - 1 : nil
    }

    /// The byte offset of the first invalid UTF-8 sequence.
    static func firstInvalidOffset(_ data: Data) -> Int {
        var iterator = data.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return max(0, data.count - 1)
            case .error: return offset
            }
        }
    }

    /// Why `path` cannot be read as a source file, or `nil` when it can.
    static func fileProblem(_ path: String, within folder: String?) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            return "cannot read file: \(SystemReason.text(errno: errno))"
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            // A dangling link fails the stat below with the system's reason.
            if let resolved = realPath(path), let folder, let root = realPath(folder),
                !resolved.hasPrefix(root + "/")
            {
                return "symbolic link to '\(target)' leaves the content folder '\(folder)'; "
                    + "only links to files inside it are followed"
            }
            guard stat(path, &info) == 0 else {
                return "cannot read file: \(SystemReason.text(errno: errno))"
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFIFO: return "cannot read file: it is a named pipe (FIFO), not a regular file"
        case S_IFDIR: return "cannot read file: it is a folder, not a regular file"
        case S_IFSOCK: return "cannot read file: it is a socket, not a regular file"
        default: return "cannot read file: it is a device, not a regular file"
        }
    }

    /// The lesson files of a content folder: `*.md` names, not hidden, and not folders (an
    /// output folder may be named like a lesson), sorted by their bytes.
    static func lessonNames(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { name in
                var info = stat()
                let isFolder =
                    lstat(folder + "/" + name, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
                return name.hasSuffix(".md") && !name.hasPrefix(".") && !isFolder
            }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The absolute path with every symbolic link resolved, `nil` if it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
