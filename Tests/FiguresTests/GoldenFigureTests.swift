import AllocatorModels
import Testing

@testable import Figures

/// Golden files for every diagram kind (Snapshots/, recorded when missing or with
/// RECORD_SNAPSHOTS=1).
@Suite struct GoldenFigureTests {
    @Test func mallocStepsFigure() throws {
        assertSnapshot(
            FigureRenderer.render(id: "seed", frames: SeedStory.withInspection, mode: .steps),
            named: "malloc-seed-steps.html")
    }

    @Test func mallocFinalFigure() throws {
        assertSnapshot(
            FigureRenderer.render(id: "seed", frames: SeedStory.frames, mode: .final),
            named: "malloc-seed-final.html")
    }

    @Test func mallocEveryBinState() throws {
        assertSnapshot(
            FigureRenderer.svg(id: "bins", frame: SeedStory.bins, previous: nil),
            named: "malloc-bins.svg")
    }

    @Test func mallocBeforeTheFirstCall() throws {
        assertSnapshot(
            FigureRenderer.svg(id: "start", frame: SeedStory.start, previous: nil),
            named: "malloc-empty.svg")
    }

    @Test func kernelStepsFigure() throws {
        assertSnapshot(
            FigureRenderer.render(id: "kernel", frames: KernelStory.frames, mode: .steps),
            named: "kernel-steps.html")
    }

    @Test func kernelCrowded() throws {
        assertSnapshot(
            FigureRenderer.svg(id: "crowded", frame: LayoutTests.crowdedKernel, previous: nil),
            named: "kernel-crowded.svg")
    }

    @Test func overview() throws {
        assertSnapshot(
            FigureRenderer.overviewFigure(OverviewFixture.text), named: "overview.html")
    }

    @Test func sharedDefinitions() throws {
        assertSnapshot(FigureRenderer.sharedDefinitions, named: "definitions.svg")
    }

    @Test func renderingTwiceGivesTheSameBytes() {
        let frames = SeedStory.withInspection
        #expect(
            FigureRenderer.render(id: "a", frames: frames, mode: .steps)
                == FigureRenderer.render(id: "a", frames: frames, mode: .steps))
        #expect(
            FigureRenderer.render(id: "k", frames: KernelStory.frames, mode: .steps)
                == FigureRenderer.render(id: "k", frames: KernelStory.frames, mode: .steps))
    }
}
