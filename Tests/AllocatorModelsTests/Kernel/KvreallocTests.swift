import TestSupport
import Testing

@testable import AllocatorModels

/// Golden tests for kvmalloc_array, kvcalloc, kvrealloc and ksize of any pointer, each from
/// the kernel source: 6.1 from Debian's linux-source-6.1 (include/linux/slab.h, mm/util.c,
/// mm/slab_common.c), 6.18's kvrealloc from linux-source-6.12 (mm/util.c, mm/vmalloc.c),
/// which 6.18 keeps apart from the added alignment and node arguments.
@Suite struct KvreallocTests {
    func machine(_ version: KernelVersion) throws -> KernelMachine {
        var configuration = KernelMachine.Configuration()
        configuration.version = version
        return try KernelMachine(configuration)
    }

    /// include/linux/slab.h `kvmalloc_array`: overflow is NULL.
    ///
    /// `check_mul_overflow` → NULL without a warning, else `kvmalloc(n * size)`; `kvcalloc` adds __GFP_ZERO. Both releases.
    @Test func kvmallocArrayOverflowsToNullAndFallsBackToVmalloc() throws {
        for version in KernelVersion.allCases {
            var m = try machine(version)
            let overflow = m.kvcalloc(1 << 62, 8)
            #expect(overflow.pointer == .null && overflow.events.isEmpty)
            #expect(m.kvmallocArray(10, 100).object?.cache == "kmalloc-1k")
            // 1024 × 8 KiB = 8 MiB: above KMALLOC_MAX_SIZE, so vmalloc (huge: 2 MiB blocks).
            guard case .vmalloc(let v)? = m.kvcalloc(1024, 8192).pointer else {
                Issue.record("expected a vmalloc area")
                continue
            }
            #expect(v.pfns.count == 2048)
            try m.checkInvariants()
        }
    }

    /// mm/util.c `kvrealloc` (6.1): `oldsize >= newsize` returns p (size 0 frees nothing);
    /// otherwise always kvmalloc + copy + kvfree, even when the slab object has room.
    @Test func kvrealloc61NeverGrowsInPlace() throws {
        var m = try machine(.v6_1)
        let p = try #require(m.kmalloc(100).object)
        #expect(m.kvrealloc(p.address, oldSize: 100, newSize: 0).pointer == .slabObject(p))
        #expect(m.kvrealloc(p.address, oldSize: 100, newSize: 50).pointer == .slabObject(p))
        let grown = m.kvrealloc(p.address, oldSize: 100, newSize: 120)
        let q = try #require(grown.object)
        #expect(q.cache == "kmalloc-128" && q.address != p.address)
        // p was kvfree'd: kmalloc-128 hands it back first (LIFO).
        #expect(m.kmalloc(128).object?.address == p.address)
        try m.checkInvariants()
    }

    /// mm/util.c `kvrealloc_noprof` (6.12; 6.18 `kvrealloc_node_align_noprof`): krealloc
    /// first (same object while it fits the slot), kvmalloc on failure; a vmalloc address goes
    /// to `vrealloc`: kept while the size fits its mapped pages, a new area beyond, NULL and
    /// a free for size 0.
    @Test func kvrealloc618UsesKreallocAndVrealloc() throws {
        var m = try machine(.v6_18)
        let p = try #require(m.kmalloc(100).object)
        #expect(m.kvrealloc(p.address, size: 120).pointer == .slabObject(p))
        // Above KMALLOC_MAX_SIZE krealloc fails: kvmalloc falls back to vmalloc, p is kfree'd.
        guard case .vmalloc(let v)? = m.kvrealloc(p.address, size: 5 << 20).pointer else {
            Issue.record("expected a vmalloc area")
            return
        }
        #expect(m.kmalloc(128).object?.address == p.address)
        let mapped = UInt64(v.pfns.count) * 4096
        #expect(m.kvrealloc(v.address, size: mapped).pointer == .vmalloc(v))
        guard case .vmalloc(let w)? = m.kvrealloc(v.address, size: mapped + 1).pointer else {
            Issue.record("expected a new vmalloc area")
            return
        }
        #expect(w.address != v.address)
        #expect(m.kvrealloc(w.address, size: 0).pointer == .null)
        #expect(m.vmallocinfo().isEmpty || !m.vmallocinfo().contains(" pages="))
        let missing = m.kvrealloc(KernelLayout.vmallocStart + 0x1000, size: 10)
        #expect(missing.pointer == .null)
        #expect(
            missing.warnings.first?.hasSuffix(
                "Trying to vrealloc() nonexistent vm area (0xffffc90000001000)") == true)
        try m.checkInvariants()
    }

    /// mm/slab_common.c `__ksize` (6.1; mm/slub.c in 6.18): slot size anywhere in a slab
    /// object, the folio size at a large kmalloc's start, WARN and 0 for other pages, an oops
    /// for a vmalloc address (virt_to_folio on unbacked vmemmap).
    @Test func ksizeOfEveryKindOfPointer() throws {
        for version in KernelVersion.allCases {
            var m = try machine(version)
            let object = try #require(m.kmalloc(100).object)
            #expect(m.ksizeCall(object.address + 8).size == 128)
            guard case .pages(let big)? = m.kmalloc(20000).pointer else {
                Issue.record("expected a large kmalloc")
                continue
            }
            #expect(m.ksizeCall(big.address).size == 32768)
            let inside = m.ksizeCall(big.address + 4096)
            #expect(inside.size == 0 && inside.warnings.count == 1)
            let page = try #require(m.allocPages(order: 2).pointer?.address)
            #expect(m.ksizeCall(page).size == 0)
            let area = try #require(m.vmalloc(10000).pointer?.address)
            let oops = m.ksizeCall(area)
            #expect(oops.bug?.hasPrefix("BUG: unable to handle page fault for address:") == true)
            #expect(m.isDead)
        }
    }
}
