import TestSupport
import Testing

@testable import AllocatorModels

/// Golden tests for the kernel API additions, each built from a rule of the kernel source
/// (Linux 6.18 unless noted; 6.1 read from Debian's linux-source-6.1).
@Suite struct KernelAPITests {
    /// include/linux/slab.h `kmalloc_type`: NORMAL without KMALLOC_NOT_NORMAL_BITS, else
    /// __GFP_DMA > __GFP_RECLAIMABLE > __GFP_ACCOUNT.
    @Test func kmallocTypeFollowsTheFlagPriorities() {
        let table: [(GFP, KmallocType)] = [
            (.kernel, .normal), (.atomic, .normal), (.noWait, .normal), (.noFS, .normal),
            (.noIO, .normal), (.kernelAccount, .cgroup), (GFP.kernel.union(.reclaimable), .reclaim),
            (GFP.kernel.union(.dma), .dma), ([.dma, .account], .dma),
            ([.reclaimable, .account], .reclaim), ([.dma, .reclaimable], .dma),
        ]
        for (gfp, family) in table { #expect(KmallocType(gfp) == family, "\(gfp.flagNames)") }
    }

    /// mm/slab_common.c `create_kmalloc_caches`: every family exists from boot, each with
    /// its own slabs.
    @Test func familiesHaveTheirOwnCachesAndSlabs() throws {
        var machine = try KernelMachine()
        let plain = try #require(machine.kmalloc(40, .kernel).object)
        let cg = try #require(machine.kmalloc(40, .kernelAccount).object)
        let rcl = try #require(machine.kmalloc(40, GFP.kernel.union(.reclaimable)).object)
        let dma = try #require(machine.kmalloc(40, GFP.kernel.union(.dma)).object)
        #expect(
            [plain.cache, cg.cache, rcl.cache, dma.cache]
                == ["kmalloc-64", "kmalloc-cg-64", "kmalloc-rcl-64", "dma-kmalloc-64"])
        #expect(Set([plain.slabPfn, cg.slabPfn, rcl.slabPfn, dma.slabPfn]).count == 4)
        let info = machine.slabinfo()
        #expect(info.contains("kmalloc-cg-64         64     64     64   64    1"))
        try machine.checkInvariants()
    }

    /// include/linux/slab.h `kmalloc_array`: `check_mul_overflow` → NULL; `kcalloc` adds
    /// __GFP_ZERO.
    @Test func kmallocArrayOverflowIsNullWithoutWarning() throws {
        var machine = try KernelMachine()
        let overflow = machine.kcalloc(1 << 62, 4)
        #expect(overflow.pointer == .null)
        #expect(overflow.events.isEmpty)
        #expect(machine.kmallocArray(10, 10).object?.cache == "kmalloc-128")
        try machine.checkInvariants()
    }

    /// mm/slub.c `__do_krealloc`: the same object while the new size fits `object_size`
    /// (also when shrinking), else kmalloc + copy + kfree; size 0 frees and gives
    /// ZERO_SIZE_PTR; NULL is a kmalloc.
    @Test func kreallocKeepsTheObjectWhileItFits() throws {
        var machine = try KernelMachine()
        let p = try #require(machine.kmalloc(100).object)
        #expect(machine.krealloc(p.address, 128).pointer == .slabObject(p))
        #expect(machine.krealloc(p.address, 8).pointer == .slabObject(p))
        let moved = machine.krealloc(p.address, 129)
        #expect(moved.object?.cache == "kmalloc-192")
        #expect(machine.ksize(moved.object?.address ?? 0).size == 192)
        // The old object was freed: the next kmalloc-128 request gets it back (LIFO).
        #expect(machine.kmalloc(120).object?.address == p.address)
        let q = try #require(moved.object)
        let zero = machine.krealloc(q.address, 0)
        #expect(zero.pointer == .zeroSize)
        #expect(machine.kmalloc(150).object?.address == q.address)
        #expect(machine.krealloc(0, 50).object?.cache == "kmalloc-64")
        // A large kmalloc keeps its folio while the size fits PAGE_SIZE << order.
        guard case .pages(let big)? = machine.kmalloc(10_000).pointer else {
            Issue.record("no large kmalloc")
            return
        }
        #expect(machine.krealloc(big.address, 16_384).pointer == .pages(big))
        try machine.checkInvariants()
    }

