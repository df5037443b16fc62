import AllocatorModels
import Foundation
import Scenarios
import SiteBuilder
import Testing

@testable import Figures

/// The diagrams of the course itself (content/*.md, run by the real models): every frame of
/// every scenario is well formed, has no overlapping labels, and the malloc lesson's figures
/// stay light.
@Suite struct CourseFigureTests {
    static let content = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("content")

    /// Every scenario of a lesson with its frames, run without the real-glibc verifier.
    static func scenarios(_ file: String) throws -> [ScenarioBlockResult] {
        let url = content.appendingPathComponent(file)
        let bytes = Array(try Data(contentsOf: url))
        let runner = LessonScenarioRunner(engines: ScenarioEngines.standard, verifier: nil)
        return runner.run(path: "content/" + file, lines: LessonLines(bytes), slug: file)
    }

    static var lessons: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: content.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted()
    }

    @Test func theCourseHasLessonsWithFigures() throws {
        #expect(Self.lessons.count >= 3, "no lessons found in \(Self.content.path)")
        let frames = try Self.lessons.flatMap { try Self.scenarios($0) }.flatMap(\.frames)
        #expect(frames.count > 20)
    }

    @Test(arguments: lessons)
    func everyFrameIsWellFormedWithoutLabelCollisions(lesson: String) throws {
        for scenario in try Self.scenarios(lesson) where !scenario.frames.isEmpty {
            let html = FigureRenderer.render(id: scenario.id, frames: scenario.frames, mode: .steps)
            for svg in svgElements(in: html, all: true) {
                #expect(xmlError(svg) == nil, "\(scenario.id): \(svg.prefix(120))")
            }
            for (index, frame) in scenario.frames.enumerated() {
                let previous = index > 0 ? scenario.frames[index - 1] : nil
                let canvas = FigureRenderer.draw(frame, previous: previous).canvas
                let where_ = "\(scenario.id) step \(index + 1)"
                for (i, a) in canvas.labels.enumerated() {
                    #expect(
                        a.isInside(width: Double(canvas.width), height: Double(canvas.height)),
                        "\(where_): '\(a.text)' leaves the drawing")
                    for b in canvas.labels[(i + 1)...] {
                        #expect(!a.overlaps(b), "\(where_): '\(a.text)' overlaps '\(b.text)'")
                    }
                }
            }
        }
    }

    /// Page weight: the figures of the malloc lesson, and of the vmalloc lesson with its large
    /// areas, as the site renders them, leave room for the text under the 300 KB target for a
    /// page. (The lesson is found by its slug: `vmalloc` contains `malloc` too.)
    @Test(arguments: ["malloc", "vmalloc"])
    func lessonFiguresStayUnder200KB(slug: String) throws {
        guard
            let lesson = Self.lessons.first(where: {
                $0.drop(while: { $0.isNumber }).dropFirst() == "\(slug).md"
            })
        else {
            Issue.record("no \(slug) lesson in \(Self.content.path)")
            return
        }
        var bytes = FigureRenderer.sharedDefinitions.utf8.count
        var frames = 0
        for scenario in try Self.scenarios(lesson) {
            guard let mode = scenario.options?.figure else { continue }
            bytes +=
                FigureRenderer.render(id: scenario.id, frames: scenario.frames, mode: mode).utf8
                .count
            frames += mode == .steps ? scenario.frames.count : (mode == .final ? 1 : 0)
        }
        #expect(frames > 10)
        #expect(bytes < 200_000, "\(lesson): \(bytes) bytes of figures for \(frames) frames")
    }
}
