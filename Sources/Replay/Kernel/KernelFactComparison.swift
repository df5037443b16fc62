import AllocatorModels
import Scenarios

/// A step where the model and the real kernel differ in one fact.
public struct KernelFactDifference: Hashable, Sendable {
    /// 1-based step.
    public var step: Int
    /// The fact's name.
    public var fact: String
    /// The model's value (`absent` when it has none).
    public var model: String
    /// The real kernel's value.
    public var real: String

    /// Creates a difference.
    public init(step: Int, fact: String, model: String, real: String) {
        self.step = step
        self.fact = fact
        self.model = model
        self.real = real
    }
}

/// Compares the model's facts with the real kernel's result lines, step by step.
public enum KernelFactComparison {
    /// The real kernel's facts of one `S N key=value;…` line (the `op` field dropped).
    public static func realFacts(_ line: String) -> [KernelFact] {
        guard line.hasPrefix("S ") else { return [] }
        guard let space = line.dropFirst(2).firstIndex(of: " ") else { return [] }
        var facts: [KernelFact] = []
        for pair in line[line.index(after: space)...].split(separator: ";") {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let key = String(pair[..<equals])
            guard key != "op" else { continue }
            facts.append(KernelFact(key, String(pair[pair.index(after: equals)...])))
        }
        return facts
    }

    /// The step lines (`S …`) of a result.
    public static func stepLines(_ result: [String]) -> [String] {
        result.filter { $0.hasPrefix("S ") }
    }

    /// Facts the real kernel reports that the model's step does not carry are compared only
    /// when the model has them; a fact the model has and the kernel lacks is a difference.
    public static func compare(
        model: [KernelFactStep], real: [String]
    ) -> (differences: [KernelFactDifference], compared: Int) {
        let steps = stepLines(real)
        var differences: [KernelFactDifference] = []
        var compared = 0
        for (k, step) in model.enumerated() {
            guard k < steps.count else {
                differences.append(
                    KernelFactDifference(
                        step: k + 1, fact: "step", model: "ran", real: "did not run"))
                break
            }
            let facts = realFacts(steps[k])
            for fact in step.facts {
                let value = facts.first { $0.name == fact.name }?.value ?? "absent"
                // No unmovable block was free: the kernel stole one of another migratetype
                // (__rmqueue_fallback), which the model's single migratetype cannot show.
                if fact.name == "split" && value.hasPrefix("fallback") { continue }
                compared += 1
                if value != fact.value {
                    differences.append(
                        KernelFactDifference(
                            step: k + 1, fact: fact.name, model: fact.value, real: value))
                }
            }
            for fact in facts where fact.name == "ptr" && step.value("ptr") == nil {
                differences.append(
                    KernelFactDifference(
                        step: k + 1, fact: "ptr", model: "absent", real: fact.value))
            }
        }
        return (differences, compared)
    }
}
