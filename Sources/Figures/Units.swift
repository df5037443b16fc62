/// Number formatting for figure labels: exact, deterministic, no Foundation.
enum Units {
    /// `0x` followed by lowercase hex digits.
    static func hex<T: BinaryInteger>(_ value: T) -> String {
        "0x" + String(value, radix: 16)
    }

    /// A byte count in binary units: `656 B`, `30 KiB`, `30.1 KiB`, `127.9 TiB`.
    ///
    /// Whole multiples print without a decimal; others round to one decimal.
    static func bytes(_ value: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var index = 0
        var unit: UInt64 = 1
        while index + 1 < units.count && value >= unit * 1024 {
            unit *= 1024
            index += 1
        }
        if value % unit == 0 {
            return "\(value / unit) \(units[index])"
        }
        // Tenths, rounded half up, in integer arithmetic: rest < unit <= 2^60, so rest * 10
        // stays below 2^64.
        let whole = value / unit
        let rest = value % unit
        let tenths = whole * 10 + (rest * 10 + unit / 2) / unit
        return "\(tenths / 10).\(tenths % 10) \(units[index])"
    }

    /// The base-2 logarithm of `value` (at least 1), as an integer-friendly Double.
    static func log2(_ value: UInt64) -> Double {
        var v = max(value, 1)
        var bits = 0
        while v > 1 {
            v >>= 1
            bits += 1
        }
        // Linear interpolation between powers of two keeps heights monotonic and deterministic.
        let low = UInt64(1) << UInt64(bits)
        return Double(bits) + Double(max(value, 1) - low) / Double(low)
    }

    /// `value` clamped to `range`.
    static func clamp(_ value: Int, _ range: ClosedRange<Int>) -> Int {
        min(max(value, range.lowerBound), range.upperBound)
    }
}
