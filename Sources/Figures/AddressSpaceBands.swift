import AllocatorModels
import Scenarios

/// The process address space of a malloc snapshot as bands on a broken axis, low to high.
///
/// Consecutive shared-library mappings merge into one band, as do adjacent mappings of one
/// file with one kind (the program's text mappings); the space between two bands
/// becomes a gap that the figure draws at a fixed height whatever its size, so that a
/// 30 KiB heap and a 128 TiB hole are both readable.
struct AddressSpaceBands {
    /// One band: a region (or a merged run of library regions) of the address space.
    struct Band: Hashable {
        var start: UInt64
        var end: UInt64
        var kind: MallocSnapshot.Region.Kind
        var name: String

        var size: UInt64 { end - start }
    }

    /// The bands in address order.
    var bands: [Band]

    /// Builds the bands from a snapshot's regions, or from its heap and mapped chunks when the
    /// model reported no regions.
    init(_ snapshot: MallocSnapshot) {
        var regions = snapshot.regions.sorted { ($0.start, $0.end) < ($1.start, $1.end) }
        if regions.isEmpty {
            if snapshot.brk > 0 {
                regions.append(
                    .init(
                        start: snapshot.initialBreak, end: snapshot.initialBreak + snapshot.brk,
                        kind: .heap, name: "[heap]"))
            }
            for chunk in snapshot.mappedChunks {
                regions.append(
                    .init(
                        start: chunk.address, end: chunk.address + chunk.size, kind: .mmapChunk,
                        name: ""))
            }
            regions.sort { ($0.start, $0.end) < ($1.start, $1.end) }
        }
        var bands: [Band] = []
        for region in regions where region.end >= region.start {
            // Consecutive library mappings merge into one band, and so do adjacent mappings of
            // one file with the same kind (the program's r--, r-x and r-- text mappings).
            if let last = bands.last, last.kind == region.kind,
                region.kind == .library
                    || (region.kind != .mmapChunk && last.end == region.start
                        && last.name == region.name)
            {
                bands[bands.count - 1].end = max(last.end, region.end)
                continue
            }
            bands.append(
                Band(
                    start: region.start, end: region.end, kind: region.kind, name: region.name))
        }
        // A heap that has not been created yet is still drawn, empty, at the initial break.
        if !bands.contains(where: { $0.kind == .heap }) {
            let empty = Band(
                start: snapshot.initialBreak, end: snapshot.initialBreak, kind: .heap,
                name: "[heap]")
            let index = bands.firstIndex { $0.start > snapshot.initialBreak } ?? bands.count
            bands.insert(empty, at: index)
        }
        self.bands = bands
    }

    /// The size of the hole between band `index` and the band after it (0 if adjacent).
    func gap(after index: Int) -> UInt64 {
        guard index + 1 < bands.count else { return 0 }
        let next = bands[index + 1].start
        return next > bands[index].end ? next - bands[index].end : 0
    }
}
