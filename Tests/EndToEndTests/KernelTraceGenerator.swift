/// Seeded random kernel traces for the differential tests against a real Linux 6.1 kernel:
/// kmalloc of every class (and 0 and large sizes), kfree in random order, the trace's own
/// caches, alloc_pages / free_pages, and (when `vmalloc` is set) vmalloc / vfree.
struct KernelTraceGenerator {
    var random: GlibcTraceGenerator.Random

    init(seed: UInt64) {
        random = GlibcTraceGenerator.Random(state: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
    }

    mutating func below(_ n: Int) -> Int { Int(random.below(UInt64(n))) }

    /// Sizes that hit every kmalloc class and its edges.
    static let classSizes: [UInt64] = [
        1, 8, 9, 16, 24, 32, 40, 64, 65, 96, 97, 128, 129, 192, 193, 256, 300, 512, 513, 1000,
        1024, 2000, 2048, 3000, 4096, 5000, 8192,
    ]

    mutating func trace(steps: Int, vmalloc: Bool) -> String {
        var lines: [String] = []
        var live: [(id: String, kind: String)] = []
        var counter = 0
        var caches: [String] = []
        for c in 0..<2 {
            let name = "dt_cache\(c)_\(below(1000))"
            lines.append("kmem_cache_create \(name) \(8 * (1 + below(64)))")
            caches.append(name)
        }
        while lines.count < steps {
            let roll = below(100)
            counter += 1
            let id = "o\(counter)"
            if !live.isEmpty && roll < 42 {
                let victim = live.remove(at: below(live.count))
                let op: String
                switch victim.kind {
                case "pages": op = "free_pages"
                case "vmalloc": op = "vfree"
                case "cache": op = "kmem_cache_free"
                default: op = "kfree"
                }
                lines.append("\(op) \(victim.id)")
            } else if roll < 70 {
                let size = Self.classSizes[below(Self.classSizes.count)]
                lines.append("\(below(4) == 0 ? "kzalloc" : "kmalloc") \(id) \(size)")
                live.append((id, "kmalloc"))
            } else if roll < 85 {
                lines.append("kmem_cache_alloc \(id) \(caches[below(caches.count)])")
                live.append((id, "cache"))
            } else if roll < 89 {
                let sizes: [UInt64] = [0, 8193, 16384, 16385, 65536, 131072]
                lines.append("kmalloc \(id) \(sizes[below(sizes.count)])")
                live.append((id, "kmalloc"))
            } else if roll < 95 || !vmalloc {
                lines.append("alloc_pages \(id) \(below(7))")
                live.append((id, "pages"))
            } else {
                lines.append("vmalloc \(id) \(1 + below(64 * 4096))")
                live.append((id, "vmalloc"))
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
