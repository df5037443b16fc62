import AllocatorModels
import Scenarios

/// `allocbook trace --model kernel --verify`: each step's facts, the model's 6.1 profile and
/// the real kernel side by side.
public enum KernelSideBySide {
    /// The report's lines and the number of differing facts.
    public static func report(
        trace: String, model: KernelFactTrace, real: [String]
    ) -> (lines: [String], compared: Int, differing: Int) {
        let source = trace.split(separator: "\n", omittingEmptySubsequences: false)
        let (differences, compared) = KernelFactComparison.compare(model: model.steps, real: real)
        let steps = KernelFactComparison.stepLines(real)
        var lines = [
            pad("fact", 14) + pad("model (6.1 profile)", 34) + "real kernel ("
                + KernelReplayVerifier.kernelName + ")"
        ]
        for (k, step) in model.steps.enumerated() {
            let text = step.line - 1 < source.count ? String(source[step.line - 1]) : ""
            lines.append("step \(k + 1) (line \(step.line): \(text.trimmingSpaces))")
            let realFacts = k < steps.count ? KernelFactComparison.realFacts(steps[k]) : []
            for fact in step.facts {
                let value = realFacts.first { $0.name == fact.name }?.value ?? "absent"
                let differs = differences.contains { $0.step == k + 1 && $0.fact == fact.name }
                lines.append(
                    "  " + pad(fact.name, 12) + pad(fact.value, 34) + value
                        + (differs ? "   <- differs" : ""))
            }
            for fact in realFacts where step.value(fact.name) == nil {
                lines.append("  " + pad(fact.name, 12) + pad("(not compared)", 34) + fact.value)
            }
            for reason in step.notCompared { lines.append("  not compared: " + reason) }
        }
        lines.append(
            "\(model.steps.count) steps, \(compared) facts compared, \(differences.count) "
                + "differ\(differences.count == 1 ? "s" : "")")
        return (lines, compared, differences.count)
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}
