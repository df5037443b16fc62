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

    /// The kmalloc lines of the real /proc/slabinfo of this project's 2-CPU machine
    /// (Linux 6.18.44, read with `cat /proc/slabinfo` on 2026-11-30): all four families
    /// exist from boot, newest first (cg, dma, rcl, normal; 8k … 8, then 192, 96 in each).
    static let realLines = """
        kmalloc-cg-8k          8      8   8192    4    8 : tunables    0    0    0 : slabdata      2      2      0
        kmalloc-cg-4k         80    104   4096    8    8 : tunables    0    0    0 : slabdata     13     13      0
        kmalloc-cg-2k        247    272   2048   16    8 : tunables    0    0    0 : slabdata     17     17      0
        kmalloc-cg-1k        209    256   1024   16    4 : tunables    0    0    0 : slabdata     16     16      0
        kmalloc-cg-512       208    208    512   16    2 : tunables    0    0    0 : slabdata     13     13      0
        kmalloc-cg-256        80     80    256   16    1 : tunables    0    0    0 : slabdata      5      5      0
        kmalloc-cg-128        96     96    128   32    1 : tunables    0    0    0 : slabdata      3      3      0
        kmalloc-cg-64        192    192     64   64    1 : tunables    0    0    0 : slabdata      3      3      0
        kmalloc-cg-32        256    256     32  128    1 : tunables    0    0    0 : slabdata      2      2      0
        kmalloc-cg-16        512    512     16  256    1 : tunables    0    0    0 : slabdata      2      2      0
        kmalloc-cg-8        1024   1024      8  512    1 : tunables    0    0    0 : slabdata      2      2      0
        kmalloc-cg-192       329    399    192   21    1 : tunables    0    0    0 : slabdata     19     19      0
        kmalloc-cg-96        210    210     96   42    1 : tunables    0    0    0 : slabdata      5      5      0
        dma-kmalloc-8k         0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-4k         0      0   4096    8    8 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-2k         0      0   2048   16    8 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-1k         0      0   1024   16    4 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-512        0      0    512   16    2 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-256        0      0    256   16    1 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-128        0      0    128   32    1 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-64         0      0     64   64    1 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-32         0      0     32  128    1 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-16         0      0     16  256    1 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-8          0      0      8  512    1 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-192        0      0    192   21    1 : tunables    0    0    0 : slabdata      0      0      0
        dma-kmalloc-96         0      0     96   42    1 : tunables    0    0    0 : slabdata      0      0      0
        kmalloc-rcl-8k         0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0
        kmalloc-rcl-4k         0      0   4096    8    8 : tunables    0    0    0 : slabdata      0      0      0
        kmalloc-rcl-2k         0      0   2048   16    8 : tunables    0    0    0 : slabdata      0      0      0
        kmalloc-rcl-1k         0      0   1024   16    4 : tunables    0    0    0 : slabdata      0      0      0
        kmalloc-rcl-512        0      0    512   16    2 : tunables    0    0    0 : slabdata      0      0      0
        kmalloc-rcl-256     1376   1376    256   16    1 : tunables    0    0    0 : slabdata     86     86      0
        kmalloc-rcl-128     2303   2336    128   32    1 : tunables    0    0    0 : slabdata     73     73      0
        kmalloc-rcl-64         0      0     64   64    1 : tunables    0    0    0 : slabdata      0      0      0
        kmalloc-rcl-32         0      0     32  128    1 : tunables    0    0    0 : slabdata      0      0      0
        kmalloc-rcl-16         0      0     16  256    1 : tunables    0    0    0 : slabdata      0      0      0
        kmalloc-rcl-8          0      0      8  512    1 : tunables    0    0    0 : slabdata      0      0      0
        kmalloc-rcl-192      767    777    192   21    1 : tunables    0    0    0 : slabdata     37     37      0
        kmalloc-rcl-96     16170  16170     96   42    1 : tunables    0    0    0 : slabdata    385    385      0
        kmalloc-8k            36     36   8192    4    8 : tunables    0    0    0 : slabdata      9      9      0
        kmalloc-4k           331    368   4096    8    8 : tunables    0    0    0 : slabdata     46     46      0
        kmalloc-2k           288    288   2048   16    8 : tunables    0    0    0 : slabdata     18     18      0
        kmalloc-1k           778    800   1024   16    4 : tunables    0    0    0 : slabdata     50     50      0
        kmalloc-512        11936  11936    512   16    2 : tunables    0    0    0 : slabdata    746    746      0
        kmalloc-256          896    896    256   16    1 : tunables    0    0    0 : slabdata     56     56      0
        kmalloc-128        10496  10496    128   32    1 : tunables    0    0    0 : slabdata    328    328      0
        kmalloc-64          2549   2752     64   64    1 : tunables    0    0    0 : slabdata     43     43      0
        kmalloc-32          2493   3840     32  128    1 : tunables    0    0    0 : slabdata     30     30      0
        kmalloc-16          3326   3328     16  256    1 : tunables    0    0    0 : slabdata     13     13      0
        kmalloc-8           2048   2048      8  512    1 : tunables    0    0    0 : slabdata      4      4      0
        kmalloc-192         9263   9303    192   21    1 : tunables    0    0    0 : slabdata    443    443      0
        kmalloc-96          3611   3780     96   42    1 : tunables    0    0    0 : slabdata     90     90      0
        """

    @Test func twoCpuFamiliesEqualTheRealSlabinfo() throws {
        let machine = try KernelMachine(cpus: 2)
        let modelLines = machine.slabinfo().split(separator: "\n").filter {
            $0.hasPrefix("kmalloc-") || $0.hasPrefix("dma-kmalloc-")
        }
        let realLines = Self.realLines.split(separator: "\n")
        #expect(modelLines.count == 52)
        #expect(realLines.count == 52)
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
