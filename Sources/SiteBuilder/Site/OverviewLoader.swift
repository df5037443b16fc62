import Figures
import Foundation
import Yams

/// Reads `content/overview.yml`, the words of the home page's overview figure.
enum OverviewLoader {
    /// The file's name in the content folder.
    static let fileName = "overview.yml"
    /// The keys the file may use.
    static let keys = ["title", "description", "columns", "kernel", "pool", "frames", "legend"]
    /// The keys of one column.
    static let columnKeys = ["caller", "address", "allocator"]

    /// The text, `nil` when the course has no such file (no figure) or it has errors.
    static func load(contentFolder: String) -> (OverviewText?, [Diagnostic]) {
        let path = "\(contentFolder)/\(fileName)"
        guard FileManager.default.fileExists(atPath: path) else { return (nil, []) }
        let text: String
        switch SourceFile.read(URL(fileURLWithPath: path), displayPath: path) {
        case .success(let value): text = value
        case .failure(let diagnostic): return (nil, [diagnostic])
        }
        var fields = YAMLFields(
            yaml: text, path: path, firstLine: 1, context: "overview", allowedKeys: keys)
        guard fields.isParsed else { return (nil, fields.diagnostics) }
        let title = fields.string("title", required: true)
        let description = fields.string("description", required: true)
        let frames = fields.string("frames", required: true)
        let kernel = fields.strings("kernel", count: 1...3)
        let pool = fields.strings("pool", count: 1...2)
        let legend = fields.strings(
            "legend", count: OverviewText.legendCount...OverviewText.legendCount)
        let columns = loadColumns(&fields)
        guard let title, let description, let frames, let kernel, let pool, let legend,
            let columns, !fields.diagnostics.hasErrors
        else { return (nil, fields.diagnostics) }
        return (
            OverviewText(
                title: title, description: description, columns: columns, kernel: kernel,
                pool: pool, frames: frames, legend: legend),
            fields.diagnostics
        )
    }

    private static func loadColumns(_ fields: inout YAMLFields) -> [OverviewText.Column]? {
        let count = OverviewText.columnCount
        guard let node = fields.values["columns"] else {
            fields.diagnostics.append(
                .error("overview: missing 'columns'", at: fields.location(line: 0, column: 1)))
            return nil
        }
        guard let items = node.sequence, items.count == count else {
            fields.diagnostics.append(
                .error(
                    "overview: 'columns' must be a list of \(count) columns",
                    at: fields.location(node.mark)))
            return nil
        }
        var columns: [OverviewText.Column] = []
        for (index, item) in items.enumerated() {
            let name = "column \(index + 1)"
            guard let mapping = item.mapping else {
                fields.diagnostics.append(
                    .error(
                        "overview: \(name) must have 'caller', 'address' and 'allocator'",
                        at: fields.location(item.mark)))
                continue
            }
            for key in mapping.keys where !columnKeys.contains(key.string ?? "") {
                fields.diagnostics.append(
                    .warning(
                        "overview: unknown key '\(key.string ?? "")' in \(name) is ignored",
                        at: fields.location(key.mark)))
            }
            let caller = mapping["caller"].flatMap {
                fields.strings($0, named: "'caller' of \(name)", count: 1...2)
            }
            let allocator = mapping["allocator"].flatMap {
                fields.strings($0, named: "'allocator' of \(name)", count: 1...3)
            }
            let address = mapping["address"]?.scalar?.string
            guard let caller, let allocator, let address, !address.isEmpty else {
                fields.diagnostics.append(
                    .error(
                        "overview: \(name) needs 'caller', 'address' and 'allocator'",
                        at: fields.location(item.mark)))
                continue
            }
            columns.append(
                OverviewText.Column(caller: caller, address: address, allocator: allocator))
        }
        return columns.count == count ? columns : nil
    }
}
