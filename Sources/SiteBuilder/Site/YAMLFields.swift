import Foundation
import Yams

/// Reads a YAML mapping's fields with typed checks, collecting diagnostics.
///
/// Positions are YAML positions shifted to the file: `firstLine` is the file line of the YAML's
/// first line.
struct YAMLFields {
    let path: String
    let firstLine: Int
    let context: String
    let yaml: String
    private(set) var values: [String: Yams.Node] = [:]
    var diagnostics: [Diagnostic] = []
    /// Whether the YAML parsed (an empty document parses, with no fields).
    private(set) var isParsed = false

    /// Parses `yaml`; on malformed YAML records the diagnostic and leaves no fields.
    init(yaml: String, path: String, firstLine: Int, context: String, allowedKeys: [String]) {
        self.path = path
        self.firstLine = firstLine
        self.context = context
        self.yaml = yaml
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            diagnostics.append(malformed(error))
            return
        } catch {
            diagnostics.append(
                .error("\(context): malformed YAML", at: location(line: 1, column: 1)))
            return
        }
        isParsed = true
        guard let node else { return }
        guard case .mapping(let mapping) = node else {
            diagnostics.append(
                .error("\(context): expected 'key: value' lines", at: location(node.mark)))
            return
        }
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                diagnostics.append(
                    .error("\(context): keys must be plain names", at: location(key.mark)))
                continue
            }
            guard allowedKeys.contains(name) else {
                let known = allowedKeys.map { "'\($0)'" }.joined(separator: ", ")
                diagnostics.append(
                    .warning(
                        "\(context): unknown key '\(name)' is ignored (known: \(known))",
                        at: location(key.mark)))
                continue
            }
            values[name] = value
        }
    }

    /// A required or optional non-empty string.
    mutating func string(_ key: String, required: Bool) -> String? {
        guard let node = values[key] else {
            if required {
                diagnostics.append(
                    .error("\(context): missing '\(key)'", at: location(line: 0, column: 1)))
            }
            return nil
        }
        guard let scalar = node.scalar, node.tag.rawValue != Tag.Name.null.rawValue else {
            diagnostics.append(
                .error("\(context): '\(key)' must be a string", at: location(node.mark)))
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            diagnostics.append(
                .error("\(context): '\(key)' must not be empty", at: location(node.mark)))
            return nil
        }
        return text
    }

    /// A required list of `count` non-empty strings (`[a, b]` or one `- item` per line).
    mutating func strings(_ key: String, count: ClosedRange<Int>) -> [String]? {
        guard let node = values[key] else {
            diagnostics.append(
                .error("\(context): missing '\(key)'", at: location(line: 0, column: 1)))
            return nil
        }
        return strings(node, named: "'\(key)'", count: count)
    }

    /// A list of `count` non-empty strings at `node`, described as `name` in diagnostics.
    mutating func strings(_ node: Yams.Node, named name: String, count: ClosedRange<Int>)
        -> [String]?
    {
        let wanted =
            count.lowerBound == count.upperBound
            ? "\(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)"
        guard let items = node.sequence, count.contains(items.count) else {
            diagnostics.append(
                .error(
                    "\(context): \(name) must be a list of \(wanted) strings",
                    at: location(node.mark)))
            return nil
        }
        var lines: [String] = []
        for item in items {
            guard let text = item.scalar?.string, item.tag.rawValue != Tag.Name.null.rawValue,
                !text.isEmpty
            else {
                diagnostics.append(
                    .error(
                        "\(context): every item of \(name) must be a non-empty string",
                        at: location(item.mark)))
                return nil
            }
            lines.append(text)
        }
        return lines
    }

    /// A required integer.
    mutating func integer(_ key: String) -> Int? {
        guard let node = values[key] else {
            diagnostics.append(
                .error("\(context): missing '\(key)'", at: location(line: 0, column: 1)))
            return nil
        }
        guard node.scalar != nil, node.tag.rawValue == Tag.Name.int.rawValue, let value = node.int
        else {
            diagnostics.append(
                .error("\(context): '\(key)' must be an integer", at: location(node.mark)))
            return nil
        }
        return value
    }

    /// The file location of a key's value.
    func valueLocation(_ key: String) -> SourceLocation? {
        values[key].flatMap { location($0.mark) }
    }

    /// A YAML position (1-based within the YAML) in the file; line 0 is the line before the YAML
    /// (the opening `---` of front matter).
    func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(path: path, line: max(1, firstLine + line - 1), column: column)
    }

    func location(_ mark: Yams.Mark?) -> SourceLocation {
        guard let mark else { return location(line: 1, column: 1) }
        return location(line: mark.line, column: mark.column)
    }

    private func malformed(_ error: YamlError) -> Diagnostic {
        switch error {
        case .scanner(let yamlContext, let problem, let mark, _),
            .parser(let yamlContext, let problem, let mark, _),
            .composer(let yamlContext, let problem, let mark, _):
            var message = "\(context): malformed YAML: \(problem)"
            if let yamlContext {
                let start = location(yamlContext.mark)
                message += " (\(yamlContext.text) at \(start.line):\(start.column))"
            }
            return .error(message, at: location(mark))
        case .duplicatedKeysInMapping(let duplicates, _):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            let line = secondOccurrenceLine(of: duplicates.sorted().first ?? "") ?? 1
            return .error(
                "\(context): duplicate key \(keys)", at: location(line: line, column: 1))
        default:
            return .error("\(context): malformed YAML", at: location(line: 1, column: 1))
        }
    }

    /// The 1-based YAML line where `key:` starts a line for the second time.
    private func secondOccurrenceLine(of key: String) -> Int? {
        var seen = false
        for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated() where line.hasPrefix(key + ":")
        {
            if seen { return index + 1 }
            seen = true
        }
        return nil
    }
}
