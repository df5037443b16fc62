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

    static func read(_ url: URL, displayPath: String) -> Outcome {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            return .failure(
                Diagnostic.error(
                    "cannot read file: \(Self.reason(error))",
                    at: SourceLocation(path: displayPath, line: 1, column: 1)))
        }
        if let text = String(validating: data, as: UTF8.self) { return .success(text) }
        let offset = firstInvalidOffset(data)
        let (line, column) = SourceText.lineAndColumn(of: offset, in: data)
        return .failure(
            .error(
                "file is not valid UTF-8 (byte 0x\(String(data[data.startIndex + offset], radix: 16)))",
                at: SourceLocation(path: displayPath, line: line, column: column)))
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

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            underlying.domain == NSPOSIXErrorDomain,
            let code = POSIXErrorCode(rawValue: Int32(underlying.code))
        {
            return String(cString: strerror(code.rawValue)).lowercased()
        }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return "no such file or directory"
        }
        return "read error"
    }
}
