import AllocatorModels
import Figures
import Scenarios

/// The seed article's malloc story (A=30K, B=40K, C=200K mmapped, D=100K, free C, B, D) as
/// glibc 2.36 on x86_64 lays it out, written by hand for the diagram tests.
enum SeedStory {
    static let base: UInt64 = 0x5555_5555_9000
    static let mmapC: UInt64 = 0x7fff_f7d7_9000
    typealias Chunk = MallocSnapshot.Chunk

    static let regionsBelowHeap: [MallocSnapshot.Region] = [
        .init(start: 0x5555_5555_4000, end: 0x5555_5555_6000, kind: .text, name: "/tmp/story"),
        .init(start: 0x5555_5555_7000, end: 0x5555_5555_8000, kind: .data, name: "/tmp/story"),
        .init(start: 0x5555_5555_8000, end: 0x5555_5555_9000, kind: .bss, name: "/tmp/story"),
    ]
    static let regionsAbove: [MallocSnapshot.Region] = [
        .init(
            start: 0x7fff_f7da_c000, end: 0x7fff_f7f4_1000, kind: .library,
            name: "/usr/lib/x86_64-linux-gnu/libc.so.6"),
        .init(
            start: 0x7fff_f7f4_1000, end: 0x7fff_f7fc_1000, kind: .library,
            name: "/usr/lib/x86_64-linux-gnu/libc.so.6"),
        .init(
            start: 0x7fff_f7fc_3000, end: 0x7fff_f7ff_e000, kind: .library,
            name: "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"),
        .init(start: 0x7fff_fffd_e000, end: 0x7fff_ffff_f000, kind: .stack, name: "[stack]"),
    ]

    static func snapshot(
        brk: UInt64, chunks: [Chunk], mapped: Bool, resident: [UInt64]
    ) -> MallocSnapshot {
        var regions = regionsBelowHeap
        if brk > 0 {
            regions.append(.init(start: base, end: base + brk, kind: .heap, name: "[heap]"))
        }
        if mapped {
            regions.append(.init(start: mmapC, end: mmapC + 208_896, kind: .mmapChunk, name: ""))
        }
        regions += regionsAbove
        return MallocSnapshot(
            initialBreak: base, brk: brk, heapChunks: chunks,
            mappedChunks: mapped ? [.init(address: mmapC, size: 208_896)] : [],
            regions: regions, residentHeapPages: resident.map { $0 * 4096 })
    }

    static let tcs = Chunk(offset: 0, size: 0x290, state: .tcacheStruct)
    static let a = Chunk(offset: 0x290, size: 0x7810, state: .inUse)
    static let b = Chunk(offset: 0x7aa0, size: 0xa010, state: .inUse)
    static let d = Chunk(offset: 0x11ab0, size: 0x19010, state: .inUse)

    /// The pointers the story's variables hold.
    static let pointers: [String: UInt64] = [
        "A": base + 0x2a0, "B": base + 0x7ab0, "C": mmapC + 16, "D": base + 0x11ac0,
    ]

    static func labels(_ names: String...) -> [String: UInt64] {
        pointers.filter { names.contains($0.key) }
    }

