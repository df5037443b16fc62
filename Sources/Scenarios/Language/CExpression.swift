/// An expression in a statement's argument list, as parsed (not yet evaluated).
public indirect enum CExpression: Hashable, Sendable {
    /// An integer literal.
    case number(UInt64, column: Int)
    /// A name: a variable, `NULL`, a GFP flag, an `M_` parameter, `PAGE_SIZE`.
    case name(String, column: Int)
    /// A string literal.
    case string(String, column: Int)
    /// `sizeof(type)`, with the type's size already resolved.
    case sizeOf(type: String, size: UInt64, column: Int)
    /// A unary `-`, `+` or `~`.
    case unary(String, CExpression, column: Int)
    /// A binary operator.
    case binary(String, CExpression, CExpression, column: Int)

    /// The 1-based column where the expression starts.
    public var column: Int {
        switch self {
        case .number(_, let c), .name(_, let c), .string(_, let c), .sizeOf(_, _, let c),
            .unary(_, _, let c):
            return c
        case .binary(_, let lhs, _, _): return lhs.column
        }
    }

    /// Every name the expression mentions, in order, with its column.
    public var names: [(String, Int)] {
        switch self {
        case .name(let n, let c): return [(n, c)]
        case .number, .string, .sizeOf: return []
        case .unary(_, let e, _): return e.names
        case .binary(_, let l, let r, _): return l.names + r.names
        }
    }
}

/// The sizes of the C types `sizeof` accepts, for x86_64 (LP64).
public enum CTypeSizes {
    /// Size of a scalar type named by its words (`unsigned long`, `int`), `nil` if unknown.
    public static func size(of words: [String], pointer: Bool) -> UInt64? {
        if pointer { return 8 }
        let significant = words.filter {
            $0 != "unsigned" && $0 != "signed" && $0 != "const" && $0 != "volatile"
        }
        switch significant {
        case []: return words.isEmpty ? nil : 4  // `unsigned` alone is `unsigned int`
        case ["char"], ["u8"], ["s8"], ["uint8_t"], ["int8_t"], ["bool"], ["_Bool"]: return 1
        case ["short"], ["short", "int"], ["u16"], ["s16"], ["uint16_t"], ["int16_t"]: return 2
        case ["int"], ["u32"], ["s32"], ["uint32_t"], ["int32_t"], ["float"]: return 4
        case ["long"], ["long", "int"], ["long", "long"], ["long", "long", "int"], ["u64"],
            ["s64"], ["uint64_t"], ["int64_t"], ["size_t"], ["ssize_t"], ["double"],
            ["uintptr_t"], ["intptr_t"], ["ptrdiff_t"], ["off_t"], ["gfp_t"]:
            return words == ["gfp_t"] ? 4 : 8
        case ["long", "double"]: return 16
        default: return nil
        }
    }
}
