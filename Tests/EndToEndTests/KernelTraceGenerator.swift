import TestSupport

/// Seeded random kernel traces for the differential tests against a real Linux 6.1 kernel:
/// kmalloc of every class (and 0 and large sizes), kfree in random order, the trace's own
/// caches, alloc_pages / free_pages, and (when `vmalloc` is set) vmalloc / vfree; `api(steps:)`
/// adds the helpers drivers call: kmalloc_array / kcalloc (overflow included), krealloc,
/// kvmalloc / kvzalloc / kvfree (all three paths), kvmalloc_array / kvcalloc and 6.1's
/// kvrealloc.
struct KernelTraceGenerator {
    var random: SeededRandom

    init(seed: UInt64) {
        random = SeededRandom(state: seed &* 0x9E37_79B9_7F4A_7C15 | 1)
    }

    mutating func below(_ n: Int) -> Int { Int(random.below(UInt64(n))) }

    /// The call that frees an object of a kind (`pages`, `vmalloc`, `cache`, `kv`, `kmalloc`).
    static func free(_ kind: String) -> String {
        switch kind {
        case "pages": return "free_pages"
        case "vmalloc": return "vfree"
        case "cache": return "kmem_cache_free"
        case "kv": return "kvfree"
        default: return "kfree"
        }
    }

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
                lines.append("\(Self.free(victim.kind)) \(victim.id)")
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

    /// Element counts and sizes of the `*_array` calls, and the products that overflow.
    static let counts: [UInt64] = [0, 1, 2, 3, 10, 16, 100, 1000]
    static let elements: [UInt64] = [1, 8, 24, 100, 128, 1000, 4096]
    static let overflows: [(UInt64, UInt64)] = [
        (1 << 40, 1 << 30), (UInt64.max, 2), (1 << 33, 1 << 31),
    ]
    /// kvmalloc sizes above 8 KiB that kmalloc serves (orders 2 to 8).
    static let mediumSizes: [UInt64] = [8193, 12000, 16384, 40000, 100000, 300000, 1 << 20]

    /// A kvmalloc size: a kmalloc class, a size the page allocator serves, or (when
    /// `vmalloc` is set) one above KMALLOC_MAX_SIZE, which takes the vmalloc path.
    mutating func kvSize(vmalloc: Bool) -> UInt64 {
        let roll = below(10)
        if roll < 5 { return Self.classSizes[below(Self.classSizes.count)] }
        if roll < 9 || !vmalloc { return Self.mediumSizes[below(Self.mediumSizes.count)] }
        return (4 << 20) + 1 + UInt64(below(2 << 20))
    }

    /// `count size` of an `*_array` call: mostly the product of a count and an element size,
    /// one in eight a product that overflows size_t.
    mutating func arrayArguments(vmalloc: Bool) -> String {
        if below(8) == 0 {
            let (n, size) = Self.overflows[below(Self.overflows.count)]
            return "\(n) \(size)"
        }
        if vmalloc && below(10) == 0 { return "\(1 + below(4)) \((2 << 20) + UInt64(below(4096)))" }
        return
            "\(Self.counts[below(Self.counts.count)]) \(Self.elements[below(Self.elements.count)])"
    }

