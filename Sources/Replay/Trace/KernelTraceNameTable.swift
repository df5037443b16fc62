/// Maps names (UTF-8 byte strings) to dense slots with an open-addressing table and an
/// FNV-1a hash, so that parsing a million-line trace does not hash a `String` per line.
///
/// Each table entry packs the upper 32 bits of the hash with slot + 1 (0 = empty), so a
/// probe touches the stored bytes only when the hashes agree.
struct KernelTraceNameTable {
    private var storage: [UInt8] = []
    /// Per slot: start in `storage` << 32 | length.
    private var spans: [UInt64] = []
    private var table: [UInt64] = Array(repeating: 0, count: 1024)
    private var mask = 1023

    /// Number of distinct names.
    var count: Int { spans.count }

    /// The name of a slot.
    func name(_ slot: Int) -> String {
        let start = Int(spans[slot] >> 32)
        let length = Int(spans[slot] & 0xffff_ffff)
        return String(decoding: storage[start..<(start + length)], as: UTF8.self)
    }

    private static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h ^ (h >> 29)
    }

    private func matches(_ slot: Int, _ bytes: ArraySlice<UInt8>) -> Bool {
        let start = Int(spans[slot] >> 32)
        guard Int(spans[slot] & 0xffff_ffff) == bytes.count else { return false }
        var i = start
        for b in bytes {
            if storage[i] != b { return false }
            i += 1
        }
        return true
    }

    /// The table position holding `bytes`, or the empty position where it would go.
    private func position(_ bytes: ArraySlice<UInt8>, _ h: UInt64) -> (index: Int, slot: Int?) {
        let tag = h >> 32
        var i = Int(truncatingIfNeeded: h) & mask
        while table[i] != 0 {
            let entry = table[i]
            if entry >> 32 == tag {
                let slot = Int(entry & 0xffff_ffff) - 1
                if matches(slot, bytes) { return (i, slot) }
            }
            i = (i + 1) & mask
        }
        return (i, nil)
    }

    /// The slot of `bytes`, or `nil`.
    func find(_ bytes: ArraySlice<UInt8>) -> Int? {
        position(bytes, Self.hash(bytes)).slot
    }

    /// The slot of `bytes`, inserting it when new.
    mutating func insert(_ bytes: ArraySlice<UInt8>) -> (slot: Int, isNew: Bool) {
        let h = Self.hash(bytes)
        let (index, found) = position(bytes, h)
        if let found { return (found, false) }
        let slot = spans.count
        spans.append(UInt64(storage.count) << 32 | UInt64(bytes.count))
        storage.append(contentsOf: bytes)
        table[index] = (h >> 32) << 32 | UInt64(slot + 1)
        if spans.count * 2 > table.count { grow() }
        return (slot, true)
    }

    private mutating func grow() {
        let old = table
        table = Array(repeating: 0, count: old.count * 2)
        mask = table.count - 1
        for entry in old where entry != 0 {
            let slot = Int(entry & 0xffff_ffff) - 1
            let start = Int(spans[slot] >> 32)
            let length = Int(spans[slot] & 0xffff_ffff)
            var i = Int(truncatingIfNeeded: Self.hash(storage[start..<(start + length)])) & mask
            while table[i] != 0 { i = (i + 1) & mask }
            table[i] = entry
        }
    }
}
