@testable import Figures

/// What is wrong with the layout of a frame's panels; empty when the layout is clean.
///
/// A panel wider than `PanelSet.width` (it would shrink on a phone), a label smaller than
/// 12 px, a label that leaves its panel, two labels of a panel that overlap.
public func layoutProblems(_ set: PanelSet, _ context: String) -> [String] {
    var problems: [String] = []
    if set.panels.isEmpty { problems.append("\(context): no panels") }
    for panel in set.panels {
        let name = "\(context), panel '\(panel.name)'"
        if panel.width > PanelSet.width {
            problems.append("\(name) is \(panel.width) px wide (> \(PanelSet.width))")
        }
        for (i, a) in panel.labels.enumerated() {
            if a.height < 12 { problems.append("\(name): '\(a.text)' is \(a.height) px") }
            if !a.isInside(width: Double(panel.width), height: Double(panel.height)) {
                problems.append(
                    "\(name): '\(a.text)' at \(a.x),\(a.y) leaves the \(panel.width)x\(panel.height) drawing"
                )
            }
            for b in panel.labels[(i + 1)...] where a.overlaps(b) {
                problems.append("\(name): '\(a.text)' overlaps '\(b.text)'")
            }
        }
    }
    return problems
}
