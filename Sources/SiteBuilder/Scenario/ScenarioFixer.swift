import Foundation

/// `check --fix`: rewrites the `//>` lines of mismatching blocks, and nothing else.
public enum ScenarioFixer {
    /// Errors writing a fixed lesson.
    public enum FixError: Error, Hashable, Sendable {
        /// The temporary file could not be written or renamed over the lesson.
        case cannotWrite(path: String)
    }

    /// The lesson's bytes with every `differs` block's expected lines replaced by its actual
    /// output.
    ///
    /// Line terminators are kept; new lines take the terminator of the line before
    /// them (a last line without a final newline stays without one).
    public static func fixedBytes(
        _ lines: LessonLines, results: [ScenarioBlockResult]
    ) -> [UInt8] {
        var plans: [Int: (end: Int, plan: [ScenarioRewrite.Line])] = [:]
        for result in results where result.status == .differs {
            guard let program = result.program, let actual = result.actual else { continue }
            let body = result.fence.bodyIndexes(lineCount: lines.spans.count)
            guard !body.isEmpty else { continue }
            plans[body.lowerBound] = (
                body.upperBound,
                ScenarioRewrite.plan(
                    fence: result.fence, lines: lines, program: program, actual: actual)
            )
        }
        guard !plans.isEmpty else { return lines.bytes }
        let fallback = dominantTerminator(lines)
        var out: [UInt8] = []
        out.reserveCapacity(lines.bytes.count + 256)
        var pendingTerminator = false
        var lastTerminator = fallback
        func emitText<S: Sequence>(_ text: S) where S.Element == UInt8 {
            if pendingTerminator { out += lastTerminator }
            out += text
            pendingTerminator = false
        }
        func emitOriginal(_ index: Int) {
            let span = lines.spans[index]
            emitText(lines.bytes[span.start..<span.contentEnd])
            let terminator = lines.terminator(index)
            if terminator.isEmpty {
                pendingTerminator = true
            } else {
                out += terminator
                lastTerminator = Array(terminator)
            }
        }
        var index = 0
        while index < lines.spans.count {
            if let (end, plan) = plans[index] {
                for line in plan {
                    switch line {
                    case .original(let i): emitOriginal(i)
                    case .inserted(let text):
                        emitText(Array(text.utf8))
                        pendingTerminator = true
                    }
                }
                index = end
            } else {
                emitOriginal(index)
                index += 1
            }
        }
        if pendingTerminator && lines.bytes.last == 10 { out += lastTerminator }
        return out
    }

    /// `\r\n` when most terminated lines use it, else `\n`.
    static func dominantTerminator(_ lines: LessonLines) -> [UInt8] {
        var crlf = 0
        var lf = 0
        for i in lines.spans.indices {
            switch lines.terminator(i).count {
            case 2: crlf += 1
            case 1: lf += 1
            default: break
            }
        }
        return crlf > lf ? [13, 10] : [10]
    }

    /// Writes `bytes` to `path` atomically: a temporary file in the same folder, then rename.
    public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FixError) {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).allocbook-fix-\(ProcessInfo.processInfo.processIdentifier)")
        do {
            try Data(bytes).write(to: temporary, options: [.withoutOverwriting])
            if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                let permissions = attributes[.posixPermissions]
            {
                try? FileManager.default.setAttributes(
                    [.posixPermissions: permissions], ofItemAtPath: temporary.path)
            }
            if rename(temporary.path, path) != 0 {
                try? FileManager.default.removeItem(at: temporary)
                throw FixError.cannotWrite(path: path)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw FixError.cannotWrite(path: path)
        }
    }
}
