/// Says in the allocator's own terms what the model and the real kernel did differently at one
/// `verify=kernel` step: `the model reused slab 1 of kmalloc-128; the real kernel opened a new
/// slab (slab 2)` rather than `differs in 'slab': model slab 1, real kernel new slab 2`.
public enum KernelDifferenceWording {
    /// One sentence for the differing facts of one step.
    ///
    /// - Parameters:
    ///   - differences: The step's differences, in the order of its facts.
    ///   - step: The model's facts of the step (for the cache the object came from).
    /// - Returns: The facts' sentences joined by `; `.
    public static func sentence(_ differences: [KernelFactDifference], step: KernelFactStep?)
        -> String
    {
        let cache = step?.value("cache")
        return differences.map { phrase($0, cache: cache) }.joined(separator: "; ")
    }

    /// One fact's sentence.
    static func phrase(_ d: KernelFactDifference, cache: String?) -> String {
        let model = d.model
        let real = d.real
        let of = cache.map { " of \($0)" } ?? ""
        switch d.fact {
        case "step":
            return "the real kernel stopped before this step, which the model ran"
        case "cache":
            return "the model served the object from \(model), the real kernel from \(real)"
        case "objsize":
            return "\(cache ?? "the cache")'s objects are \(model) bytes in the model, "
                + "\(real) in the real kernel"
        case "objperslab":
            return "a slab\(of) holds \(model) objects in the model, \(real) in the real kernel"
        case "pagesperslab":
            return "a slab\(of) is \(pages(model)) in the model, \(pages(real)) in the real kernel"
        case "slab":
            return slab(model: model, real: real, of: of)
        case "slot":
            return "the model handed out object \(model) of its slab, the real kernel object "
                + "\(real) (the slab's free list is in another order)"
        case "slab_freed":
            return model == "yes"
                ? "the model discarded the emptied slab (its pages went back to the buddy "
                    + "allocator); the real kernel kept it"
                : "the model kept the slab; the real kernel discarded it (its pages went back to "
                    + "the buddy allocator)"
        case "order":
            return "the model took an order-\(model) block, the real kernel an order-\(real) block"
        case "split":
            return "the model's block was \(block(model)), the real kernel's \(block(real))"
        case "size":
            return "the model reserved \(model) bytes of address space, the real kernel \(real)"
        case "pages":
            return "the model mapped \(pages(model)), the real kernel \(pages(real))"
        case "page_array":
            return "the model kept the page array in \(model), the real kernel in \(real)"
        case "vm_struct":
            return "the model took the vm_struct from \(model), the real kernel from \(real)"
        case "ptr":
            return "the model returned \(pointer(model)), the real kernel \(pointer(real))"
        case "free_pages":
            return "the model's step \(freePages(model)), the real kernel's \(freePages(real))"
        case "ksize":
            return "ksize() gives \(model) bytes in the model, \(real) in the real kernel"
        case "path":
            return "kvmalloc took the \(path(model)) in the model, the \(path(real)) in the "
                + "real kernel"
        case "moved":
            return model == "yes"
                ? "the model's krealloc moved the object to a new one; the real kernel kept it "
                    + "in place"
                : "the model's krealloc kept the object in place; the real kernel moved it"
        default:
            return "\(d.fact) is \(model) in the model, \(real) in the real kernel"
        }
    }

    /// The `path` fact: which allocator kvmalloc's memory came from.
    static func path(_ value: String) -> String {
        switch value {
        case "slab": return "kmalloc path (a slab cache)"
        case "pages": return "kmalloc path (the page allocator)"
        case "vmalloc": return "vmalloc fallback"
        default: return "\(value) path"
        }
    }

    /// The `slab` fact: `new slab N` or `slab N`.
    static func slab(model: String, real: String, of: String) -> String {
        let modelNew = model.hasPrefix("new ")
        let realNew = real.hasPrefix("new ")
        switch (modelNew, realNew) {
        case (true, false):
            return "the model opened a new slab\(of) (\(model.dropFirst(4))); the real kernel "
                + "reused \(real), which still had a free object"
        case (false, true):
            return "the model reused \(model)\(of); the real kernel opened a new slab "
                + "(\(real.dropFirst(4)))"
        case (true, true):
            return "both opened a new slab\(of), the model's \(model.dropFirst(4)) and the real "
                + "kernel's \(real.dropFirst(4)): an earlier step left them with different slabs"
        case (false, false):
            return "the model took the object from \(model)\(of), the real kernel from \(real)"
        }
    }

    /// `1 page`, `4 pages`.
    static func pages(_ count: String) -> String {
        count == "1" ? "1 page" : "\(count) pages"
    }

    /// The `split` fact's value in words.
    static func block(_ value: String) -> String {
        switch value {
        case "smallest free block, low half":
            return "the low half of the smallest free block that fits (the buddy rule)"
        case "other block": return "another free block"
        case "absent": return "not reported"
        default: return value
        }
    }

    /// The `ptr` fact's value in words.
    static func pointer(_ value: String) -> String {
        switch value {
        case "absent": return "a valid pointer"
        case "NULL": return "NULL (the allocation failed)"
        case "ZERO_SIZE_PTR": return "ZERO_SIZE_PTR (a zero-byte request)"
        default: return value
        }
    }

    /// A `free_pages` change in words: `took 1 page from the free lists`.
    static func freePages(_ value: String) -> String {
        guard let delta = Int(value) else { return "free-page change is \(value)" }
        if delta == 0 { return "left the free-page count unchanged" }
        let count = delta < 0 ? -delta : delta
        let noun = count == 1 ? "1 free page" : "\(count) free pages"
        return delta < 0 ? "took \(noun)" : "gave back \(noun)"
    }
}
