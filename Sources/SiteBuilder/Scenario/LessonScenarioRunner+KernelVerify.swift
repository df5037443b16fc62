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
        let outcomes = kernelVerifier.verify(jobs)
        for (place, outcome) in zip(places, outcomes) {
            let path = lessons[place.lesson].path
            record(
                outcome, into: &lessons[place.lesson].results[place.block], path: path,
                option: "verify=kernel")
        }
    }
}
