import AllocatorModels
import Testing

/// Unit tests of the malloc model against the spec's ground-truth tables (§11) and probes.
@Suite struct GlibcMallocTests {
    /// One row of the spec's §11 tables.
    struct Row: Equatable, CustomStringConvertible {
        var brk: UInt64, pointer: String, arena: UInt64, hblks: UInt64, hblkhd: UInt64
        var uordblks: UInt64, fordblks: UInt64, keepcost: UInt64, ordblks: UInt64
        var description: String {
            "brk \(brk) ptr \(pointer) arena \(arena) hblks \(hblks) hblkhd \(hblkhd) "
                + "uord \(uordblks) ford \(fordblks) keep \(keepcost) ord \(ordblks)"
        }
    }

    func row(_ m: GlibcMalloc, _ outcome: MallocOutcome?) -> Row {
        let info = m.mallinfo2()
        var pointer = "-"
        if let p = outcome?.pointer {
            pointer =
                m.headerWord(of: p) & 2 != 0
                ? "mmap \(m.headerWord(of: p) & ~7)" : "0x" + String(p - m.initialBreak, radix: 16)
        }
        #expect(info.smblks == 0 && info.fsmblks == 0 && info.usmblks == 0)
        return Row(
            brk: m.programBreak - m.initialBreak, pointer: pointer, arena: info.arena,
            hblks: info.hblks, hblkhd: info.hblkhd, uordblks: info.uordblks,
            fordblks: info.fordblks, keepcost: info.keepcost, ordblks: info.ordblks)
    }

