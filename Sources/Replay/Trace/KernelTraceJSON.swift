import AllocatorModels

/// A JSON line built in a byte buffer (no Foundation in AllocatorModels).
struct JSONWriter {
    /// The UTF-8 bytes written so far.
    var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(512)
    }

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func int(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            unsigned(UInt64(value.magnitude))
        } else {
            unsigned(UInt64(value))
        }
    }

    mutating func unsigned(_ value: UInt64) {
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[19 - count] = UInt8(ascii: "0") + UInt8(n % 10)
                n /= 10
                count += 1
            } while n > 0
            bytes.append(contentsOf: buffer[(20 - count)...])
        }
    }

    /// `"0x…"` in lowercase hexadecimal, quoted.
    mutating func hexString(_ value: UInt64) {
        raw("\"0x")
        let digits = value == 0 ? 1 : (64 - value.leadingZeroBitCount + 3) / 4
        var shift = (digits - 1) * 4
        while shift >= 0 {
            let d = UInt8((value >> UInt64(shift)) & 0xf)
            bytes.append(d < 10 ? UInt8(ascii: "0") + d : UInt8(ascii: "a") + d - 10)
            shift -= 4
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A JSON string literal.
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 10: raw("\\n")
            case 13: raw("\\r")
            case 9: raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                let hexDigits: StaticString = "0123456789abcdef"
                hexDigits.withUTF8Buffer {
                    bytes.append($0[Int(byte >> 4)])
                    bytes.append($0[Int(byte & 0xf)])
                }
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `,"key":value`.
    mutating func field(_ key: StaticString, _ value: Int) {
        raw(",\"")
        raw(key)
        raw("\":")
        int(value)
    }

    mutating func intArray(_ values: [Int]) {
        bytes.append(UInt8(ascii: "["))
        for (i, value) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            int(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Minimal JSON helpers.
enum JSON {
    /// A JSON string literal.
    static func string(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        return writer.text
    }
}

/// The JSON line of one kernel trace step.
enum KernelTraceJSON {
    static func buddyinfo(_ machine: KernelMachine) -> String {
        var writer = JSONWriter()
        writer.intArray(machine.buddy.freeCounts)
        return writer.text
    }

    static func pointer(_ pointer: KernelPointer, into w: inout JSONWriter) {
        switch pointer {
        case .null:
            w.raw("null")
        case .zeroSize:
            w.raw("{\"addr\":\"0x10\"}")
        case .slabObject(let o):
            w.raw("{\"addr\":")
            w.hexString(o.address)
            w.raw(",\"cache\":")
            w.string(o.cache)
            w.field("objsize", o.objectSize)
            w.field("objperslab", o.objectsPerSlab)
            w.field("pagesperslab", o.pagesPerSlab)
            w.field("slab_pfn", o.slabPfn)
            w.field("index", o.index)
            w.raw("}")
        case .pages(let p):
            w.raw("{\"addr\":")
            w.hexString(p.address)
            w.field("order", p.order)
            w.field("pfn", p.pfn)
            w.raw("}")
        case .vmalloc(let v):
            w.raw("{\"addr\":")
            w.hexString(v.address)
            w.raw(",\"size\":")
            w.unsigned(v.size)
            w.field("pages", v.pfns.count)
            w.raw(",\"pfns\":")
            w.intArray(v.pfns)
            w.raw("}")
        }
    }

    static func operationName(_ kind: KernelTraceOperation.Kind) -> StaticString {
        switch kind {
        case .kmalloc(_, _, let zero, _): return zero ? "kzalloc" : "kmalloc"
        case .kmallocArray(_, _, _, let zero, _): return zero ? "kcalloc" : "kmalloc_array"
        case .krealloc: return "krealloc"
        case .kvmalloc(_, _, let zero, _): return zero ? "kvzalloc" : "kvmalloc"
        case .kvfree: return "kvfree"
        case .kvmallocArray(_, _, _, let zero, _): return zero ? "kvcalloc" : "kvmalloc_array"
        case .kvrealloc: return "kvrealloc"
        case .cacheDestroy: return "kmem_cache_destroy"
        case .vmalloc(_, _, let zero): return zero ? "vzalloc" : "vmalloc"
        case .kfree: return "kfree"
        case .allocPages: return "alloc_pages"
        case .freePages: return "free_pages"
        case .vfree: return "vfree"
        case .cacheCreate: return "kmem_cache_create"
        case .cacheAlloc: return "kmem_cache_alloc"
        case .cacheFree: return "kmem_cache_free"
        }
    }

    /// A list field `,"name":[…]` of the events `item` writes, if any.
    static func list(
        _ name: StaticString, _ events: [KernelEvent], into w: inout JSONWriter,
        _ item: (KernelEvent, inout JSONWriter, inout Bool) -> Void
    ) {
        var any = false
        var body = JSONWriter()
        for event in events { item(event, &body, &any) }
        guard any else { return }
        w.raw(",\"")
        w.raw(name)
        w.raw("\":[")
        w.bytes.append(contentsOf: body.bytes)
        w.raw("]")
    }

    static func line(
        step: Int, operation: KernelTraceOperation, names: KernelTraceParser,
        outcome: KernelOutcome,
        machine: KernelMachine
    ) -> String {
        var w = JSONWriter()
        w.raw("{\"step\":")
        w.int(step)
        w.field("line", operation.line)
        w.raw(",\"op\":\"")
        w.raw(operationName(operation.kind))
        w.raw("\"")
        switch operation.kind {
        case .kmalloc(let id, _, _, _), .allocPages(let id, _), .vmalloc(let id, _, _),
            .kfree(let id), .freePages(let id), .vfree(let id), .cacheAlloc(let id, _),
            .cacheFree(let id), .kmallocArray(let id, _, _, _, _), .krealloc(let id, _, _),
            .kvmalloc(let id, _, _, _), .kvfree(let id), .kvmallocArray(let id, _, _, _, _),
            .kvrealloc(let id, _, _, _):
            w.raw(",\"id\":")
            w.string(names.ids.name(id))
        case .cacheCreate(let cache, _, _, _, _), .cacheDestroy(let cache):
            w.raw(",\"cache\":")
            w.string(names.cacheNames[cache])
        }
        if let pointer = outcome.pointer {
            w.raw(",\"ptr\":")
            self.pointer(pointer, into: &w)
        }
        let events = outcome.events
        for event in events {
            switch event {
            case .cacheCreated(let name, let g):
                w.raw(",\"created\":{\"name\":")
                w.string(name)
                w.field("objsize", g.size)
                w.field("objperslab", g.objectsPerSlab)
                w.field("pagesperslab", g.pagesPerSlab)
                w.raw("}")
            case .cacheMerged(_, let into):
                w.raw(",\"merged_into\":")
                w.string(into)
            default:
                break
            }
        }
        if !events.isEmpty {
            writeEventLists(events, into: &w)
        }
        w.raw(",\"buddyinfo\":")
        w.intArray(machine.buddy.freeCounts)
        w.raw("}")
        return w.text
    }

    static func writeEventLists(_ events: [KernelEvent], into w: inout JSONWriter) {
        func separate(_ out: inout JSONWriter, _ any: inout Bool) {
            if any { out.raw(",") }
            any = true
        }
        list("new_slab", events, into: &w) { event, out, any in
            guard case .newSlab(let cache, let pfn, let order, _) = event else { return }
            separate(&out, &any)
            slab(cache, pfn, order, into: &out)
        }
        list("slab_freed", events, into: &w) { event, out, any in
            guard case .slabDiscarded(let cache, let pfn, let order) = event else { return }
            separate(&out, &any)
            slab(cache, pfn, order, into: &out)
        }
        list("unpurged", events, into: &w) { event, out, any in
            guard case .areaUnpurged(let address, let size) = event else { return }
            separate(&out, &any)
            range(address, size, into: &out)
        }
        list("purged", events, into: &w) { event, out, any in
            guard case .purged(let ranges) = event else { return }
            for r in ranges {
                separate(&out, &any)
                range(r.address, r.size, into: &out)
            }
        }
        list("warnings", events, into: &w) { event, out, any in
            guard case .warning(let text) = event else { return }
            separate(&out, &any)
            out.string(text)
        }
        list("notes", events, into: &w) { event, out, any in
            let note: String
            switch event {
            case .freelistCorrupted(let cache, let address):
                note =
                    "double free of \(hex(address)) in \(cache) went undetected: the freelist now loops"
            case .handedOutTwice(let cache, let address):
                note = "\(cache) handed out \(hex(address)) while it is still in use"
            case .unsupported(let text):
                note = text
            default:
                return
            }
            separate(&out, &any)
            out.string(note)
        }
    }

    static func slab(_ cache: String, _ pfn: Int, _ order: Int, into w: inout JSONWriter) {
        w.raw("{\"cache\":")
        w.string(cache)
        w.field("pfn", pfn)
        w.field("order", order)
        w.raw("}")
    }

    static func range(_ address: UInt64, _ size: UInt64, into w: inout JSONWriter) {
        w.raw("{\"addr\":")
        w.hexString(address)
        w.raw(",\"size\":")
        w.unsigned(size)
        w.raw("}")
    }
}
