/// Minimal JSON writing (no Foundation in AllocatorModels).
enum JSON {
    /// A JSON string literal.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// The JSON line of one kernel trace step.
enum KernelTraceJSON {
    static func buddyinfo(_ machine: KernelMachine) -> String {
        var out = "["
        for (i, count) in machine.buddy.freeCounts.enumerated() {
            if i > 0 { out += "," }
            out += String(count)
        }
        return out + "]"
    }

    static func pointer(_ pointer: KernelPointer) -> String {
        switch pointer {
        case .null:
            return "null"
        case .zeroSize:
            return "{\"addr\":\"0x10\"}"
        case .slabObject(let o):
            return
                "{\"addr\":\"\(hex(o.address))\",\"cache\":\(JSON.string(o.cache)),\"objsize\":\(o.objectSize),"
                + "\"objperslab\":\(o.objectsPerSlab),\"pagesperslab\":\(o.pagesPerSlab),"
                + "\"slab_pfn\":\(o.slabPfn),\"index\":\(o.index)}"
        case .pages(let p):
            return "{\"addr\":\"\(hex(p.address))\",\"order\":\(p.order),\"pfn\":\(p.pfn)}"
        case .vmalloc(let v):
            var pfns = ""
            for (i, pfn) in v.pfns.enumerated() {
                if i > 0 { pfns += "," }
                pfns += String(pfn)
            }
            return
                "{\"addr\":\"\(hex(v.address))\",\"size\":\(v.size),\"pages\":\(v.pfns.count),\"pfns\":[\(pfns)]}"
        }
    }

    static func line(
        step: Int, operation: KernelTraceOperation, names: KernelTraceParser,
        outcome: KernelOutcome,
        machine: KernelMachine
    ) -> String {
        let op: String
        switch operation.kind {
        case .kmalloc(_, _, let zero): op = zero ? "kzalloc" : "kmalloc"
        case .vmalloc(_, _, let zero): op = zero ? "vzalloc" : "vmalloc"
        case .kfree: op = "kfree"
        case .allocPages: op = "alloc_pages"
        case .freePages: op = "free_pages"
        case .vfree: op = "vfree"
        case .cacheCreate: op = "kmem_cache_create"
        case .cacheAlloc: op = "kmem_cache_alloc"
        case .cacheFree: op = "kmem_cache_free"
        }
        var out = "{\"step\":\(step),\"line\":\(operation.line),\"op\":\"\(op)\""
        switch operation.kind {
        case .kmalloc(let id, _, _), .allocPages(let id, _), .vmalloc(let id, _, _), .kfree(let id),
            .freePages(let id), .vfree(let id), .cacheAlloc(let id, _), .cacheFree(let id):
            out += ",\"id\":\(JSON.string(names.ids.name(id)))"
        case .cacheCreate(let cache, _):
            out += ",\"cache\":\(JSON.string(names.cacheNames[cache]))"
        }
        if let pointer = outcome.pointer {
            out += ",\"ptr\":" + self.pointer(pointer)
        }
        var newSlabs: [String] = []
        var freedSlabs: [String] = []
        var unpurged: [String] = []
        var purged: [String] = []
        var warnings: [String] = []
        var notes: [String] = []
        for event in outcome.events {
            switch event {
            case .newSlab(let cache, let pfn, let order, _):
                newSlabs.append(
                    "{\"cache\":\(JSON.string(cache)),\"pfn\":\(pfn),\"order\":\(order)}")
            case .slabDiscarded(let cache, let pfn, let order):
                freedSlabs.append(
                    "{\"cache\":\(JSON.string(cache)),\"pfn\":\(pfn),\"order\":\(order)}")
            case .areaUnpurged(let address, let size):
                unpurged.append("{\"addr\":\"\(hex(address))\",\"size\":\(size)}")
            case .purged(let ranges):
                for r in ranges {
                    purged.append("{\"addr\":\"\(hex(r.address))\",\"size\":\(r.size)}")
                }
            case .cacheCreated(let name, let g):
                out +=
                    ",\"created\":{\"name\":\(JSON.string(name)),\"objsize\":\(g.size),"
                    + "\"objperslab\":\(g.objectsPerSlab),\"pagesperslab\":\(g.pagesPerSlab)}"
            case .cacheMerged(_, let into):
                out += ",\"merged_into\":\(JSON.string(into))"
            case .warning(let text):
                warnings.append(JSON.string(text))
            case .freelistCorrupted(let cache, let address):
                notes.append(
                    JSON.string(
                        "double free of \(hex(address)) in \(cache) went undetected: the freelist now loops"
                    ))
            case .handedOutTwice(let cache, let address):
                notes.append(
                    JSON.string("\(cache) handed out \(hex(address)) while it is still in use"))
            case .unsupported(let text):
                notes.append(JSON.string(text))
            case .buddyAllocated, .buddyFreed, .areaReserved, .bug:
                break
            }
        }
        if !newSlabs.isEmpty { out += ",\"new_slab\":[" + newSlabs.joined(separator: ",") + "]" }
        if !freedSlabs.isEmpty {
            out += ",\"slab_freed\":[" + freedSlabs.joined(separator: ",") + "]"
        }
        if !unpurged.isEmpty { out += ",\"unpurged\":[" + unpurged.joined(separator: ",") + "]" }
        if !purged.isEmpty { out += ",\"purged\":[" + purged.joined(separator: ",") + "]" }
        if !warnings.isEmpty { out += ",\"warnings\":[" + warnings.joined(separator: ",") + "]" }
        if !notes.isEmpty { out += ",\"notes\":[" + notes.joined(separator: ",") + "]" }
        return out + ",\"buddyinfo\":" + buddyinfo(machine) + "}"
    }
}
