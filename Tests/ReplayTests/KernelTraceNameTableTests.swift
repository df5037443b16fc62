import AllocatorModels
import Testing

@testable import Replay

@Suite struct KernelTraceNameTableTests {
    @Test func manyNamesGetDenseSlotsAndAreFoundAgain() {
        var table = KernelTraceNameTable()
        let names =
            (0..<50_000).map { Array("id\($0)".utf8) } + [Array("é".utf8), [UInt8(ascii: "x")]]
        for (i, name) in names.enumerated() {
            let (slot, isNew) = table.insert(name[...])
            #expect(slot == i && isNew)
        }
        #expect(table.count == names.count)
        for (i, name) in names.enumerated() where i % 97 == 0 || i >= 50_000 {
            #expect(table.find(name[...]) == i)
            #expect(table.insert(name[...]) == (i, false))
            #expect(table.name(i) == String(decoding: name, as: UTF8.self))
        }
        #expect(table.find(Array("id50000".utf8)[...]) == nil)
        #expect(table.find(Array("i".utf8)[...]) == nil)
    }
}
