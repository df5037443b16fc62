import AllocatorModels
import Replay
import Scenarios

/// `verify=kernel`: each verified block's session, from its first statement to the block's
/// last, replayed in a real Linux 6.1 kernel; the blocks of every lesson in one boot per CPU
/// count.
extension LessonScenarioRunner {
    func verifyKernel(_ lessons: inout [ScenarioCheck.Lesson]) {
        guard let kernelVerifier else { return }
        var places: [(lesson: Int, block: Int)] = []
        var jobs: [KernelVerificationJob] = []
        for (l, lesson) in lessons.enumerated() {
            for (b, result) in lesson.results.enumerated() {
                guard let job = result.kernelJob else { continue }
                places.append((l, b))
                jobs.append(job)
            }
        }
        guard !jobs.isEmpty else { return }
        let outcomes = kernelVerifier.verifyExplained(jobs)
        for (place, verification) in zip(places, outcomes) {
            let path = lessons[place.lesson].path
            // What the model did at each statement of the lesson, by line.
            var paths: [Int: [PathHit]] = [:]
            for result in lessons[place.lesson].results {
                guard let statements = result.program?.statements else { continue }
                for (statement, hits) in zip(statements, result.paths) {
                    paths[statement.line] = hits
                }
            }
            record(
                verification.outcome, into: &lessons[place.lesson].results[place.block],
                path: path, paths: paths, option: "verify=kernel",
                explanations: verification.explanations)
        }
    }
}
