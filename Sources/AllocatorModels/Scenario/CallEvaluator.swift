/// Turns a parsed call's argument expressions into a `ScenarioAction`.
extension CallParser {
    /// Evaluates every argument of `call` against its parameter and builds the action.
    func evaluate(
        _ call: Call, target: Target?, variables: ScenarioVariables
    ) throws(ScenarioIssue) -> ScenarioAction {
        let a = call.arguments
        switch call.name {
        case "malloc": return .malloc(size: try size(a[0], variables))
        case "calloc":
            return .calloc(count: try size(a[0], variables), size: try size(a[1], variables))
        case "realloc":
            return .realloc(try pointer(a[0], variables), size: try size(a[1], variables))
        case "free": return .free(try pointer(a[0], variables))
        case "mallopt":
            return .mallopt(
                parameter: try malloptParameter(a[0]), value: try value(a[1], variables))
        case "memset":
            return .memset(
                try pointer(a[0], variables), byte: try value(a[1], variables),
                length: try size(a[2], variables))
        case "malloc_usable_size": return .mallocUsableSize(try pointer(a[0], variables))
        case "memalign", "aligned_alloc", "valloc", "pvalloc", "posix_memalign":
            let sizes = try a.dropFirst(call.name == "posix_memalign" ? 1 : 0).map {
                (e) throws(ScenarioIssue) in try size(e, variables)
            }
            let kind = AlignedAllocator(rawValue: call.name) ?? .memalign
            let alignment = sizes.count == 2 ? sizes[0] : 4096
            let out = call.name == "posix_memalign" ? try address(a[0], variables) : nil
            return .alignedAlloc(kind, alignment: alignment, size: sizes[sizes.count - 1], out: out)
        case "malloc_trim": return .mallocTrim(pad: try size(a[0], variables))
        case "malloc_stats": return .mallocStats
        case "mallinfo2": return .mallinfo2
        case "kmalloc", "kzalloc":
            return .kmalloc(
                size: try size(a[0], variables), gfp: try gfp(a[1], variables),
                zero: call.name == "kzalloc")
        case "kfree": return .kfree(try pointer(a[0], variables))
        case "ksize": return .ksize(try pointer(a[0], variables))
        case "vmalloc", "vzalloc":
            return .vmalloc(size: try size(a[0], variables), zero: call.name == "vzalloc")
        case "vfree": return .vfree(try pointer(a[0], variables))
        case "alloc_pages":
            return .allocPages(gfp: try gfp(a[0], variables), order: try order(a[1], variables))
        case "__free_pages":
            return .freePages(try pointer(a[0], variables), order: try order(a[1], variables))
        case "kmem_cache_create":
            try ignored(a[3], variables)
            try ignored(a[4], variables)
            return .kmemCacheCreate(
                name: try string(a[0]), size: try size(a[1], variables),
                align: try size(a[2], variables))
        case "kmem_cache_alloc", "kmem_cache_zalloc":
            return .kmemCacheAlloc(
                cache: try cache(a[0], variables), gfp: try gfp(a[1], variables),
                zero: call.name == "kmem_cache_zalloc")
        case "kmem_cache_free":
            return .kmemCacheFree(cache: try cache(a[0], variables), try pointer(a[1], variables))
        default: throw issue(call.column, "unknown function '\(call.name)'")
        }
    }

    func issue(_ column: Int, _ message: String) -> ScenarioIssue {
        ScenarioIssue(line: lineNumber, column: column, message)
    }