    /// Runs the seed story, checking invariants after every step; returns rows and events.
    func seedStory(fixedThreshold: Bool) throws -> ([Row], [[MallocEvent]]) {
        var m = GlibcMalloc()
        if fixedThreshold { #expect(m.mallopt(.mmapThreshold, Int32(131072)) == 1) }
        var rows: [Row] = []
        var events: [[MallocEvent]] = []
        var pointers: [String: UInt64] = [:]
        for (name, size) in [("A", 30720), ("B", 40960), ("C", 204800), ("D", 102400)] {
            let outcome = m.malloc(UInt64(size))
            pointers[name] = outcome.pointer
            try m.checkInvariants()
            rows.append(row(m, outcome))
            events.append(outcome.events)
        }
        for name in ["C", "B", "D"] {
            let outcome = m.free(pointers[name] ?? 0)
            try m.checkInvariants()
            rows.append(row(m, nil))
            events.append(outcome.events)
        }
        return (rows, events)
    }

    static let defaults: [Row] = [
        Row(
            brk: 135168, pointer: "0x2a0", arena: 135168, hblks: 0, hblkhd: 0, uordblks: 31392,
            fordblks: 103776, keepcost: 103776, ordblks: 1),
        Row(
            brk: 135168, pointer: "0x7ab0", arena: 135168, hblks: 0, hblkhd: 0, uordblks: 72368,
            fordblks: 62800, keepcost: 62800, ordblks: 1),
        Row(
            brk: 135168, pointer: "mmap 208896", arena: 135168, hblks: 1, hblkhd: 208896,
            uordblks: 72368, fordblks: 62800, keepcost: 62800, ordblks: 1),
        Row(
            brk: 307200, pointer: "0x11ac0", arena: 307200, hblks: 1, hblkhd: 208896,
            uordblks: 174784, fordblks: 132416, keepcost: 132416, ordblks: 1),
        Row(
            brk: 307200, pointer: "-", arena: 307200, hblks: 0, hblkhd: 0, uordblks: 174784,
            fordblks: 132416, keepcost: 132416, ordblks: 1),
        Row(
            brk: 307200, pointer: "-", arena: 307200, hblks: 0, hblkhd: 0, uordblks: 133808,
            fordblks: 173392, keepcost: 132416, ordblks: 2),
        Row(
            brk: 307200, pointer: "-", arena: 307200, hblks: 0, hblkhd: 0, uordblks: 31392,
            fordblks: 275808, keepcost: 275808, ordblks: 1),
    ]

    @Test func seedStoryMatchesTheSpecTable() throws {
        let (rows, events) = try seedStory(fixedThreshold: false)
        #expect(rows == Self.defaults)
        let base: UInt64 = 0x5555_5555_9000
        #expect(
            events[0] == [
                .brkGrown(bytes: 0x21000, newBreak: base + 0x21000),
                .fromTop(chunk: base, topSize: 0x21000 - 0x290),
                .tcacheCreated(chunk: base),
                .fromTop(chunk: base + 0x290, topSize: 103776),
            ])
        #expect(events[2] == [.mmapped(address: 0x7fff_f7d9_e000, size: 208896)])
        #expect(
            events[3] == [
                .brkGrown(bytes: 172032, newBreak: base + 307200),
                .fromTop(chunk: base + 0x11ab0, topSize: 132416),
            ])
        #expect(
            events[4] == [
                .munmapped(size: 208896, raisedMmapThreshold: 208896, raisedTrimThreshold: 417792)
            ])
        #expect(events[5] == [.freedToUnsorted(chunk: base + 0x7aa0, size: 40976)])
        #expect(events[6] == [.mergedIntoTop(topSize: 275808)])
    }

    @Test func seedStoryWithAFixedThresholdTrims() throws {
        let (rows, events) = try seedStory(fixedThreshold: true)
        var expected = Self.defaults
        expected[6] = Row(
            brk: 163840, pointer: "-", arena: 163840, hblks: 0, hblkhd: 0, uordblks: 31392,
            fordblks: 132448, keepcost: 132448, ordblks: 1)
        #expect(rows == expected)
        #expect(
            events[4] == [
                .munmapped(size: 208896, raisedMmapThreshold: nil, raisedTrimThreshold: nil)
            ])
        #expect(
            events[6] == [
                .mergedIntoTop(topSize: 275808),
                .trimmed(bytes: 143360, newBreak: 0x5555_5555_9000 + 163840),
            ])
    }

    @Test func mallocStatsPrintsGlibcsText() {
        var m = GlibcMalloc()
        let a = m.malloc(30720).pointer, b = m.malloc(40960).pointer, c = m.malloc(204800).pointer
        let d = m.malloc(102400).pointer
        _ = m.malloc(300000)
        for p in [c, b, d] { _ = m.free(p ?? 0) }
        _ = a
        // Measured with a C program calling malloc_stats() after the same calls.
        #expect(
            m.mallocStats() == """
                Arena 0:
                system bytes     =     307200
                in use bytes     =      31392
                Total (incl. mmap):
                system bytes     =     610304
                in use bytes     =     334496
                max mmap regions =          2
                max mmap bytes   =     512000

                """)
    }

    @Test func procSelfMapsHasTheKernelsFormat() {
        var m = GlibcMalloc()
        _ = m.malloc(30720)
        _ = m.malloc(204800)
        let maps = m.procSelfMaps().split(separator: "\n")
        #expect(
            maps[0]
                == "555555554000-555555555000 r--p 00000000 fe:00 1048602                    /home/student/demo"
        )
        #expect(
            maps[5]
                == "555555559000-55555557a000 rw-p 00000000 00:00 0                          [heap]"
        )
        #expect(maps[6] == "7ffff7d9e000-7ffff7dd4000 rw-p 00000000 00:00 0 ")
        #expect(
            maps[7]
                == "7ffff7dd4000-7ffff7dfa000 r--p 00000000 fe:00 333151                     /usr/lib/x86_64-linux-gnu/libc.so.6"
        )
        #expect(
            maps.last
                == "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]"
        )
        #expect(
            maps.contains(
                "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]"))
    }

    @Test func usableSizesAreGlibcs() {
        var m = GlibcMalloc()
        let small = m.malloc(1).pointer ?? 0
        let edge = m.malloc(1032).pointer ?? 0
        let mapped = m.malloc(204800).pointer ?? 0
        #expect(m.usableSize(small) == 24)
        #expect(m.usableSize(edge) == 1032)
        #expect(m.usableSize(mapped) == 208896 - 16)
        #expect(m.usableSize(0) == 0)
    }

    @Test func pagesBecomeResidentWhenTouched() throws {
        var m = GlibcMalloc()
        let a = try #require(m.malloc(30720).pointer)
        // Headers were written on pages 0 (tcache struct, A) and 7 (top at 0x7aa0).
        #expect(m.snapshot().residentHeapPages == [0, 0x7000])
        #expect(m.touch(a, 30720) == nil)
        #expect(m.snapshot().residentHeapPages == (0...7).map { UInt64($0) * 4096 })
        #expect(m.touch(0x1000, 8) == .segfault)
        #expect(m.malloc(8).fatal == .segfault)
    }

    /// Addresses measured with `setarch -R` on a C program doing the same three calls.
    @Test func mmapPlacementFollowsTheKernelTopDown() throws {
        var m = GlibcMalloc()
        let a = m.malloc(300000).pointer
        let b = m.realloc(a, 600000).pointer
        let c = m.malloc(200000).pointer
        #expect(a == 0x7fff_f7d8_7010)
        #expect(b == 0x7fff_f7cf_4010)
        #expect(c == 0x7fff_f7da_0010)
        try m.checkInvariants()
    }

    @Test func mmappedPagesBecomeResidentWhenTouched() throws {
        var m = GlibcMalloc()
        let c = try #require(m.malloc(204800).pointer)
        #expect(m.snapshot().mappedChunks.map(\.residentPages) == [[0]])
        #expect(m.touch(c + 8192, 10) == nil)
        #expect(m.snapshot().mappedChunks.map(\.residentPages) == [[0, 8192]])
        _ = m.free(c)
        #expect(m.snapshot().mappedChunks.isEmpty)
        try m.checkInvariants()
    }

    @Test func callocSkipsTcacheButMallocUsesIt() throws {
        var m = GlibcMalloc()
        let a = try #require(m.malloc(40).pointer)
        _ = m.free(a)
        let c = m.calloc(1, 40)
        #expect(c.pointer != a)
        let again = m.malloc(40)
        #expect(again.pointer == a)
        #expect(again.events == [.fromTcache(bin: 1, left: 0)])
        try m.checkInvariants()
    }

    @Test func deadProcessRefusesEverything() {
        var m = GlibcMalloc()
        let a = m.malloc(24).pointer ?? 0
        _ = m.free(a)
        let fatal = MallocFatal.abort("free(): double free detected in tcache 2")
        #expect(m.free(a).fatal == fatal)
        #expect(m.malloc(10) == MallocOutcome(fatal: fatal))
        #expect(m.termination == fatal)
    }

    @Test func malloptRejectsAnOversizedMxfast() {
        var m = GlibcMalloc()
        #expect(m.mallopt(.mxfast, Int32(161)) == 0)
        #expect(m.mallopt(.mxfast, Int32(160)) == 1)
    }

    @Test func snapshotCoversTheHeap() throws {
        var m = GlibcMalloc()
        let a = m.malloc(2000).pointer ?? 0
        _ = m.malloc(100)
        _ = m.free(a)
        let s = m.snapshot()
        #expect(s.heapChunks.map(\.state) == [.tcacheStruct, .unsorted, .inUse, .top])
        #expect(s.heapChunks.reduce(0) { $0 + $1.size } == s.brk)
        #expect(s.heapChunks[1].offset == 0x290 && s.heapChunks[1].bin == 1)
    }
}
