/// Sizes in allocation traces, shared by the glibc and kernel trace parsers.
enum TraceSize {
    /// Parses decimal or `0x` hexadecimal digits, optionally followed by K, M or G (binary
    /// multiples); `nil` when malformed or larger than 64 bits.
    static func parse<Bytes: BidirectionalCollection>(_ text: Bytes) -> UInt64?
    where Bytes.Element == UInt8 {
        var digits = text[...]
        var shift: UInt64 = 0
        switch digits.last {
        case UInt8(ascii: "K"), UInt8(ascii: "k"): shift = 10
        case UInt8(ascii: "M"), UInt8(ascii: "m"): shift = 20
        case UInt8(ascii: "G"), UInt8(ascii: "g"): shift = 30
        default: break
        }
        if shift != 0 { digits = digits.dropLast() }
        var radix: UInt64 = 10
        if digits.count > 2, digits.first == UInt8(ascii: "0"),
            digits.dropFirst().first == UInt8(ascii: "x")
                || digits.dropFirst().first == UInt8(ascii: "X")
        {
            radix = 16
            digits = digits.dropFirst(2)
        }
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt64
            switch byte {
            case 48...57: digit = UInt64(byte - 48)
            case 97...102 where radix == 16: digit = UInt64(byte - 87)
            case 65...70 where radix == 16: digit = UInt64(byte - 55)
            default: return nil
            }
            let (m, o1) = value.multipliedReportingOverflow(by: radix)
            let (a, o2) = m.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = a
        }
        guard value <= UInt64.max >> shift else { return nil }
        return value << shift
    }
}