    /// krealloc of an object whose slot is larger than the object.
    ///
    /// 6.1's mm/slab_common.c `__do_krealloc` keeps the object while the new size is at most
    /// `__ksize(p)`, which is `slab_ksize(s)` = `s->size` (mm/slab.h, no debug flags): a
    /// 20-byte cache object (24-byte slots) takes 24 bytes in place. 6.18's mm/slub.c
    /// `__do_krealloc` compares with `s->object_size`, so 21 bytes already move it.
    /// The real 6.1 kernel agrees: the differential API traces krealloc such objects.
    @Test func kreallocOfASlotLargerThanItsObject() throws {
        for version in KernelVersion.allCases {
            var configuration = KernelMachine.Configuration()
            configuration.version = version
            configuration.slabNomerge = true
            var machine = try KernelMachine(configuration)
            let (cache, _) = machine.kmemCacheCreate(name: "odd", size: 20)
            let c = try #require(cache)
            let p = try #require(machine.kmemCacheAlloc(c).object)
            #expect(p.objectSize == 24)
            #expect(machine.ksize(p.address).size == 24)
            let grown = machine.krealloc(p.address, 24)
            switch version {
            case .v6_1:
                #expect(grown.pointer == .slabObject(p))
            case .v6_18:
                #expect(grown.object?.cache == "kmalloc-32")
            }
            try machine.checkInvariants()
        }
    }

