import Testing

@testable import AllocatorModels

/// The 6.1 LTS profile against the 6.18 default.
@Suite struct KernelVersionTests {
    static func machine(_ version: KernelVersion, cpus: Int = 4) throws -> KernelMachine {
        var configuration = KernelMachine.Configuration(cpus: cpus, memoryBytes: 64 << 20)
        configuration.version = version
        return try KernelMachine(configuration)
    }

    /// Caches that took a new slab during a call (a fresh machine: every first use does).
    static func newSlabCaches(_ outcome: KernelOutcome) -> Set<String> {
        var names: Set<String> = []
        for case .newSlab(let cache, _, _, _) in outcome.events { names.insert(cache) }
        return names
    }

    @Test func vmStructIsSixtyFourBytesInSixOne() throws {
        var old = try Self.machine(.v6_1)
        var new = try Self.machine(.v6_18)
        let oldCaches = Self.newSlabCaches(old.vmalloc(20000))
        let newCaches = Self.newSlabCaches(new.vmalloc(20000))
        try old.checkInvariants()
        try new.checkInvariants()
        // 6.1: vm_struct and the 5-entry page array (40 bytes) are both kmalloc-64 objects.
        #expect(oldCaches == ["kmalloc-64", "vmap_area"])
        // 6.18: the 72-byte vm_struct is in kmalloc-96, the page array in kmalloc-64.
        #expect(newCaches == ["kmalloc-96", "kmalloc-64", "vmap_area"])
    }

    @Test func sixOneHasNoVmapNodesAndNoPools() throws {
        #expect(try Self.machine(.v6_1).vmalloc.nodes == 1)
        #expect(try Self.machine(.v6_18).vmalloc.nodes == 4)
        #expect(!KernelVersion.v6_1.hasVmapNodes)
    }

    @Test func bothAllowOrdersUpToTenAndWarnInTheirOwnWords() throws {
        var old = try Self.machine(.v6_1)
        var new = try Self.machine(.v6_18)
        #expect(old.allocPages(order: 10).pointer != .null)
        let oldWarning = old.allocPages(order: 11).warnings
        let newWarning = new.allocPages(order: 11).warnings
        #expect(oldWarning.first == "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c __alloc_pages")
        #expect(newWarning.first?.contains("__alloc_frozen_pages_noprof") == true)
        #expect(oldWarning.first?.contains("noprof") == false)
    }
}
