import AllocatorModels
import Scenarios
import TestSupport
import Testing

@testable import Figures

/// Layout properties of every diagram kind: no two labels overlap, every label lies inside
/// the drawing, and labels inside chunk boxes fit them.
@Suite struct LayoutTests {
    static var frames: [FigureFrame] {
        SeedStory.frames + [SeedStory.start, SeedStory.bins] + KernelStory.frames + [
            Self.crowdedKernel
        ]
    }

    /// Many caches, slabs, scattered runs and a large vmalloc area at once.
    static var crowdedKernel: FigureFrame {
        var runs: [KernelSnapshot.PageRun] = [.init(pfn: 0, count: 0x400, owner: .reserved)]
        var pfn = 0x400
        let caches = (0..<7).map { i in
            KernelSnapshot.Cache(
                name: "kmalloc-\(8 << i)", objectSize: 8 << i, objectsPerSlab: 4096 / (8 << i),
                pagesPerSlab: 1,
                slabs: (0..<5).map { s in
                    .init(
                        pfn: 0x400 + i * 5 + s,
                        used: (0..<(4096 / (8 << i))).map { ($0 + s) % 3 != 0 },
                        state: s == 0 ? .cpu : .partial)
                })
        }
        for cache in caches {
            runs.append(.init(pfn: pfn, count: 5, owner: .slab(cache: cache.name)))
            pfn += 5
        }
        runs.append(.init(pfn: pfn, count: 4, owner: .kmallocLarge))
        runs.append(.init(pfn: pfn + 4, count: 2, owner: .pages))
        runs.append(.init(pfn: pfn + 6, count: 300, owner: .vmalloc))
        runs.append(.init(pfn: pfn + 306, count: 16384 - pfn - 306, owner: .free))
        let area = KernelSnapshot.VmallocArea(
            address: 0xffff_c900_0000_0000, size: 301 * 4096,
            pfns: (0..<300).map { pfn + 6 + ($0 * 7) % 300 }, state: .busy)
        let lists = (0...10).map { order in
            (0..<(order == 0 ? 40 : order)).map { 0x2000 + $0 << order }
        }
        let labels: [String: UInt64] = Dictionary(
            uniqueKeysWithValues: (0..<6).map {
                ("object_\($0)", KernelStory.direct + UInt64(0x400 + $0) * 4096 + UInt64($0 * 64))
            } + [("area", 0xffff_c900_0000_0000)])
        return FigureFrame(
            caption: "crowded",
            content: .kernel(
                KernelSnapshot(
                    totalPages: 16384, freeLists: lists, pages: runs, caches: caches,
                    vmallocAreas: [area]),
                labels: labels))
    }

    @Test(arguments: frames.indices)
    func labelsDoNotOverlapAndStayInside(index: Int) {
        let frames = Self.frames
        let panels = FigureRenderer.draw(
            frames[index], previous: index > 0 ? frames[index - 1] : nil
        ).panels
        #expect(panels.panels.reduce(0) { $0 + $1.labels.count } > 5)
        let problems = layoutProblems(panels, "frame \(index)")
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test func overviewLabelsDoNotOverlap() throws {
        let problems = layoutProblems(OverviewFigure.draw(OverviewFixture.text), "overview")
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    @Test func chunkLabelsFitTheirBoxes() {
        for frame in SeedStory.frames + [SeedStory.bins] {
            // The heap panel (the second) ends with the label of the initial break.
            let canvas = FigureRenderer.draw(frame, previous: nil).panels.panels[1]
            // The column ends with the label of the initial break.
            let bottom = canvas.labels.first { $0.text.hasPrefix("heap+0x0 = ") }?.y ?? 0
            #expect(bottom > 100)
            for label in canvas.labels
            where label.x >= Double(MallocFigure.detailX)
                && label.x < Double(MallocFigure.barX) && label.y > Double(MallocFigure.detailTop)
                && label.y < bottom
            {
                #expect(
                    label.x + label.width <= Double(MallocFigure.barX - 4),
                    "'\(label.text)' overflows its chunk")
            }
        }
    }

    @Test func theAxisIsBrokenSoGapsOfAnySizeTakeTheSameHeight() {
        let svg = FigureRenderer.svg(id: "g", frame: SeedStory.frames[2], previous: nil)
        #expect(svg.contains(">unmapped 42.7 TiB</text>"))
        #expect(svg.contains(">unmapped 4 KiB</text>"))
        #expect(svg.contains(">C: mmapped 204 KiB</text>"))
        // Every gap is two zigzags 20 px apart, whatever the size of the hole.
        #expect(svg.components(separatedBy: "href=\"#abp-zig\"").count - 1 == 2 * 3)
    }

    @Test func sizesPrintExactlyOrToOneDecimal() {
        #expect(Units.bytes(656) == "656 B")
        #expect(Units.bytes(30 * 1024) == "30 KiB")
        #expect(Units.bytes(30736) == "30.0 KiB")
        #expect(Units.bytes(208_896) == "204 KiB")
        #expect(Units.bytes(0x7fff_f7da_c000 - 0x5555_5557_a000) == "42.7 TiB")
        #expect(Units.bytes(UInt64.max) == "16.0 EiB")
        #expect(Units.hex(0x5555_5555_9000 as UInt64) == "0x555555559000")
    }
}
