/// `snapshot()` and `procSelfMaps()`: the state as diagrams and `/proc/self/maps` show it.
extension GlibcMalloc {
    static let programPath = "/home/student/demo"

    /// The chunks of the brk heap in address order, the mmapped chunks and the regions.
    public func snapshot() -> MallocSnapshot {
        let base = initialBreak
        var chunks: [MallocSnapshot.Chunk] = []
        let members = (try? membership()) ?? Membership()
        if sbrkBase != 0 {
            var p = sbrkBase
            while p < top, let head = try? nomask(p) {
                let size = head & ~7
                if size == 0 { break }
                var state = MallocSnapshot.ChunkState.inUse
                var bin: Int?
                if let (s, b) = members.find(p) {
                    state = s
                    bin = b
                } else if tcache != 0, p == tcache - 16 {
                    state = .tcacheStruct
                } else if size == 16 {
                    state = .fencepost
                }
                chunks.append(.init(offset: p - base, size: size, state: state, bin: bin))
                p += size
            }
            if let topSize = try? chunksize(top), topSize > 0 {
                chunks.append(.init(offset: top - base, size: topSize, state: .top))
            }
        }
        // Thread stacks and arena heaps are regions, not malloc's mmapped chunks.
        let mapped = space.mappings.filter { !$0.isStack && !$0.isHeap }.map {
            MallocSnapshot.MappedChunk(
                address: $0.start, size: $0.length,
                residentPages: $0.resident.sorted().map { $0 * ProcessAddressSpace.page })
        }
        return MallocSnapshot(
            initialBreak: base, brk: programBreak - base, heapChunks: chunks,
            mappedChunks: mapped, regions: regions(),
            residentHeapPages: space.residentHeapPages)
    }

    /// The regions of the address space, in address order.
    func regions() -> [MallocSnapshot.Region] {
        var list: [MallocSnapshot.Region] = [
            .init(
                start: 0x5555_5555_4000, end: 0x5555_5555_5000, kind: .text, name: Self.programPath),
            .init(
                start: 0x5555_5555_5000, end: 0x5555_5555_6000, kind: .text, name: Self.programPath),
            .init(
                start: 0x5555_5555_6000, end: 0x5555_5555_7000, kind: .text, name: Self.programPath),
            .init(
                start: 0x5555_5555_7000, end: 0x5555_5555_8000, kind: .data, name: Self.programPath),
            .init(
                start: 0x5555_5555_8000, end: 0x5555_5555_9000, kind: .bss, name: Self.programPath),
        ]
        if programBreak > initialBreak {
            list.append(.init(start: initialBreak, end: programBreak, kind: .heap, name: "[heap]"))
        }
        for m in space.mappings {
            list.append(
                .init(
                    start: m.start, end: m.end, kind: m.isStack ? .stack : .mmapChunk,
                    name: m.isStack ? "thread stack" : m.isHeap ? "arena heap" : ""))
        }
        for lib in Self.libraryLines {
            list.append(.init(start: lib.start, end: lib.end, kind: .library, name: lib.name))
        }
        list.append(
            .init(start: 0x7fff_fffd_e000, end: 0x7fff_ffff_f000, kind: .stack, name: "[stack]"))
        return list
    }

    struct MapsLine {
        var start: UInt64
        var end: UInt64
        var perms: String
        var offset: UInt64
        var device: String
        var inode: Int
        var name: String
        var merges = true

        var isAnonymous: Bool { name.isEmpty && inode == 0 && perms == "rw-p" }
    }

    static let libc = "/usr/lib/x86_64-linux-gnu/libc.so.6"
    static let ld = "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"
    /// libc, ld.so and the kernel's pages as `setarch -R` shows them on Debian 12.
    static let libraryLines: [MapsLine] = [
        anon(0x7fff_f7dd_1000, 0x7fff_f7dd_4000),
        file(0x7fff_f7dd_4000, 0x7fff_f7df_a000, "r--p", 0, 333151, libc),
        file(0x7fff_f7df_a000, 0x7fff_f7f5_0000, "r-xp", 0x26000, 333151, libc),
        file(0x7fff_f7f5_0000, 0x7fff_f7fa_3000, "r--p", 0x17c000, 333151, libc),
        file(0x7fff_f7fa_3000, 0x7fff_f7fa_7000, "r--p", 0x1cf000, 333151, libc),
        file(0x7fff_f7fa_7000, 0x7fff_f7fa_9000, "rw-p", 0x1d3000, 333151, libc),
        anon(0x7fff_f7fa_9000, 0x7fff_f7fb_6000),
        anon(0x7fff_f7fc_0000, 0x7fff_f7fc_2000),
        special(0x7fff_f7fc_2000, 0x7fff_f7fc_6000, "r--p", "[vvar]"),
        special(0x7fff_f7fc_6000, 0x7fff_f7fc_8000, "r--p", "[vvar_vclock]"),
        special(0x7fff_f7fc_8000, 0x7fff_f7fc_a000, "r-xp", "[vdso]"),
        file(0x7fff_f7fc_a000, 0x7fff_f7fc_b000, "r--p", 0, 332717, ld),
        file(0x7fff_f7fc_b000, 0x7fff_f7ff_1000, "r-xp", 0x1000, 332717, ld),
        file(0x7fff_f7ff_1000, 0x7fff_f7ff_b000, "r--p", 0x27000, 332717, ld),
        file(0x7fff_f7ff_b000, 0x7fff_f7ff_d000, "r--p", 0x31000, 332717, ld),
        file(0x7fff_f7ff_d000, 0x7fff_f7ff_f000, "rw-p", 0x33000, 332717, ld),
    ]

