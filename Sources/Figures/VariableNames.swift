/// The scenario's variables by the address they hold, for labelling diagrams.
struct VariableNames {
    private let pairs: [(name: String, address: UInt64)]

    /// Sorts the labels by name so that every lookup is deterministic.
    init(_ labels: [String: UInt64]) {
        pairs = labels.map { (name: $0.key, address: $0.value) }.sorted { $0.name < $1.name }
    }

    /// Names (comma-separated) of the variables that hold exactly `address`, or "".
    func holding(_ address: UInt64) -> String {
        pairs.filter { $0.address == address }.map { $0.name }.joined(separator: ", ")
    }

    /// Names (comma-separated) of the variables that point into `range`, or "".
    func pointing(into range: Range<UInt64>) -> String {
        pairs.filter { range.contains($0.address) }.map { $0.name }.joined(separator: ", ")
    }
}
