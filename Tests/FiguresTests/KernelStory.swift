import AllocatorModels
import Figures
import Scenarios

/// A small kernel story for the diagram tests: kmalloc(30) twice, a 16 KiB kmalloc, a
/// 4-page vmalloc with scattered frames, then vfree; a 128 MiB zone, written by hand.
enum KernelStory {
    typealias Run = KernelSnapshot.PageRun
    static let total = 32_768
    static let direct: UInt64 = 0xffff_8880_0000_0000
    static let vmStart: UInt64 = 0xffff_c900_0000_0000

    static func lists(_ low: [[Int]]) -> [[Int]] {
        // Orders 0...9 as given (padded), order 10 the untouched upper blocks.
        var out = low + Array(repeating: [], count: max(0, 10 - low.count))
        out.append(Array(stride(from: 0x1400, to: total, by: 1024)))
        return out
    }

    static func cache(_ used: [Int]) -> KernelSnapshot.Cache {
        var slots = Array(repeating: false, count: 128)
        for i in used { slots[i] = true }
        return .init(
            name: "kmalloc-32", objectSize: 32, objectsPerSlab: 128, pagesPerSlab: 1,
            slabs: [.init(pfn: 0x1000, used: slots, state: .cpu)])
    }

    static func frame(
        _ caption: String, runs: [Run], lists: [[Int]], caches: [KernelSnapshot.Cache],
        areas: [KernelSnapshot.VmallocArea], labels: [String: UInt64]
    ) -> FigureFrame {
        FigureFrame(
            caption: caption,
            content: .kernel(
                KernelSnapshot(
                    totalPages: total, freeLists: lists, pages: runs, caches: caches,
                    vmallocAreas: areas),
                labels: labels))
    }

    static let boot: [Run] = [.init(pfn: 0, count: 0x1000, owner: .reserved)]
    /// Reserved pages, the kmalloc-32 slab, 3 free pages and the 16 KiB kmalloc block.
    static let withBig: [Run] =
        boot + [
            Run(pfn: 0x1000, count: 1, owner: .slab(cache: "kmalloc-32")),
            Run(pfn: 0x1001, count: 3, owner: .free),
            Run(pfn: 0x1004, count: 4, owner: .kmallocLarge),
        ]
    /// Free lists once the 16 KiB block is taken (and again after vfree).
    static let listsWithBig = lists([
        [0x1001], [0x1002], [], [0x1008], [0x1010], [0x1020], [0x1040], [0x1080], [0x1100],
        [0x1200],
    ])
    static let bigLabels: [String: UInt64] = [
        "a": direct + 0x100_0000, "b": direct + 0x100_0020, "big": direct + 0x100_4000,
    ]
    static let area = KernelSnapshot.VmallocArea(
        address: vmStart, size: 20_480, pfns: [0x1008, 0x1009, 0x100c, 0x100a], state: .busy)

    static let frames: [FigureFrame] = [
        frame(
            "a = kmalloc(30, GFP_KERNEL);",
            runs: boot + [
                Run(pfn: 0x1000, count: 1, owner: .slab(cache: "kmalloc-32")),
                Run(pfn: 0x1001, count: total - 0x1001, owner: .free),
            ],
            lists: lists([
                [0x1001], [0x1002], [0x1004], [0x1008], [0x1010], [0x1020], [0x1040],
                [0x1080], [0x1100], [0x1200],
            ]),
            caches: [cache([0])], areas: [], labels: ["a": direct + 0x100_0000]),
        frame(
            "b = kmalloc(30, GFP_KERNEL);",
            runs: boot + [
                Run(pfn: 0x1000, count: 1, owner: .slab(cache: "kmalloc-32")),
                Run(pfn: 0x1001, count: total - 0x1001, owner: .free),
            ],
            lists: lists([
                [0x1001], [0x1002], [0x1004], [0x1008], [0x1010], [0x1020], [0x1040],
                [0x1080], [0x1100], [0x1200],
            ]),
            caches: [cache([0, 1])], areas: [],
            labels: ["a": direct + 0x100_0000, "b": direct + 0x100_0020]),
        frame(
            "big = kmalloc(16 * 1024, GFP_KERNEL);",
            runs: withBig + [Run(pfn: 0x1008, count: total - 0x1008, owner: .free)],
            lists: listsWithBig,
            caches: [cache([0, 1])], areas: [],
            labels: bigLabels),
        frame(
            "buf = vmalloc(4 * 4096);",
            runs: withBig + [
                Run(pfn: 0x1008, count: 3, owner: .vmalloc),
                Run(pfn: 0x100b, count: 1, owner: .free),
                Run(pfn: 0x100c, count: 1, owner: .vmalloc),
                Run(pfn: 0x100d, count: total - 0x100d, owner: .free),
            ],
            lists: lists([
                [0x100b, 0x1001, 0x100d], [0x1002, 0x100e], [], [], [0x1010], [0x1020],
                [0x1040], [0x1080], [0x1100], [0x1200],
            ]),
            caches: [cache([0, 1])], areas: [area],
            labels: bigLabels.merging(["buf": vmStart]) { a, _ in a }),
        frame(
            "vfree(buf);",
            runs: withBig + [Run(pfn: 0x1008, count: total - 0x1008, owner: .free)],
            lists: listsWithBig,
            caches: [cache([0, 1])],
            areas: [.init(address: vmStart, size: 20_480, pfns: [], state: .unpurged)],
            labels: bigLabels.merging(["buf": vmStart]) { a, _ in a }),
    ]
}