    static func anon(_ start: UInt64, _ end: UInt64) -> MapsLine {
        MapsLine(
            start: start, end: end, perms: "rw-p", offset: 0, device: "00:00", inode: 0, name: "")
    }

    static func special(_ start: UInt64, _ end: UInt64, _ perms: String, _ name: String) -> MapsLine
    {
        MapsLine(
            start: start, end: end, perms: perms, offset: 0, device: "00:00", inode: 0, name: name)
    }

    static func file(
        _ start: UInt64, _ end: UInt64, _ perms: String, _ offset: UInt64, _ inode: Int,
        _ name: String
    ) -> MapsLine {
        MapsLine(
            start: start, end: end, perms: perms, offset: offset, device: "fe:00", inode: inode,
            name: name)
    }

    /// `/proc/self/maps` of the modelled process, line for line in the kernel's format.
    ///
    /// Adjacent anonymous mappings are merged into one line, as the kernel merges their VMAs.
    public func procSelfMaps() -> String {
        let program = Self.programPath
        let inode = 1_048_602
        var lines: [MapsLine] = [
            Self.file(0x5555_5555_4000, 0x5555_5555_5000, "r--p", 0, inode, program),
            Self.file(0x5555_5555_5000, 0x5555_5555_6000, "r-xp", 0x1000, inode, program),
            Self.file(0x5555_5555_6000, 0x5555_5555_7000, "r--p", 0x2000, inode, program),
            Self.file(0x5555_5555_7000, 0x5555_5555_8000, "r--p", 0x2000, inode, program),
            Self.file(0x5555_5555_8000, 0x5555_5555_9000, "rw-p", 0x3000, inode, program),
        ]
        if programBreak > initialBreak {
            lines.append(
                MapsLine(
                    start: initialBreak, end: programBreak, perms: "rw-p", offset: 0,
                    device: "00:00", inode: 0, name: "[heap]"))
        }
        // Anonymous mappings next to each other, or next to the anonymous areas around libc,
        // are one line, as the kernel merges the VMAs.
        var upper = Self.libraryLines
        for m in space.mappings {
            // A PROT_NONE part (a thread stack's guard page, a heap beyond its mprotect size) is
            // a line of its own; a stack (MAP_STACK) does not merge with its neighbours.
            func part(_ from: UInt64, _ to: UInt64, _ perms: String) {
                guard from < to else { return }
                upper.append(
                    MapsLine(
                        start: m.start + from, end: m.start + to, perms: perms, offset: 0,
                        device: "00:00", inode: 0, name: "", merges: !m.isStack))
            }
            part(0, m.rwLow, "---p")
            part(m.rwLow, m.rwHigh, "rw-p")
            part(m.rwHigh, m.length, "---p")
        }
        upper.sort { $0.start < $1.start }
        for line in upper {
            if let last = lines.last, last.end == line.start, last.isAnonymous, line.isAnonymous,
                last.merges, line.merges
            {
                lines[lines.count - 1].end = line.end
            } else {
                lines.append(line)
            }
        }
        lines.append(
            MapsLine(
                start: 0x7fff_fffd_e000, end: 0x7fff_ffff_f000, perms: "rw-p", offset: 0,
                device: "00:00", inode: 0, name: "[stack]"))
        lines.append(
            MapsLine(
                start: 0xffff_ffff_ff60_0000, end: 0xffff_ffff_ff60_1000, perms: "--xp", offset: 0,
                device: "00:00", inode: 0, name: "[vsyscall]"))
        var out = ""
        for l in lines {
            var text = hex(l.start, width: 8) + "-" + hex(l.end, width: 8) + " " + l.perms + " "
            text += hex(l.offset, width: 8) + " " + l.device + " " + String(l.inode)
            if l.name.isEmpty {
                text += " "
            } else {
                let used = text.utf8.count
                text += String(repeating: " ", count: max(1, 73 - used)) + l.name
            }
            out += text + "\n"
        }
        return out
    }

    func hex(_ value: UInt64, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
