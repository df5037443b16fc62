import Foundation
import Testing

/// What issue 15 asks of the course itself (content/*.md): enough lessons and executed
/// scenarios, every malloc scenario checked against the real glibc, an exercise in the
/// overview, "Try it on your machine" and further reading closing every lesson, and no
/// reference to "the seed" that a student could not follow.
@Suite struct CourseContractTests {
    static let content = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("content")

    /// The lessons as (file name, lines), sorted by file name.
    static func lessons() throws -> [(name: String, lines: [Substring])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: content.path)
            .filter { $0.hasSuffix(".md") }.sorted()
        return try names.map { name in
            let text = try String(
                contentsOf: content.appendingPathComponent(name), encoding: .utf8)
            return (name, text.split(separator: "\n", omittingEmptySubsequences: false))
        }
    }

    /// The info strings of a lesson's scenario fences (`scenario malloc verify=glibc`).
    static func scenarioInfos(_ lines: [Substring]) -> [Substring] {
        lines.filter { $0.hasPrefix("```scenario") }.map { $0.dropFirst(3) }
    }

    @Test func theCourseHasTenLessonsAndNinetyScenarios() throws {
        let lessons = try Self.lessons()
        #expect(lessons.count >= 10)
        let scenarios = lessons.flatMap { Self.scenarioInfos($0.lines) }
        #expect(scenarios.count >= 90, "only \(scenarios.count) scenarios")
    }

    @Test func everyMallocScenarioIsVerifiedAgainstGlibc() throws {
        for (name, lines) in try Self.lessons() {
            for info in Self.scenarioInfos(lines) {
                let words = info.split(separator: " ")
                guard words.count > 1, words[1] == "malloc" else { continue }
                #expect(words.contains("verify=glibc"), "\(name): '\(info)'")
            }
        }
    }

    @Test func everyLessonEndsWithTryItAndFurtherReading() throws {
        for (name, lines) in try Self.lessons() {
            let headings = lines.filter { $0.hasPrefix("## ") }
            #expect(headings.contains("## Try it on your machine"), "\(name)")
            #expect(headings.last == "## Further reading", "\(name)")
        }
    }

    @Test func theOverviewHasAnExercise() throws {
        let overview = try #require(try Self.lessons().first)
        #expect(overview.name.hasSuffix("overview.md"))
        #expect(Self.scenarioInfos(overview.lines).contains { $0.contains("predict=true") })
    }

    @Test func noLessonSpeaksOfTheSeed() throws {
        for (name, lines) in try Self.lessons() {
            for (index, line) in lines.enumerated() where line.lowercased().contains("seed") {
                Issue.record("\(name):\(index + 1): '\(line)'")
            }
        }
    }
}
