import AllocatorModels
public import Scenarios

/// Translates `kernel` scenario statements into the kernel trace format of
/// `allocbook trace --model kernel`, which the model's fact extraction and the real-kernel
/// replayer both read.
public struct KernelTraceTranslation: Hashable, Sendable {
    /// The trace text, one operation per line.
    public var trace: String
    /// For each trace step (0-based), the statement it came from.
    public var stepStatements: [ScenarioStatement]
    /// Statements the real-kernel replay cannot express.
    public var unsupported: [ScenarioIssue]

    /// Translates statements in order.
    ///
    /// Statements that change nothing (`ksize`, `cat`, a
    /// free of NULL) have no step.
    public static func translate(_ statements: [ScenarioStatement]) -> KernelTraceTranslation {
        var lines: [String] = []
        var steps: [ScenarioStatement] = []
        var unsupported: [ScenarioIssue] = []
        var cacheNames: [String: String] = [:]
        var orders: [String: Int] = [:]
        var live: Set<String> = []
        var anonymous = 0
        func id(_ target: String?) -> String {
            if let target {
                live.insert(target)
                return target
            }
            anonymous += 1
            return "_anonymous\(anonymous)"
        }
        func skip(_ s: ScenarioStatement, _ why: String) {
            unsupported.append(
                ScenarioIssue(
                    line: s.line, column: s.column, "verify=kernel cannot replay this: \(why)"))
        }
        /// The variable a free releases; a double free or an interior pointer is reported (the
        /// guest's allocator would stay corrupt for the rest of its boot).
        func pointer(_ p: PointerReference, _ s: ScenarioStatement) -> String? {
            guard let variable = p.variable else { return nil }
            guard p.offset == 0 else {
                skip(s, "an interior pointer")
                return nil
            }
            guard live.remove(variable) != nil else {
                skip(s, "a free of '\(variable)', which is not allocated (a double free)")
                return nil
            }
            return variable
        }
        let plainFlags: Set<String> = [
            "GFP_KERNEL", "GFP_ATOMIC", "GFP_NOWAIT", "GFP_NOIO", "GFP_NOFS", "__GFP_ZERO",
            "__GFP_NOWARN", "__GFP_NORETRY", "__GFP_RETRY_MAYFAIL", "__GFP_COMP", "__GFP_HIGH",
        ]
        // kvmalloc's path depends on whether the caller may sleep and on the retry modifiers:
        // one of the three base flags the replay sends (GFP_KERNEL, GFP_NOWAIT, GFP_ATOMIC),
        // with at most __GFP_ZERO. The trace's flags word, or nil after an error.
        func kvFlags(_ gfp: GFPFlags, _ s: ScenarioStatement) -> String? {
            let base = ["GFP_KERNEL", "GFP_NOWAIT", "GFP_ATOMIC"]
            let allowed = Set(base + ["__GFP_ZERO"])
            if let other = gfp.names.first(where: { !allowed.contains($0) }) {
                skip(
                    s,
                    "\(other) changes kvmalloc's path; the replay sends GFP_KERNEL, GFP_NOWAIT "
                        + "or GFP_ATOMIC")
                return nil
            }
            let chosen = base.filter { gfp.names.contains($0) }
            guard chosen.count <= 1 else {
                skip(s, "\(chosen.joined(separator: "|")) together")
                return nil
            }
            return chosen.first.map { $0 == "GFP_KERNEL" ? "" : " \($0)" } ?? ""
        }
        /// The variable `p = krealloc(p, …)` (or kvrealloc) reallocates: the trace names the
        /// object once, so the result must go back to the same live variable.
        func reallocated(_ p: PointerReference, _ s: ScenarioStatement, _ call: String) -> String? {
            guard let v = p.variable, p.offset == 0, live.contains(v), s.target == v else {
                skip(s, "a \(call) whose result goes to another variable than its argument")
                return nil
            }
            return v
        }
        for s in statements {
            switch s.action {
            case .kmalloc(let size, let gfp, let zero):
                if let other = gfp.names.first(where: { !plainFlags.contains($0) }) {
                    skip(s, "\(other) selects other caches or zones than GFP_KERNEL")
                    continue
                }
                lines.append("\(zero || gfp.zero ? "kzalloc" : "kmalloc") \(id(s.target)) \(size)")
            case .kfree(let p):
                guard let v = pointer(p, s) else { continue }
                lines.append("kfree \(v)")
            case .vmalloc(let size, let zero):
                lines.append("\(zero ? "vzalloc" : "vmalloc") \(id(s.target)) \(size)")
            case .vfree(let p):
                guard let v = pointer(p, s) else { continue }
                lines.append("vfree \(v)")
            case .allocPages(let gfp, let order):
                if let other = gfp.names.first(where: { !plainFlags.contains($0) }) {
                    skip(s, "\(other) selects other zones or migratetypes than GFP_KERNEL")
                    continue
                }
                let name = id(s.target)
                orders[name] = order
                lines.append("alloc_pages \(name) \(order)")
            case .freePages(let p, let order):
                guard let v = pointer(p, s) else { continue }
                guard orders[v] == order else {
                    skip(s, "__free_pages with another order than alloc_pages")
                    continue
                }
                lines.append("free_pages \(v)")
            case .kmemCacheCreate(let name, let size, let align, let flags, let constructor):
                guard flags.isEmpty, !constructor else {
                    skip(s, "SLAB_* flags or a constructor (the replay creates plain caches)")
                    continue
                }
                guard align <= 8 else {
                    skip(s, "an alignment of \(align)")
                    continue
                }
                guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\t" || $0 == "#" })
                else {
                    skip(s, "a cache name with spaces")
                    continue
                }
                if let target = s.target { cacheNames[target] = name }
                lines.append("kmem_cache_create \(name) \(size)")
            case .kmemCacheAlloc(let cache, _, _):
                guard let name = cacheNames[cache] else {
                    skip(s, "an unknown cache '\(cache)'")
                    continue
                }
                lines.append("kmem_cache_alloc \(id(s.target)) \(name)")
            case .kmemCacheFree(_, let p):
                guard let v = pointer(p, s) else { continue }
                lines.append("kmem_cache_free \(v)")
            case .kmallocArray(let count, let size, let gfp, let zero):
                if let other = gfp.names.first(where: { !plainFlags.contains($0) }) {
                    skip(s, "\(other) selects other caches or zones than GFP_KERNEL")
                    continue
                }
                let name = zero || gfp.zero ? "kcalloc" : "kmalloc_array"
                lines.append("\(name) \(id(s.target)) \(count) \(size)")
            case .kvmalloc(let size, let gfp, let zero):
                guard let flags = kvFlags(gfp, s) else { continue }
                let name = zero || gfp.zero ? "kvzalloc" : "kvmalloc"
                lines.append("\(name) \(id(s.target)) \(size)\(flags)")
            case .kvmallocArray(let count, let size, let gfp, let zero):
                guard let flags = kvFlags(gfp, s) else { continue }
                let name = zero || gfp.zero ? "kvcalloc" : "kvmalloc_array"
                lines.append("\(name) \(id(s.target)) \(count) \(size)\(flags)")
            case .kvfree(let p):
                guard let v = pointer(p, s) else { continue }
                lines.append("kvfree \(v)")
            case .krealloc(let p, let size, let gfp):
                if let other = gfp.names.first(where: { !plainFlags.contains($0) }) {
                    skip(s, "\(other) selects other caches or zones than GFP_KERNEL")
                    continue
                }
                guard let v = reallocated(p, s, "krealloc") else { continue }
                lines.append("krealloc \(v) \(size)")
            case .kvrealloc(let p, let oldSize, let size, let gfp):
                guard let oldSize else {
                    skip(s, "6.18's kvrealloc(p, size, flags); the real kernel is 6.1")
                    continue
                }
                if let other = gfp.names.first(where: { $0 != "GFP_KERNEL" }) {
                    skip(s, "\(other) on kvrealloc; the replay calls it with GFP_KERNEL")
                    continue
                }
                guard let v = reallocated(p, s, "kvrealloc") else { continue }
                lines.append("kvrealloc \(v) \(oldSize) \(size)")
            case .kmemCacheDestroy, .drainAllPages:
                // They change the allocators, and the replay module has no operation for them.
                skip(s, "the replay module does not run '\(s.text)'")
                continue
            case .ksize, .cat, .malloc, .calloc, .realloc, .free, .mallopt, .memset,
                .mallocUsableSize, .mallocStats, .mallinfo2, .alignedAlloc, .mallocTrim,
                .threadExit:
                // Reads (or malloc statements, which a kernel block cannot hold): no step.
                continue
            }
            steps.append(s)
        }
        return KernelTraceTranslation(
            trace: lines.map { $0 + "\n" }.joined(), stepStatements: steps,
            unsupported: unsupported)
    }
}
