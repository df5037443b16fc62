/// Open-addressing table from ID bytes (ranges of the input) to slots, with no String per line.
struct GlibcSlotTable {
    /// (start, end, slot) per bucket; start == -1 for an empty bucket.
    var buckets: [(start: Int, end: Int, slot: Int)] = Array(repeating: (-1, 0, 0), count: 1024)
    var count = 0
    /// 64 - log2(buckets.count): the index is the top bits of the mixed hash.
    var shift: UInt64 = 54

    func index(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for k in start..<end { h = (h ^ UInt64(bytes[k])) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: (h &* 0x9e37_79b9_7f4a_7c15) >> shift)
    }

    func same(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int, _ start: Int, _ end: Int)
        -> Bool
    {
        guard b - a == end - start else { return false }
        for k in 0..<(end - start) where bytes[a + k] != bytes[start + k] { return false }
        return true
    }

    func find(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        let mask = buckets.count - 1
        var i = index(bytes, start, end)
        while buckets[i].start >= 0 {
            if same(bytes, buckets[i].start, buckets[i].end, start, end) { return buckets[i].slot }
            i = (i + 1) & mask
        }
        return nil
    }

    mutating func findOrInsert(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, next: Int
    ) -> (Int, Bool) {
        if count * 2 >= buckets.count { grow(bytes) }
        let mask = buckets.count - 1
        var i = index(bytes, start, end)
        while buckets[i].start >= 0 {
            if same(bytes, buckets[i].start, buckets[i].end, start, end) {
                return (buckets[i].slot, false)
            }
            i = (i + 1) & mask
        }
        buckets[i] = (start, end, next)
        count += 1
        return (next, true)
    }

    mutating func grow(_ bytes: UnsafeBufferPointer<UInt8>) {
        let old = buckets
        buckets = Array(repeating: (-1, 0, 0), count: old.count * 2)
        shift -= 1
        let mask = buckets.count - 1
        for b in old where b.start >= 0 {
            var i = index(bytes, b.start, b.end)
            while buckets[i].start >= 0 { i = (i + 1) & mask }
            buckets[i] = b
        }
    }
}
