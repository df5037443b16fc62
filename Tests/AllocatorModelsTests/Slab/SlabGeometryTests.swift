import Testing

@testable import AllocatorModels

@Suite struct SlabGeometryTests {
    static let sizes = [8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192]

    /// Spec §2.4 table: objperslab/pagesperslab per class, by CPU count.
    static let table: [Int: [(Int, Int)]] = [
        1: [
            (512, 1), (256, 1), (128, 1), (64, 1), (42, 1), (32, 1), (21, 1), (16, 1), (8, 1),
            (8, 2), (8, 4), (8, 8), (4, 8),
        ],
        2: [
            (512, 1), (256, 1), (128, 1), (64, 1), (42, 1), (32, 1), (21, 1), (16, 1), (16, 2),
            (16, 4), (16, 8), (8, 8), (4, 8),
        ],
        4: [
            (512, 1), (256, 1), (128, 1), (64, 1), (42, 1), (32, 1), (21, 1), (16, 1), (16, 2),
            (16, 4), (16, 8), (8, 8), (4, 8),
        ],
        64: [
            (512, 1), (256, 1), (128, 1), (64, 1), (42, 1), (32, 1), (42, 2), (32, 2), (32, 4),
            (32, 8), (16, 8), (8, 8), (4, 8),
        ],
    ]

    @Test(arguments: [1, 2, 4, 64])
    func geometryMatchesTheSpecTable(cpus: Int) throws {
        let expected = try #require(Self.table[cpus])
        for (size, (objects, pages)) in zip(Self.sizes, expected) {
            let g = SlabGeometry(size: size, cpus: cpus)
            #expect(g.objectsPerSlab == objects, "kmalloc-\(size) at \(cpus) CPUs")
            #expect(g.pagesPerSlab == pages, "kmalloc-\(size) at \(cpus) CPUs")
        }
    }

    /// The real /proc/slabinfo lines of the 2-CPU reference machine (spec §2.6).
    static let realLines = """
        kmalloc-8k            36     36   8192    4    8 : tunables    0    0    0 : slabdata      9      9      0
        kmalloc-4k           328    400   4096    8    8 : tunables    0    0    0 : slabdata     50     50      0
        kmalloc-2k           288    288   2048   16    8 : tunables    0    0    0 : slabdata     18     18      0
        kmalloc-1k           850    912   1024   16    4 : tunables    0    0    0 : slabdata     57     57      0
        kmalloc-512         6304   8032    512   16    2 : tunables    0    0    0 : slabdata    502    502      0
        kmalloc-256          823    864    256   16    1 : tunables    0    0    0 : slabdata     54     54      0
        kmalloc-128        11680  11680    128   32    1 : tunables    0    0    0 : slabdata    365    365      0
        kmalloc-64          2657   2880     64   64    1 : tunables    0    0    0 : slabdata     45     45      0
        kmalloc-32          2135   3328     32  128    1 : tunables    0    0    0 : slabdata     26     26      0
        kmalloc-16          3324   3328     16  256    1 : tunables    0    0    0 : slabdata     13     13      0
        kmalloc-8           2048   2048      8  512    1 : tunables    0    0    0 : slabdata      4      4      0
        kmalloc-192         8463   8463    192   21    1 : tunables    0    0    0 : slabdata    403    403      0
        kmalloc-96          3452   3486     96   42    1 : tunables    0    0    0 : slabdata     83     83      0
        """

    @Test func twoCpuGeometryEqualsTheRealSlabinfo() throws {
        let machine = try KernelMachine(cpus: 2)
        let modelLines = machine.slabinfo().split(separator: "\n").filter {
            $0.hasPrefix("kmalloc-")
        }
        let realLines = Self.realLines.split(separator: "\n")
        #expect(modelLines.count == 13)
        for (model, real) in zip(modelLines, realLines) {
            let m = model.split(separator: " ")
            let r = real.split(separator: " ")
            // name, objsize, objperslab, pagesperslab, in the same order (newest first).
            #expect(m[0] == r[0])
            #expect(m[3...5] == r[3...5], "\(r[0])")
        }
    }

    @Test func perCacheLimitsMatchSysfs() {
        // spec §2.6: min_partial 5, 6 for 4k/8k; cpu_partial 120/52/24/6.
        for size in Self.sizes {
            let g = SlabGeometry(size: size, cpus: 2)
            #expect(g.minPartial == (size >= 4096 ? 6 : 5))
            let cpuPartial = size >= 4096 ? 6 : size >= 1024 ? 24 : size >= 256 ? 52 : 120
            #expect(g.cpuPartial == cpuPartial)
            #expect(g.cpuPartialSlabs == (2 * cpuPartial + g.objectsPerSlab - 1) / g.objectsPerSlab)
        }
    }
}