    /// Frames after each statement.
    static let frames: [FigureFrame] = [
        FigureFrame(
            caption: "A = malloc(30 * 1024);",
            content: .malloc(
                snapshot(
                    brk: 0x21000,
                    chunks: [tcs, a, Chunk(offset: 0x7aa0, size: 0x19560, state: .top)],
                    mapped: false, resident: [0, 7]), labels: labels("A"))),
        FigureFrame(
            caption: "B = malloc(40 * 1024);",
            content: .malloc(
                snapshot(
                    brk: 0x21000,
                    chunks: [tcs, a, b, Chunk(offset: 0x11ab0, size: 0xf550, state: .top)],
                    mapped: false, resident: [0, 7, 0x11]), labels: labels("A", "B"))),
        FigureFrame(
            caption: "C = malloc(200 * 1024);",
            content: .malloc(
                snapshot(
                    brk: 0x21000,
                    chunks: [tcs, a, b, Chunk(offset: 0x11ab0, size: 0xf550, state: .top)],
                    mapped: true, resident: [0, 7, 0x11]), labels: labels("A", "B", "C"))),
        FigureFrame(
            caption: "D = malloc(100 * 1024);",
            content: .malloc(
                snapshot(
                    brk: 0x4b000,
                    chunks: [tcs, a, b, d, Chunk(offset: 0x2aac0, size: 0x20540, state: .top)],
                    mapped: true, resident: [0, 7, 0x11, 0x2a]), labels: labels("A", "B", "C", "D"))
        ),
        FigureFrame(
            caption: "free(C);",
            content: .malloc(
                snapshot(
                    brk: 0x4b000,
                    chunks: [tcs, a, b, d, Chunk(offset: 0x2aac0, size: 0x20540, state: .top)],
                    mapped: false, resident: [0, 7, 0x11, 0x2a]), labels: labels("A", "B", "C", "D")
            )),
        FigureFrame(
            caption: "free(B);",
            content: .malloc(
                snapshot(
                    brk: 0x4b000,
                    chunks: [
                        tcs, a, Chunk(offset: 0x7aa0, size: 0xa010, state: .unsorted), d,
                        Chunk(offset: 0x2aac0, size: 0x20540, state: .top),
                    ],
                    mapped: false, resident: [0, 7, 0x11, 0x2a]), labels: labels("A", "B", "C", "D")
            )),
        FigureFrame(
            caption: "free(D);",
            content: .malloc(
                snapshot(
                    brk: 0x28000,
                    chunks: [tcs, a, Chunk(offset: 0x7aa0, size: 0x20560, state: .top)],
                    mapped: false, resident: [0, 7, 0x11]), labels: labels("A", "B", "C", "D"))),
    ]

    /// The state before the first call: no heap yet.
    static let start = FigureFrame(
        caption: "int main(void) {",
        content: .malloc(snapshot(brk: 0, chunks: [], mapped: false, resident: []), labels: [:]))

    /// Small chunks in every bin state, for the legend and the one-line labels.
    static let bins = FigureFrame(
        caption: "free(p[3]);",
        content: .malloc(
            snapshot(
                brk: 0x21000,
                chunks: [
                    tcs,
                    Chunk(offset: 0x290, size: 0x20, state: .tcache, bin: 0),
                    Chunk(offset: 0x2b0, size: 0x20, state: .fastbin, bin: 0),
                    Chunk(offset: 0x2d0, size: 0x410, state: .inUse),
                    Chunk(offset: 0x6e0, size: 0x510, state: .unsorted),
                    Chunk(offset: 0xbf0, size: 0x20, state: .inUse),
                    Chunk(offset: 0xc10, size: 0x3f0, state: .smallbin, bin: 63),
                    Chunk(offset: 0x1000, size: 0x20, state: .inUse),
                    Chunk(offset: 0x1020, size: 0x1010, state: .largebin, bin: 68),
                    Chunk(offset: 0x2030, size: 0x20, state: .inUse),
                    Chunk(offset: 0x2050, size: 0x1efb0, state: .top),
                ],
                mapped: false, resident: [0, 1, 2]),
            labels: [
                "p[0]": base + 0x2a0, "p[1]": base + 0x2c0, "p[2]": base + 0x2e0,
                "guard1": base + 0xc00, "p[3]": base + 0x6f0, "p[4]": base + 0xc20,
                "p[5]": base + 0x1030, "guard2": base + 0x1010, "guard3": base + 0x2040,
            ]))
}

extension SeedStory {
    /// The story with an inspection statement after the first call, which changes nothing.
    static var withInspection: [FigureFrame] {
        var frames = SeedStory.frames
        frames.insert(
            FigureFrame(caption: "cat /proc/self/maps", content: frames[0].content), at: 1)
        return frames
    }
}
