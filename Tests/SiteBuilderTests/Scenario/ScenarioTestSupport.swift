import AllocatorModels
import Foundation
import Scenarios
import SiteBuilder

/// A test engine: each statement outputs `ran <text>`; `abort();`-like statements are not
/// needed, so `free(X)` of a variable named `END` ends the program.
struct EchoEngine: ScenarioEngine {
    mutating func execute(_ statement: ScenarioStatement) -> ScenarioStepResult {
        if case .free(let p) = statement.action, p.variable == "END" {
            return ScenarioStepResult(lines: ["the end"], ends: true)
        }
        return ScenarioStepResult(lines: ["ran \(statement.text)"])
    }

    func figureContent() -> FigureFrame.Content? { nil }
}

enum ScenarioFixtures {
    static let echo: ScenarioEngineFactory = {
        (_: ScenarioOptions) throws(ScenarioEngineError) -> any ScenarioEngine in
        EchoEngine()
    }

    static func runner(strict: Bool = false) -> LessonScenarioRunner {
        LessonScenarioRunner(engines: echo, verifier: nil, strict: strict, recordFrames: false)
    }

    static func run(_ text: String, path: String = "content/03-malloc.md") -> [ScenarioBlockResult]
    {
        runner().run(path: path, lines: LessonLines(Array(text.utf8)), slug: "malloc")
    }

    /// A fresh temporary folder.
    static func folder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "allocbook-scenario-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