    private func value(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> Int64 {
        try ConstantEvaluator.evaluate(e, line: lineNumber) { name in
            v[name] != nil ? "'\(name)' is a variable" : nil
        }
    }

    /// A size: a constant, converted to `size_t` as C does (a negative value wraps).
    private func size(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> UInt64 {
        UInt64(bitPattern: try value(e, v))
    }

    private func order(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> Int {
        let order = try value(e, v)
        guard order >= 0, order < 64 else {
            throw issue(e.column, "order must be between 0 and 63, got \(order)")
        }
        return Int(order)
    }

    private func pointer(
        _ e: CExpression, _ v: ScenarioVariables
    ) throws(ScenarioIssue) -> PointerReference {
        switch e {
        case .name("NULL", let column), .number(0, let column):
            return PointerReference(variable: nil, column: column)
        case .name(let name, let column):
            try checkPointerVariable(name, column, v)
            return PointerReference(variable: name, column: column)
        case .binary(let op, .name(let name, let column), let rhs, _) where op == "+" || op == "-":
            try checkPointerVariable(name, column, v)
            let offset = try value(rhs, v)
            return PointerReference(
                variable: name, offset: op == "+" ? offset : -offset, column: column)
        default:
            throw issue(e.column, "expected a pointer variable, 'NULL', or 'variable + offset'")
        }
    }

    private func checkPointerVariable(
        _ name: String, _ column: Int, _ v: ScenarioVariables
    ) throws(ScenarioIssue) {
        switch v[name] {
        case .pointer: return
        case .cache: throw issue(column, "'\(name)' is a cache, not a pointer")
        case .value: throw issue(column, "'\(name)' is a value, not a pointer")
        case nil: throw issue(column, "unknown variable '\(name)'")
        }
    }

    /// `&name`: a pointer variable, or a new name that the call defines as one.
    private func address(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> String {
        guard case .unary("&", .name(let name, let column), _) = e else {
            throw issue(
                e.column, "expected '&' and a pointer variable, as in 'posix_memalign(&p, 64, 100)'"
            )
        }
        switch v[name] {
        case .pointer, nil:
            if ScenarioFunction.table[name] != nil || ["sizeof", "NULL"].contains(name) {
                throw issue(column, "'\(name)' cannot be a variable name")
            }
            return name
        case .cache: throw issue(column, "'\(name)' is a cache, not a pointer")
        case .value: throw issue(column, "'\(name)' is a value, not a pointer")
        }
    }

    private func cache(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> String {
        guard case .name(let name, let column) = e else {
            throw issue(e.column, "expected a cache variable from 'kmem_cache_create'")
        }
        switch v[name] {
        case .cache: return name
        case nil: throw issue(column, "unknown variable '\(name)'")
        default: throw issue(column, "'\(name)' is not a cache from 'kmem_cache_create'")
        }
    }

    private func gfp(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) -> GFPFlags {
        switch e {
        case .name(let name, let column):
            guard GFPFlags.known.contains(name) else {
                throw issue(
                    column,
                    v[name] != nil
                        ? "expected GFP flags, found variable '\(name)'"
                        : "unknown GFP flag '\(name)'")
            }
            return GFPFlags([name])
        case .binary("|", let lhs, let rhs, _):
            return GFPFlags(try gfp(lhs, v).names + gfp(rhs, v).names)
        default:
            throw issue(e.column, "expected GFP flags such as 'GFP_KERNEL'")
        }
    }

    private func malloptParameter(_ e: CExpression) throws(ScenarioIssue) -> String {
        guard case .name(let name, let column) = e else {
            throw issue(e.column, "expected a mallopt parameter such as 'M_MMAP_THRESHOLD'")
        }
        guard ScenarioFunction.malloptParameters.contains(name) else {
            throw issue(column, "unknown mallopt parameter '\(name)'")
        }
        return name
    }

    private func string(_ e: CExpression) throws(ScenarioIssue) -> String {
        guard case .string(let text, _) = e else {
            throw issue(e.column, "expected a string literal")
        }
        return text
    }

    /// Flags and constructor of `kmem_cache_create`: constants, `SLAB_*` flags or `NULL`.
    private func ignored(_ e: CExpression, _ v: ScenarioVariables) throws(ScenarioIssue) {
        for (name, column) in e.names where !name.hasPrefix("SLAB_") && name != "NULL" {
            throw issue(
                column,
                v[name] != nil
                    ? "expected a constant, found variable '\(name)'" : "unknown name '\(name)'")
        }
        if case .string(_, let column) = e { throw issue(column, "expected a constant") }
    }
}
