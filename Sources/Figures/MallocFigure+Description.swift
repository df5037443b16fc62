import AllocatorModels
import Scenarios

extension MallocFigure {
    /// What a screen reader says about a frame: the heap from low to high, the program break,
    /// the mmapped chunks, resident pages, and what changed since the previous frame.
    static func describe(
        _ snapshot: MallocSnapshot, labels: [String: UInt64], previous: MallocSnapshot?
    ) -> String {
        let names = VariableNames(labels)
        var parts: [String] = []
        if snapshot.heapChunks.isEmpty {
            parts.append(
                "No heap yet: the program break is at its initial value \(Units.hex(snapshot.initialBreak))."
            )
        } else {
            parts.append(
                "Heap from \(Units.hex(snapshot.initialBreak)) up to the program break at "
                    + "heap+\(Units.hex(snapshot.brk)) (\(Units.bytes(snapshot.brk))).")
            let chunks = snapshot.heapChunks.map {
                describe($0, names: names, base: snapshot.initialBreak)
            }
            parts.append("Chunks from low to high: " + chunks.joined(separator: "; ") + ".")
            let pages = (snapshot.brk + pageSize - 1) / pageSize
            parts.append("\(snapshot.residentHeapPages.count) of \(pages) heap pages resident.")
        }
        if snapshot.mappedChunks.isEmpty {
            parts.append("No mmapped chunks.")
        } else {
            let mapped = snapshot.mappedChunks.map { chunk in
                let held = names.holding(chunk.address + 16)
                return (held.isEmpty ? "" : "\(held): ")
                    + "\(chunk.size) bytes at \(Units.hex(chunk.address))"
            }
            parts.append("Mmapped chunks: " + mapped.joined(separator: "; ") + ".")
        }
        if let previous {
            parts.append(changes(from: previous, to: snapshot, names: names))
        }
        return parts.joined(separator: " ")
    }

    private static func describe(_ chunk: MallocSnapshot.Chunk, names: VariableNames, base: UInt64)
        -> String
    {
        let held = ChunkStyle.holders(of: chunk, names: names, base: base)
        return (held.isEmpty ? "" : "\(held) ") + ChunkStyle.label(chunk)
            + ", \(chunk.size) bytes at heap+\(Units.hex(chunk.offset))"
    }

    private static func changes(
        from old: MallocSnapshot, to new: MallocSnapshot, names: VariableNames
    ) -> String {
        var out: [String] = []
        if old.brk != new.brk {
            out.append(
                "program break moved from heap+\(Units.hex(old.brk)) to heap+\(Units.hex(new.brk))")
        }
        let oldChunks = Set(old.heapChunks)
        for chunk in new.heapChunks where !oldChunks.contains(chunk) {
            out.append(describe(chunk, names: names, base: new.initialBreak))
        }
        let oldMapped = Set(old.mappedChunks)
        let newMapped = Set(new.mappedChunks)
        for chunk in new.mappedChunks where !oldMapped.contains(chunk) {
            out.append("new mmapped chunk of \(chunk.size) bytes at \(Units.hex(chunk.address))")
        }
        for chunk in old.mappedChunks where !newMapped.contains(chunk) {
            out.append("mmapped chunk at \(Units.hex(chunk.address)) unmapped")
        }
        let touched = Set(new.residentHeapPages).subtracting(old.residentHeapPages).count
        if touched > 0 { out.append("\(touched) more heap pages resident") }
        return out.isEmpty ? "Nothing changed." : "Changed: " + out.joined(separator: "; ") + "."
    }
}
