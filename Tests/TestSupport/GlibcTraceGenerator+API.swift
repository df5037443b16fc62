/// The operations of the regimes for the rest of the glibc API: aligned allocators,
/// malloc_usable_size, malloc_trim, every mallopt parameter, reads.
extension GlibcTraceGenerator {
    mutating func apiOperation() {
        switch regime {
        case .aligned:
            if random.chance(15) {
                mixedOperation()
            } else if random.chance(10), let id = live.randomElement(using: &random) {
                lines.append("malloc_usable_size \(id)")
            } else {
                alignedAllocation()
            }
        case .trim:
            if random.chance(40) {
                lines.append("malloc_trim \(pad())")
            } else if random.chance(30) {
                alignedAllocation()
            } else {
                drainSome()
            }
        case .threads:
            switch random.below(8) {
            case 0: lines.append("malloc_trim \(pad())")
            case 1, 2: alignedAllocation()
            case 3, 4: allocate(random.range(60000, 130000))  // grows a heap, not mmapped
            default: mixedOperation()
            }
        default:
            switch random.below(6) {
            case 0: malloptAny()
            case 1, 2: readLive()
            case 3: lines.append("malloc_trim \(pad())")
            case 4: mixedOperation()
            default: alignedAllocation()
            }
        }
    }

    /// The lines spread over threads: runs of a few operations on one thread, then another.
    mutating func threaded(_ steps: Int) -> String {
        var out: [String] = []
        if random.chance(40) { out.append("mallopt M_ARENA_MAX \(random.range(1, 3))") }
        var thread = 0
        for line in lines.prefix(steps - out.count) {
            if random.chance(30) { thread = Int(random.below(5)) }
            // Now and then the thread exits (its tcache goes back, its arena may go on the
            // free list); its next operation starts a new thread, which reuses the stack.
            if thread != 0 && random.chance(3) { out.append("thread T\(thread): exit") }
            out.append(thread == 0 ? line : "thread T\(thread): \(line)")
        }
        return out.prefix(steps).joined(separator: "\n") + "\n"
    }

    mutating func pad() -> UInt64 {
        switch random.below(4) {
        case 0: 0
        case 1: random.range(0, 8192)
        case 2: random.range(0, 200_000)
        default: 131072
        }
    }

    mutating func alignment() -> UInt64 {
        switch random.below(5) {
        case 0: 1 << random.range(0, 6)
        case 1: 1 << random.range(5, 13)
        case 2: 1 << random.range(12, 22)
        case 3: random.range(0, 5000)  // not a power of two: rounded up, or EINVAL
        default: random.chance(50) ? 64 : 4096
        }
    }

    mutating func alignedAllocation() {
        let id = newID()
        let size = size()
        var readable = size
        switch random.below(5) {
        case 0: lines.append("memalign \(id) \(alignment()) \(size)")
        case 1: lines.append("aligned_alloc \(id) \(alignment()) \(size)")
        case 2:
            let a = alignment()
            lines.append("posix_memalign \(id) \(a) \(size)")
            if a == 0 || a % 8 != 0 || (a / 8) & (a / 8 - 1) != 0 { readable = 0 }
        case 3: lines.append("valloc \(id) \(size)")
        default:
            lines.append("pvalloc \(id) \(random.chance(20) ? random.range(0, 3) : size)")
            readable = 0
        }
        // A failed posix_memalign leaves the ID NULL; free(NULL) is harmless.
        live.append(id)
        sizes[id] = readable
    }

    /// Frees several pointers, largest first, so that free chunks with whole pages appear.
    mutating func drainSome() {
        let count = Int(random.range(1, 6))
        for _ in 0..<count { freeRandom() }
        for _ in 0..<Int(random.range(0, 4)) { allocate(size()) }
    }

    mutating func malloptAny() {
        let name = MalloptNames.all[Int(random.below(UInt64(MalloptNames.all.count)))]
        let value: Int64
        switch name {
        case "M_PERTURB": value = random.chance(20) ? 0 : Int64(random.range(1, 0x1ff))
        case "M_MXFAST": value = Int64(random.range(0, 170)) - (random.chance(5) ? 200 : 0)
        case "M_ARENA_MAX", "M_ARENA_TEST": value = Int64(random.range(0, 16)) - 4
        case "M_MMAP_MAX": value = Int64(random.range(0, 8))
        case "M_CHECK_ACTION": value = Int64(random.range(0, 7))
        default: value = random.chance(10) ? -1 : Int64(random.range(0, 1 << 20))
        }
        lines.append("mallopt \(name) \(value)")
    }

    /// Reads a word inside a live pointer's requested bytes.
    mutating func readLive() {
        guard let id = live.randomElement(using: &random), let size = sizes[id] else { return }
        // pvalloc and failed posix_memalign have size 0 here: never read.
        // Not the first two words: a reused chunk keeps stale fd/bk there, which may point
        // into main_arena, whose address the model keeps at the course layout's (libc moves
        // with the host's ld.so.cache; mmaps follow the host layout, libc's data does not).
        guard size >= 24 else { return }
        lines.append("read \(id)+\(16 + random.below((size - 16) / 8) * 8)")
    }
}

enum MalloptNames {
    static let all = [
        "M_MXFAST", "M_TRIM_THRESHOLD", "M_TOP_PAD", "M_MMAP_THRESHOLD", "M_MMAP_MAX",
        "M_CHECK_ACTION", "M_PERTURB", "M_ARENA_TEST", "M_ARENA_MAX",
    ]
}

extension SeededRandom: RandomNumberGenerator {}
