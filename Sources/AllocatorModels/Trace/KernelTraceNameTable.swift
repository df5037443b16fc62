/// Maps names (UTF-8 byte strings) to dense slots with an open-addressing table and an
/// FNV-1a hash, so that parsing a million-line trace does not hash a `String` per line.
struct KernelTraceNameTable {
    private var storage: [UInt8] = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var table: [Int32] = Array(repeating: -1, count: 1024)
    private var mask = 1023

    /// Number of distinct names.
    var count: Int { starts.count }

    /// The name of a slot.
    func name(_ slot: Int) -> String {
        String(decoding: storage[starts[slot]..<ends[slot]], as: UTF8.self)
    }

    private static func hash(_ bytes: ArraySlice<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    private func matches(_ slot: Int, _ bytes: ArraySlice<UInt8>) -> Bool {
        guard ends[slot] - starts[slot] == bytes.count else { return false }
        var i = starts[slot]
        for b in bytes {
            if storage[i] != b { return false }
            i += 1
        }
        return true
    }

    /// The slot of `bytes`, or `nil`.
    func find(_ bytes: ArraySlice<UInt8>) -> Int? {
        var i = Self.hash(bytes) & mask
        while table[i] >= 0 {
            if matches(Int(table[i]), bytes) { return Int(table[i]) }
            i = (i + 1) & mask
        }
        return nil
    }

    /// The slot of `bytes`, inserting it when new.
    mutating func insert(_ bytes: ArraySlice<UInt8>) -> (slot: Int, isNew: Bool) {
        var i = Self.hash(bytes) & mask
        while table[i] >= 0 {
            if matches(Int(table[i]), bytes) { return (Int(table[i]), false) }
            i = (i + 1) & mask
        }
        let slot = starts.count
        starts.append(storage.count)
        storage.append(contentsOf: bytes)
        ends.append(storage.count)
        table[i] = Int32(slot)
        if starts.count * 2 > table.count { grow() }
        return (slot, true)
    }

    private mutating func grow() {
        table = Array(repeating: -1, count: table.count * 2)
        mask = table.count - 1
        for slot in starts.indices {
            var i = Self.hash(storage[starts[slot]..<ends[slot]]) & mask
            while table[i] >= 0 { i = (i + 1) & mask }
            table[i] = Int32(slot)
        }
    }
}
