import AllocatorModels
import Scenarios
import TestSupport
import Testing

@testable import Figures

/// Seeded random snapshots, far busier than the lessons: the layouts must still keep every
/// label inside the drawing and apart from every other label, and the SVG well formed.
@Suite struct RandomLayoutTests {
    /// A variable name from the seeded generator.
    static func name(_ r: inout SeededRandom) -> String {
        let stems = ["p", "buf", "node", "table", "very_long_variable_name", "x"]
        return stems[r.int(0...stems.count - 1)] + "\(r.int(0...99))"
    }

    static func mallocFrame(seed: UInt64) -> FigureFrame {
        var r = SeededRandom(state: seed)
        let base: UInt64 = 0x5555_5555_9000
        var chunks: [MallocSnapshot.Chunk] = [.init(offset: 0, size: 0x290, state: .tcacheStruct)]
        var offset: UInt64 = 0x290
        var labels: [String: UInt64] = [:]
        let states: [MallocSnapshot.ChunkState] = [
            .inUse, .inUse, .tcache, .fastbin, .unsorted, .smallbin, .largebin, .fencepost,
        ]
        for _ in 0..<r.int(0...24) {
            let size = UInt64(r.int(2...(r.int(0...3) == 0 ? 0x4000 : 0x40))) * 16
            let state = states[r.int(0...states.count - 1)]
            chunks.append(.init(offset: offset, size: size, state: state, bin: r.int(0...126)))
            if r.int(0...2) > 0 { labels[Self.name(&r)] = base + offset + 16 }
            offset += size
        }
        let brk = (offset + 0x20000 + 0xfff) & ~0xfff
        chunks.append(.init(offset: offset, size: brk - offset, state: .top))
        var regions: [MallocSnapshot.Region] = [
            .init(start: 0x5555_5555_4000, end: 0x5555_5555_7000, kind: .text, name: "/a"),
            .init(start: 0x5555_5555_7000, end: 0x5555_5555_8000, kind: .data, name: "/a"),
            .init(start: 0x5555_5555_8000, end: base, kind: .bss, name: "/a"),
            .init(start: base, end: base + brk, kind: .heap, name: "[heap]"),
        ]
        var mapped: [MallocSnapshot.MappedChunk] = []
        var address: UInt64 = 0x7fff_f700_0000
        for _ in 0..<r.int(0...4) {
            let size = UInt64(r.int(33...4000)) * 4096
            mapped.append(.init(address: address, size: size))
            regions.append(.init(start: address, end: address + size, kind: .mmapChunk, name: ""))
            if r.int(0...1) == 0 { labels[Self.name(&r)] = address + 16 }
            address += size + UInt64(r.int(0...1)) * 0x1000
        }
        regions.append(
            .init(start: 0x7fff_f7dd_1000, end: 0x7fff_f7ff_e000, kind: .library, name: "libc"))
        regions.append(
            .init(start: 0x7fff_fffd_e000, end: 0x7fff_ffff_f000, kind: .stack, name: "[stack]"))
        let resident = (0..<(brk / 4096)).filter { _ in r.int(0...2) == 0 }.map { $0 * 4096 }
        let snapshot = MallocSnapshot(
            initialBreak: base, brk: brk, heapChunks: chunks, mappedChunks: mapped,
            regions: regions, residentHeapPages: resident)
        return FigureFrame(caption: "seed \(seed)", content: .malloc(snapshot, labels: labels))
    }

    static func kernelFrame(seed: UInt64) -> FigureFrame {
        var r = SeededRandom(state: seed)
        let start = 0x10_0000
        let total = 4096 << r.int(0...3)
        var runs: [KernelSnapshot.PageRun] = []
        var pfn = start
        var caches: [KernelSnapshot.Cache] = []
        var labels: [String: UInt64] = [:]
        let owners: [KernelSnapshot.PageOwner] = [
            .free, .kmallocLarge, .pages, .vmalloc, .reserved,
        ]
        for c in 0..<r.int(0...8) {
            let objects = [4, 8, 16, 21, 32, 42, 64, 128, 256, 512][r.int(0...9)]
            let slabs = (0..<r.int(1...5)).map { _ -> KernelSnapshot.Slab in
                let slab = KernelSnapshot.Slab(
                    pfn: pfn, used: (0..<objects).map { _ in r.int(0...2) > 0 }, state: .partial)
                runs.append(.init(pfn: pfn, count: 1, owner: .slab(cache: "cache-\(c)")))
                if r.int(0...1) == 0 {
                    labels[Self.name(&r)] =
                        KernelLayout.address(ofPfn: pfn)
                        + UInt64(4096 / objects * r.int(0...objects - 1))
                }
                pfn += 1
                return slab
            }
            caches.append(
                .init(
                    name: "cache-\(c)", objectSize: 4096 / objects, objectsPerSlab: objects,
                    pagesPerSlab: 1,
                    slabs: slabs))
            let count = r.int(1...200)
            runs.append(.init(pfn: pfn, count: count, owner: owners[r.int(0...owners.count - 1)]))
            pfn += count
        }
        runs.append(.init(pfn: pfn, count: start + total - pfn, owner: .free))
        var areas: [KernelSnapshot.VmallocArea] = []
        var address = KernelLayout.vmallocStart
        for _ in 0..<r.int(0...3) {
            let pages = r.int(1...(r.int(0...1) == 0 ? 8 : 700))
            let frames = (0..<pages).map { _ in start + r.int(0...total - 1) }
            areas.append(
                .init(
                    address: address, size: UInt64(pages + 1) * 4096, pfns: frames,
                    state: r.int(0...3) == 0 ? .unpurged : .busy))
            labels[Self.name(&r)] = address
            address += UInt64(pages + 1) * 4096
        }
        let lists = (0...10).map { order in (0..<r.int(0...30)).map { start + $0 << order } }
        let snapshot = KernelSnapshot(
            totalPages: total, freeLists: lists, pages: runs, caches: caches, vmallocAreas: areas)
        return FigureFrame(caption: "seed \(seed)", content: .kernel(snapshot, labels: labels))
    }

    static func check(_ frame: FigureFrame, previous: FigureFrame?) {
        let problems = layoutProblems(
            FigureRenderer.draw(frame, previous: previous).panels, frame.caption)
        #expect(problems.isEmpty, "\(problems.prefix(5))")
        #expect(xmlError(FigureRenderer.svg(id: "r", frame: frame, previous: previous)) == nil)
    }

    @Test(arguments: 1...40)
    func randomHeapsLayOutCleanly(seed: Int) {
        let frame = Self.mallocFrame(seed: UInt64(seed))
        Self.check(frame, previous: Self.mallocFrame(seed: UInt64(seed) + 1000))
    }

    @Test(arguments: 1...40)
    func randomMachinesLayOutCleanly(seed: Int) {
        let frame = Self.kernelFrame(seed: UInt64(seed))
        Self.check(frame, previous: Self.kernelFrame(seed: UInt64(seed) + 1000))
    }
}
