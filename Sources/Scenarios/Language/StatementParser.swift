/// Parses one scenario statement line into a `ScenarioStatement`, checking it against the
/// model's functions and the variables declared so far.
public enum StatementParser {
    /// Parses `text` (one line without its `//-` marker) starting at 1-based `column` of
    /// lesson line `line`.
    ///
    /// Returns `nil` for a line that holds only a comment or spaces.
    public static func parse(
        _ text: Substring, line: Int, column: Int, hidden: Bool, model: ScenarioModelKind,
        variables: inout ScenarioVariables
    ) throws(ScenarioIssue) -> ScenarioStatement? {
        let leading = text.prefix { $0 == " " || $0 == "\t" }.unicodeScalars.count
        var body = text.dropFirst(text.prefix { $0 == " " || $0 == "\t" }.count)
        var bodyColumn = column + leading
        var thread: String?
        if body.hasPrefix("thread ") || body.hasPrefix("thread\t") {
            let (name, rest, restColumn) = try threadPrefix(
                body, line: line, column: bodyColumn, model: model)
            thread = name == "main" ? nil : name
            body = rest
            bodyColumn = restColumn
        }
        if var statement = try parseBody(
            body, line: line, column: bodyColumn, hidden: hidden, model: model,
            variables: &variables)
        {
            if let thread {
                statement.thread = thread
                statement.text = "thread \(thread): " + statement.text
            } else if case .threadExit = statement.action {
                throw ScenarioIssue(line: line, column: bodyColumn, mainThreadExit)
            }
            return statement
        }
        if thread != nil {
            throw ScenarioIssue(
                line: line, column: bodyColumn, "expected a statement after the thread")
        }
        return nil
    }

    /// Why `pthread_exit(NULL);` on the main thread is refused.
    ///
    /// Measured on glibc 2.36: the main thread's pthread_exit unwinds to
    /// `__libc_start_call_main` (sysdeps/nptl/libc_start_call_main.h), which runs no
    /// `__libc_thread_freeres`: its tcache is not flushed, its arena not detached (main_arena's
    /// in-use bytes do not drop), and the process lives on until the last thread exits. The
    /// model's unprefixed statements run on the main thread, so a session cannot go on without it.
    public static let mainThreadExit =
        "pthread_exit on the main thread is not modelled: glibc 2.36 runs no thread freeres for "
        + "it (its tcache and arena stay as they are; sysdeps/nptl/libc_start_call_main.h) and "
        + "the process lives on while other threads run, but the scenario's unprefixed "
        + "statements need the main thread; end another thread ('thread T1: pthread_exit(NULL);')"

    /// `thread NAME:` at the start of `body`: the name, the rest and the rest's column.
    private static func threadPrefix(
        _ body: Substring, line: Int, column: Int, model: ScenarioModelKind
    ) throws(ScenarioIssue) -> (String, Substring, Int) {
        guard model == .malloc else {
            throw ScenarioIssue(
                line: line, column: column, "'thread' prefixes are for the 'malloc' model")
        }
        var rest = body.dropFirst(6)
        var restColumn = column + 6
        let spaces = rest.prefix { $0 == " " || $0 == "\t" }.count
        rest = rest.dropFirst(spaces)
        restColumn += spaces
        let name = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard let first = name.first, !first.isNumber, rest.dropFirst(name.count).first == ":"
        else {
            throw ScenarioIssue(
                line: line, column: restColumn, "expected 'thread NAME:' before the statement")
        }
        rest = rest.dropFirst(name.count + 1)
        restColumn += name.unicodeScalars.count + 1
        let gap = rest.prefix { $0 == " " || $0 == "\t" }.count
        return (String(name), rest.dropFirst(gap), restColumn + gap)
    }

    private static func parseBody(
        _ body: Substring, line: Int, column bodyColumn: Int, hidden: Bool,
        model: ScenarioModelKind, variables: inout ScenarioVariables
    ) throws(ScenarioIssue) -> ScenarioStatement? {
        if body.hasPrefix("cat ") || body == "cat" {
            return try parseCat(body, line: line, column: bodyColumn, hidden: hidden, model: model)
        }
        let tokens: [CToken]
        switch CLexer.tokenize(body, line: line, column: bodyColumn) {
        case .success(let t): tokens = t
        case .failure(let issue): throw issue
        }
        guard let first = tokens.first, let last = tokens.last else { return nil }
        let endColumn = last.endColumn
        let written = String(
            String.UnicodeScalarView(
                body.unicodeScalars.prefix(endColumn - bodyColumn)))
        var rest = Substring(
            String(String.UnicodeScalarView(body.unicodeScalars.dropFirst(endColumn - bodyColumn))))
        rest = rest.drop { $0 == " " || $0 == "\t" }
        while let last = rest.last, last == " " || last == "\t" || last == "\r" {
            rest = rest.dropLast()
        }
        var parser = CallParser(
            tokens: tokens, line: line, endColumn: endColumn, model: model)
        let (target, call) = try parser.parseStatement(variables: variables)
        let action = try parser.evaluate(call, target: target, variables: variables)
        if let target {
            variables[target.name] = target.kind
        }
        if case .alignedAlloc(_, _, _, let out?) = action { variables[out] = .pointer }
        return ScenarioStatement(
            text: written, line: line, column: first.column, hidden: hidden,
            target: target?.name, action: action, comment: rest.hasPrefix("//") ? String(rest) : nil
        )
    }

    private static func parseCat(
        _ body: Substring, line: Int, column: Int, hidden: Bool, model: ScenarioModelKind
    ) throws(ScenarioIssue) -> ScenarioStatement {
        var rest = body.dropFirst(3)
        if let comment = rest.range(of: "//") { rest = rest[..<comment.lowerBound] }
        let pathStart = rest.prefix { $0 == " " }.count
        let path = rest.dropFirst(pathStart).prefix { $0 != " " && $0 != "\t" }
        let pathColumn = column + 3 + pathStart
        let files = ScenarioFunction.procFiles[model] ?? []
        guard !path.isEmpty else {
            throw ScenarioIssue(line: line, column: pathColumn, "expected a file after 'cat'")
        }
        guard files.contains(String(path)) else {
            let other = ScenarioFunction.procFiles.first { $0.value.contains(String(path)) }?.key
            let message =
                other.map {
                    "'\(path)' belongs to the '\($0.rawValue)' model; this scenario runs "
                        + "'\(model.rawValue)'"
                }
                ?? "cannot read '\(path)'; the '\(model.rawValue)' model has "
                + files.map { "'\($0)'" }.joined(separator: ", ")
            throw ScenarioIssue(line: line, column: pathColumn, message)
        }
        let after = rest.dropFirst(pathStart + path.count)
        if let extra = after.firstIndex(where: { $0 != " " && $0 != "\t" }) {
            let extraColumn =
                pathColumn + path.unicodeScalars.count
                + after[..<extra].unicodeScalars.count
            throw ScenarioIssue(
                line: line, column: extraColumn, "unexpected text after '\(path)'")
        }
        return ScenarioStatement(
            text: "cat " + path, line: line, column: column, hidden: hidden, target: nil,
            action: .cat(String(path)))
    }
}

extension Substring {
    /// The range of the first occurrence of `needle` (no Foundation).
    fileprivate func range(of needle: String) -> Range<Index>? {
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}
