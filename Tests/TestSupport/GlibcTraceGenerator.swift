/// Seeded random glibc traces for the differential tests.
///
/// Every trace is valid: it frees and reallocates only live pointers, so the real process survives
/// it.
public struct GlibcTraceGenerator {
    /// A size regime.
    public enum Regime: String, CaseIterable, Sendable {
        case tiny, tcacheEdge, medium, aroundMmapThreshold, huge, mixed, fillDrain
        /// memalign, aligned_alloc, posix_memalign, valloc, pvalloc among malloc, realloc, free.
        case aligned
        /// malloc_trim with random pads among frees of all sizes (resident pages compared).
        case trim
        /// Every mallopt parameter with random values, M_PERTURB on, reads of live memory.
        case mallopt
        /// Operations spread over the main thread and four others (cross-thread frees, one
        /// arena each or, with M_ARENA_MAX 2, shared ones), heaps grown and trimmed, threads
        /// that exit and are started again.
        case threads
    }

    /// The regimes of the rest of the API (issue 14).
    public static let api: [Regime] = [.aligned, .trim, .mallopt, .threads]

    var random: SeededRandom
    let regime: Regime
    var live: [String] = []
    /// The requested size of each live pointer (for in-bounds reads).
    var sizes: [String: UInt64] = [:]
    var nextID = 0
    var lines: [String] = []

    init(regime: Regime, seed: UInt64) {
        self.regime = regime
        self.random = SeededRandom(
            state: seed &* 0x2545_f491_4f6c_dd1d &+ UInt64(regime.rawValue.count))
    }

    mutating func size() -> UInt64 {
        switch regime {
        case .tiny: return random.range(0, 120)
        case .tcacheEdge:
            return random.chance(30) ? random.range(1000, 1100) : random.range(0, 1032)
        case .medium: return random.range(0, 65536)
        case .aroundMmapThreshold: return random.range(100_000, 600_000)
        case .huge: return random.range(1 << 20, 6 << 20)
        case .mixed, .fillDrain, .aligned, .trim, .mallopt, .threads:
            switch random.below(6) {
            case 0: return random.range(0, 120)
            case 1: return random.range(0, 1100)
            case 2: return random.range(1000, 70000)
            case 3: return random.range(100_000, 300_000)
            case 4: return random.range(0, 200)
            default: return random.range(0, 4000)
            }
        }
    }

    mutating func newID() -> String {
        nextID += 1
        return "p\(nextID)"
    }

    mutating func freeRandom() {
        guard !live.isEmpty else { return }
        let index = Int(random.below(UInt64(live.count)))
        lines.append("free \(live[index])")
        live.remove(at: index)
    }

    mutating func allocate(_ size: UInt64) {
        let id = newID()
        lines.append("malloc \(id) \(size)")
        live.append(id)
        sizes[id] = size
    }

    /// A trace of `steps` operations.
    public static func make(_ regime: Regime, seed: UInt64, steps: Int) -> String {
        var g = GlibcTraceGenerator(regime: regime, seed: seed)
        let maxLive = regime == .huge ? 12 : 60
        while g.lines.count < steps {
            if regime == .fillDrain, g.random.chance(20) {
                g.fillDrain()
                continue
            }
            if Self.api.contains(regime), g.random.chance(35) {
                g.apiOperation()
                continue
            }
            if regime == .mixed, g.random.chance(25) {
                g.mixedOperation()
                continue
            }
            let allocating = g.live.isEmpty || (g.live.count < maxLive && g.random.chance(55))
            if allocating {
                g.allocate(g.size())
            } else {
                g.freeRandom()
            }
        }
        if regime == .threads { return g.threaded(steps) }
        return g.lines.prefix(steps).joined(separator: "\n") + "\n"
    }

    /// Allocates a run of one size, frees it (tcache, then fastbins or unsorted), and maybe
    /// allocates it again.
    mutating func fillDrain() {
        let size = random.chance(60) ? random.range(0, 120) : random.range(121, 1032)
        let count = Int(random.range(5, 20))
        var ids: [String] = []
        for _ in 0..<count {
            let id = newID()
            lines.append("malloc \(id) \(size)")
            ids.append(id)
        }
        if random.chance(50) {
            let guardID = newID()
            lines.append("malloc \(guardID) \(random.range(0, 64))")
            live.append(guardID)
        }
        if random.chance(50) { ids.reverse() }
        for id in ids { lines.append("free \(id)") }
        if random.chance(30) {
            let big = newID()
            lines.append("malloc \(big) \(random.range(1100, 5000))")
            live.append(big)
        }
        for _ in 0..<Int(random.range(0, UInt64(count))) { allocate(size) }
    }

    mutating func mixedOperation() {
        switch random.below(10) {
        case 0, 1, 2:
            let id = newID()
            lines.append("calloc \(id) \(random.range(0, 40)) \(random.range(0, 3000))")
            live.append(id)
        case 3, 4, 5, 6:
            guard !live.isEmpty else { return }
            let index = Int(random.below(UInt64(live.count)))
            let newSize = random.chance(5) ? 0 : size()
            lines.append("realloc \(live[index]) \(newSize)")
            sizes[live[index]] = newSize
            if newSize == 0 { live.remove(at: index) }
        case 7:
            let value: UInt64
            switch random.below(3) {
            case 0: value = random.range(0, 64) * 4096
            case 1: value = random.range(16, 1 << 20)
            default: value = 131072
            }
            let name = ["M_MMAP_THRESHOLD", "M_TRIM_THRESHOLD", "M_TOP_PAD"][Int(random.below(3))]
            lines.append("mallopt \(name) \(value)")
        case 8:
            lines.append("mallopt M_MXFAST \(random.range(0, 170))")
        default:
            lines.append("mallopt M_MMAP_MAX \(random.range(0, 8))")
        }
    }
}
