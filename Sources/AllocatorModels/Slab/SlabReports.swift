/// Texts SLUB prints for freeing errors (mm/slub.c, Linux 6.18.2).
///
/// Pointers are printed as real-looking addresses (what `%p` shows with
/// `no_hash_pointers`); a real kernel hashes them by default. `NULL` prints as `(null)`.
/// The reports keep their banner, the `Slab`/`Object` lines and the `FIX` line; the hex
/// dumps of object memory and the stack traces that follow them in a real log are left
/// out (the model does not hold object contents or call stacks).
enum SlabReports {
    /// The report of `set_freepointer`'s `BUG_ON(object == fp)`.
    ///
    /// Under CONFIG_SLAB_FREELIST_HARDENED it fires when the object freed is already the
    /// freelist head. lib/bug.c prints the first line, the x86
    /// die() path the second (CONFIG_SMP; PTI off, as on CPUs without Meltdown).
    static func freelistBug() -> String {
        "kernel BUG at mm/slub.c:634!\nOops: invalid opcode: 0000 [#1] SMP NOPTI"
    }

    enum Reason {
        case alreadyFree
        case invalidPointer(UInt64)
    }

    /// `struct slab *` of a page frame: the vmemmap address (VMEMMAP_START
    /// 0xffffea0000000000 + pfn × sizeof(struct page)).
    static func slabPointer(pfn: Int) -> UInt64 {
        vmemmapStart &+ UInt64(pfn) &* 64
    }

    /// `VMEMMAP_START` (`vmemmap_base` without KASLR, 4-level paging).
    static let vmemmapStart: UInt64 = 0xffff_ea00_0000_0000

    /// `%p` of a pointer that may be NULL.
    static func pointer(_ value: UInt64?) -> String {
        guard let value, value != 0 else { return "(null)" }
        return String(value, radix: 16).leftPadded(to: 16)
    }

    /// `%pGp` of a slab's folio flags: zone 2 (Normal) in bits 52+, `head` for a compound
    /// slab (the slab page type is not a flag in 6.18).
    static func pageFlags(order: Int) -> String {
        let head = order > 0 ? "head|" : ""
        return "0x" + String(UInt64(2) << 52 | (order > 0 ? 0x40 : 0), radix: 16)
            + "(\(head)node=0|zone=2)"
    }

    /// `print_tainted()`: `Not tainted`, or one character per taint flag (20 flags in
    /// 6.18; 'G' for untainted proprietary slot, 'B' bad page at 5, 'W' warning at 9).
    static func tainted(badPage: Bool, warn: Bool) -> String {
        guard badPage || warn else { return "Not tainted" }
        var flags = Array(repeating: Character(" "), count: 20)
        flags[0] = "G"
        if badPage { flags[5] = "B" }
        if warn { flags[9] = "W" }
        return "Tainted: " + String(flags)
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

extension KernelMachine {
    /// `object_err`/`slab_err` followed by `slab_fix(…, "Object at 0x%p not freed")`; taints
    /// the kernel with B and W (the `WARN_ON(1)` that follows each report).
    mutating func debugReport(slab s: Int, object: UInt64, reason: SlabReports.Reason) -> String {
        let record = slabs[s]
        let cache = caches[record.cache]
        let banner = "============================================================================="
        let rule = "-----------------------------------------------------------------------------"
        let message: String
        switch reason {
        case .alreadyFree: message = "Object already free"
        case .invalidPointer(let p): message = "Invalid object pointer 0x" + SlabReports.pointer(p)
        }
        let base = KernelLayout.address(ofPfn: record.pfn)
        let fp =
            record.freeHead >= 0
            ? base + UInt64(Int(record.freeHead) * cache.geometry.size) : nil
        let flags = SlabReports.pageFlags(order: record.order)
        var lines = [
            banner,
            "BUG \(cache.name) (\(SlabReports.tainted(badPage: taintBadPage, warn: taintWarn))): \(message)",
            rule,
            "",
            "Slab 0x\(SlabReports.pointer(SlabReports.slabPointer(pfn: record.pfn))) "
                + "objects=\(record.objects) used=\(record.inuse) fp=0x\(SlabReports.pointer(fp)) flags=\(flags)",
        ]
        if case .alreadyFree = reason {
            let index = Int((object - base) / UInt64(cache.geometry.size))
            let next = record.nextFree[index]
            let objectFp = next >= 0 ? base + UInt64(Int(next) * cache.geometry.size) : nil
            lines.append(
                "Object 0x\(SlabReports.pointer(object)) @offset=\(object - base) fp=0x\(SlabReports.pointer(objectFp))"
            )
        }
        lines.append("FIX \(cache.name): Object at 0x\(SlabReports.pointer(object)) not freed")
        taintBadPage = true
        taintWarn = true
        return lines.joined(separator: "\n")
    }
}