    /// A trace of the allocator API around kmalloc (see the type's summary), `steps` lines.
    mutating func api(steps: Int, vmalloc: Bool) -> String {
        var lines: [String] = []
        // kind: kmalloc (kfree), cache (kmem_cache_free), kv (kvfree), pages (free_pages)
        var live: [(id: String, kind: String, cache: Int)] = []
        var counter = 0
        var caches: [(name: String, size: Int)] = []
        // The sizes of live kvmalloc'ed objects (what kvrealloc's caller passes as oldsize).
        var kvSizes: [String: UInt64] = [:]
        for c in 0..<2 {
            // Sizes that are not all multiples of 8: ksize (the slot) exceeds the object.
            let size = 8 * (1 + below(32)) - below(8)
            let name = "api_cache\(c)_\(below(1000))"
            lines.append("kmem_cache_create \(name) \(size)")
            caches.append((name, size))
        }
        if vmalloc {
            // Callers that may not sleep, above KMALLOC_MAX_SIZE: kmalloc fails, and they get
            // no vmalloc fallback (NULL).
            lines.append("kvmalloc nowait \((4 << 20) + 1 + below(1 << 20)) GFP_NOWAIT")
            lines.append("kvcalloc atomic 2 \((2 << 20) + 1 + below(1 << 20)) GFP_ATOMIC")
        }
        while lines.count < steps {
            let roll = below(100)
            counter += 1
            let id = "o\(counter)"
            if !live.isEmpty && roll < 35 {
                let victim = live.remove(at: below(live.count))
                kvSizes[victim.id] = nil
                lines.append("\(Self.free(victim.kind)) \(victim.id)")
            } else if roll < 48 {
                let size = Self.classSizes[below(Self.classSizes.count)]
                lines.append("\(below(4) == 0 ? "kzalloc" : "kmalloc") \(id) \(size)")
                live.append((id, "kmalloc", -1))
            } else if roll < 56 {
                let c = below(caches.count)
                lines.append("kmem_cache_alloc \(id) \(caches[c].name)")
                live.append((id, "cache", c))
            } else if roll < 65 {
                let call = below(3) == 0 ? "kcalloc" : "kmalloc_array"
                lines.append("\(call) \(id) \(arrayArguments(vmalloc: false))")
                live.append((id, "kmalloc", -1))
            } else if roll < 76, !reallocatable(live).isEmpty {
                let candidates = reallocatable(live)
                let k = candidates[below(candidates.count)]
                let target = live[k]
                let size: UInt64
                switch below(8) {
                case 0: size = 0
                case 1: size = [10000, 20000, 70000][below(3)]
                case 2 where target.cache >= 0:
                    // Between the object size and the slot: in place in 6.1 (ksize).
                    size = UInt64(caches[target.cache].size + below(8))
                default: size = Self.classSizes[below(Self.classSizes.count)]
                }
                lines.append("krealloc \(target.id) \(size)")
                if size == 0 {
                    live.remove(at: k)
                } else {
                    live[k].kind = "kmalloc"
                    live[k].cache = -1
                }
            } else if roll < 80, live.contains(where: { kvSizes[$0.id] != nil }) {
                let candidates = live.indices.filter { kvSizes[live[$0].id] != nil }
                let k = candidates[below(candidates.count)]
                // 6.1's kvrealloc(p, oldsize, newsize): the caller's true old size, a new
                // size at most that (p kept) or any kvmalloc size (moved when larger).
                let target = live.remove(at: k)
                let old = kvSizes[target.id] ?? 0
                let new = below(3) == 0 ? UInt64(below(Int(old) + 1)) : kvSize(vmalloc: vmalloc)
                lines.append("kvrealloc \(target.id) \(old) \(new)")
                kvSizes[target.id] = max(old, new)
                live.append(target)
            } else if roll < 88 {
                let call = below(4) == 0 ? "kvzalloc" : "kvmalloc"
                let size = kvSize(vmalloc: vmalloc)
                // A caller that may not sleep: kmalloc only, no vmalloc fallback (NULL).
                let atomic = below(size > 4 << 20 ? 3 : 8) == 0
                let flags = atomic ? (below(2) == 0 ? " GFP_NOWAIT" : " GFP_ATOMIC") : ""
                lines.append("\(call) \(id) \(size)\(flags)")
                live.append((id, "kv", -1))
                kvSizes[id] = size
            } else if roll < 94 {
                let call = below(3) == 0 ? "kvcalloc" : "kvmalloc_array"
                lines.append("\(call) \(id) \(arrayArguments(vmalloc: vmalloc))")
                live.append((id, "kv", -1))
            } else {
                lines.append("alloc_pages \(id) \(below(7))")
                live.append((id, "pages", -1))
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// The live objects krealloc may take: kmalloc'd and kmem_cache objects.
    func reallocatable(_ live: [(id: String, kind: String, cache: Int)]) -> [Int] {
        live.indices.filter { live[$0].kind == "kmalloc" || live[$0].kind == "cache" }
    }
}