    /// mm/slub.c `__kvmalloc_node_noprof`, `kmalloc_gfp_adjust`: kmalloc first (the page
    /// allocator above 8 KiB), vmalloc only when kmalloc fails above a page and the caller
    /// may block; above INT_MAX a one-time warning unless __GFP_NOWARN.
    @Test func kvmallocTriesKmallocThenVmalloc() throws {
        var machine = try KernelMachine()
        #expect(machine.kvmalloc(100).object?.cache == "kmalloc-128")
        guard case .pages(let p)? = machine.kvmalloc(100_000).pointer else {
            Issue.record("kvmalloc(100000) should be an order-5 kmalloc")
            return
        }
        #expect(p.order == 5)
        let big = machine.kvmalloc(5 << 20)
        guard case .vmalloc(let v)? = big.pointer else {
            Issue.record("kvmalloc(5M) should fall back to vmalloc")
            return
        }
        #expect(big.warnings.isEmpty)  // __GFP_NOWARN on the kmalloc attempt
        // VM_ALLOW_HUGE_VMAP: 6 MiB + guard, 2 MiB-aligned, three order-9 blocks.
        #expect(v.size == (6 << 20) + 4096)
        #expect(v.address % (2 << 20) == 0)
        #expect(v.pfns.count == 1536)
        #expect(v.pfns[0] % 512 == 0 && v.pfns[512] % 512 == 0 && v.pfns[1024] % 512 == 0)
        #expect(machine.kvmalloc(5 << 20, .atomic).pointer == .null)
        let huge = machine.kvmalloc(UInt64(Int32.max) + 1)
        #expect(huge.pointer == .null)
        #expect(huge.warnings == [KernelWarnings.kvmallocTooLarge])
        #expect(machine.kvmalloc(UInt64(Int32.max) + 1).warnings.isEmpty)  // once
        // kvfree: is_vmalloc_addr picks vfree, else kfree.
        #expect(
            machine.kvfree(v.address).events.contains {
                if case .areaUnpurged = $0 { true } else { false }
            })
        _ = machine.kvfree(p.address)
        try machine.checkInvariants()
    }

    /// mm/vmalloc.c `__vmalloc_node_range_noprof` `fail:` path: without enough order-9
    /// blocks the huge attempt is vfree'd (its range lazily freed) and 4 KiB pages are used.
    @Test func hugeKvmallocFallsBackToSmallPages() throws {
        var machine = try KernelMachine(memoryBytes: 6 << 20)
        let outcome = machine.kvmalloc(5 << 20)
        guard case .vmalloc(let v)? = outcome.pointer else {
            Issue.record("kvmalloc(5M) on 6 MiB should still succeed with small pages")
            return
        }
        #expect(v.size == (5 << 20) + 4096)
        #expect(v.pfns.count == 1280)
        #expect(outcome.warnings.isEmpty)
        #expect(machine.vmallocinfo().contains("unpurged vm_area"))
        try machine.checkInvariants()
        _ = machine.kvfree(v.address)
        try machine.checkInvariants()
    }

    /// mm/slub.c `kfree` → `virt_to_folio` of a vmalloc address reads the struct page's
    /// compound_head at vmemmap + ((addr - PAGE_OFFSET) >> 12) * 64 + 8, which no memory
    /// backs: arch/x86/mm/fault.c `page_fault_oops`.
    @Test func kfreeOfAVmallocAddressOopses() throws {
        var machine = try KernelMachine()
        let v = try #require(machine.vmalloc(4096).pointer)
        let outcome = machine.kfree(v.address)
        #expect(
            outcome.bug
                == "BUG: unable to handle page fault for address: ffffeb0200000008\n"
                + "#PF: supervisor read access in kernel mode\n"
                + "#PF: error_code(0x0000) - not-present page\nOops: 0000 [#1] SMP NOPTI")
        #expect(machine.isDead)
    }

    /// mm/slab_common.c `find_mergeable`, `slab_unmergeable`: same SLAB_MERGE_SAME flags,
    /// slot within 8 bytes, no ctor, no SLAB_NO_MERGE; kmalloc caches never (SLAB_NO_MERGE
    /// for NORMAL, usersize under CONFIG_HARDENED_USERCOPY for all).
    @Test func mergingRules() throws {
        var machine = try KernelMachine()
        let first = try #require(machine.kmemCacheCreate(name: "a", size: 200).cache)
        let alias = try #require(machine.kmemCacheCreate(name: "b", size: 196).cache)
        #expect(alias.servedBy == "a")
        #expect(machine.slabinfo().contains("\nb ") == false)
        let noMerge = machine.kmemCacheCreate(
            name: "c", size: 200, align: 0, flags: .noMerge, constructor: false)
        #expect(noMerge.cache?.servedBy == "c")
        let ctor = machine.kmemCacheCreate(
            name: "d", size: 200, align: 0, flags: [], constructor: true)
        #expect(ctor.cache?.servedBy == "d")
        let accounted = machine.kmemCacheCreate(
            name: "e", size: 64, align: 0, flags: .account, constructor: false)
        #expect(accounted.cache?.servedBy == "e")  // not kmalloc-cg-64
        let aligned = machine.kmemCacheCreate(
            name: "f", size: 40, align: 0, flags: [.hwcacheAlign, .noMerge], constructor: false)
        if case .cacheCreated(_, let g)? = aligned.outcome.events.first {
            #expect(g.size == 64)  // calculate_alignment: 64-byte lines, 40 > 32
        } else {
            Issue.record("f was not created")
        }
        // kmem_cache_destroy of the alias only drops a reference.
        #expect(machine.kmemCacheDestroy(alias).events.isEmpty)
        #expect(machine.cacheIsLive(first))
        #expect(machine.kmemCacheDestroy(first).events.isEmpty)
        #expect(!machine.cacheIsLive(first))
        #expect(!machine.slabinfo().contains("\na "))
        try machine.checkInvariants()
    }

    /// mm/slab_common.c `kmem_cache_destroy`, mm/slub.c `__kmem_cache_shutdown`,
    /// `free_partial`, `list_slab_objects`.
    @Test func destroyWithObjectsReportsAndLeaks() throws {
        var machine = try KernelMachine()
        let cache = try #require(machine.kmemCacheCreate(name: "my_obj", size: 200).cache)
        let o = try #require(machine.kmemCacheAlloc(cache).object)
        let outcome = machine.kmemCacheDestroy(cache)
        #expect(
            outcome.warnings == [
                """
                =============================================================================
                BUG my_obj (Not tainted): Objects remaining in my_obj on __kmem_cache_shutdown()
                -----------------------------------------------------------------------------

                Slab 0xffffea0004000000 objects=20 used=1 fp=0xffff8881000000c8 flags=0x20000000000000(node=0|zone=2)
                Object 0xffff888100000000 @offset=0
                """,
                "kmem_cache_destroy my_obj: Slab cache still has objects when called from demo_exit+0x15/0x30 [demo]\n"
                    + "WARNING: CPU: 0 PID: 1 at mm/slab_common.c kmem_cache_destroy",
            ])
        #expect(o.address == 0xffff_8881_0000_0000)
        #expect(!machine.slabinfo().contains("my_obj"))
        #expect(machine.snapshot().pages.contains { $0.owner == .slab(cache: "my_obj") })
        try machine.checkInvariants()
        // Emptied first: the slab goes back and nothing is reported.
        var clean = try KernelMachine()
        let c2 = try #require(clean.kmemCacheCreate(name: "tidy", size: 200).cache)
        let p = try #require(clean.kmemCacheAlloc(c2).object)
        _ = clean.kmemCacheFree(c2, p.address)
        let tidy = clean.kmemCacheDestroy(c2)
        #expect(tidy.warnings.isEmpty)
        #expect(tidy.discardedSlabs == 1)
        #expect(clean.buddy.freePages == clean.buddy.pageCount)
        try clean.checkInvariants()
    }

    /// lib/random32.c self test vectors (`test1`, `test2`: LCG seeding, 10 warm-up draws).
    @Test func prandomMatchesTheKernelSelfTest() {
        func seeded(_ seed: UInt32) -> PrandomState {
            let lcg: (UInt32) -> UInt32 = { $0 &* 69069 }
            let s1 = PrandomState.seedWord(lcg(seed), 2)
            let s2 = PrandomState.seedWord(lcg(s1), 8)
            let s3 = PrandomState.seedWord(lcg(s2), 16)
            let s4 = PrandomState.seedWord(lcg(s3), 128)
            var state = PrandomState(words: s1, s2, s3, s4)
            for _ in 0..<10 { _ = state.next() }
            return state
        }
        for (seed, result) in [
            (UInt32(1), UInt32(3_484_351_685)), (2, 2_623_130_059), (3, 3_125_133_893),
            (4, 984_847_254),
        ] {
            var state = seeded(seed)
            #expect(state.next() == result)
        }
        for (seed, iteration, result) in [
            (UInt32(931_557_656), 959, UInt32(2_975_593_782)),
            (1_339_693_295, 876, 3_887_776_532), (1_545_556_285, 961, 1_615_538_833),
        ] {
            var state = seeded(seed)
            for _ in 0..<(iteration - 1) { _ = state.next() }
            #expect(state.next() == result)
        }
    }

    /// mm/slub.c `shuffle_freelist`: a fresh slab hands out a permutation of its slots,
    /// the same for the same seed.
    @Test(arguments: [UInt64(1), 7, 2026])
    func freelistRandomHandsOutAPermutation(seed: UInt64) throws {
        func run(_ seed: UInt64?) throws -> [Int] {
            var machine = try KernelMachine(freelistRandomSeed: seed)
            var indices: [Int] = []
            for _ in 0..<32 { indices.append(try #require(machine.kmalloc(100).object).index) }
            try machine.checkInvariants()
            return indices
        }
        let shuffled = try run(seed)
        #expect(Set(shuffled) == Set(0..<32))
        #expect(shuffled != Array(0..<32))
        #expect(try run(seed) == shuffled)
        #expect(try run(nil) == Array(0..<32))
    }

    /// Seeded random traces over the new calls, invariants after every step.
    @Test(arguments: [UInt64(21), 22, 23, 24])
    func randomApiTracesKeepInvariants(seed: UInt64) throws {
        var rng = SeededRandom(state: seed)
        var machine = try KernelMachine(
            cpus: 1 + Int(seed % 3), memoryBytes: 32 << 20,
            freelistRandomSeed: seed % 2 == 0 ? seed : nil)
        let flags: [GFP] = [
            .kernel, .kernelAccount, GFP.kernel.union(.reclaimable), GFP.kernel.union(.dma),
            .atomic, .noWait,
        ]
        var caches: [KmemCache] = []
        var live: [UInt64] = []
        var objects: [(KmemCache, UInt64)] = []
        for _ in 0..<1500 {
            let gfp = flags[rng.below(flags.count)]
            let roll = rng.below(100)
            var outcome: KernelOutcome
            if roll < 25 || live.isEmpty {
                outcome = machine.kmalloc(UInt64(rng.below(9000)), gfp)
            } else if roll < 33 {
                outcome = machine.kcalloc(UInt64(rng.below(40)), UInt64(rng.below(300)), gfp)
            } else if roll < 43 {
                // krealloc of a vmalloc address oopses (tested above); only kmalloc'ed ones.
                let candidates = live.indices.filter { live[$0] < KernelLayout.vmallocStart }
                guard let i = candidates.isEmpty ? nil : candidates[rng.below(candidates.count)]
                else { continue }
                outcome = machine.krealloc(live[i], UInt64(rng.below(12_000)), gfp)
                if let p = outcome.pointer, p != .null { live.remove(at: i) }
            } else if roll < 50 {
                let size = rng.below(4) == 0 ? rng.below(6 << 20) : rng.below(200_000)
                outcome = machine.kvmalloc(UInt64(size), gfp)
            } else if roll < 53 {
                let made = machine.kmemCacheCreate(
                    name: "c\(caches.count)", size: 8 + rng.below(500), align: 0,
                    flags: rng.below(2) == 0 ? [] : .account, constructor: false)
                if let c = made.cache { caches.append(c) }
                outcome = made.outcome
            } else if roll < 60, !caches.isEmpty {
                let c = caches[rng.below(caches.count)]
                outcome = machine.kmemCacheAlloc(c, gfp)
                if let o = outcome.object { objects.append((c, o.address)) }
                outcome.pointer = nil
            } else if roll < 63, !caches.isEmpty {
                let c = caches.remove(at: rng.below(caches.count))
                // Its objects leak with the cache (or stay with a merge partner).
                objects.removeAll { $0.0 == c }
                outcome = machine.kmemCacheDestroy(c)
            } else if roll < 70, !objects.isEmpty {
                let (c, a) = objects.remove(at: rng.below(objects.count))
                outcome = machine.kmemCacheFree(c, a)
            } else {
                outcome = machine.kvfree(live.remove(at: rng.below(live.count)))
            }
            if let p = outcome.pointer, p.address > KernelLayout.zeroSizePointer {
                live.append(p.address)
            }
            let dead = machine.isDead
            #expect(!dead)
            try machine.checkInvariants()
        }
    }
}
