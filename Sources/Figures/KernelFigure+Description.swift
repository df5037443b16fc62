import AllocatorModels
import Scenarios

extension KernelFigure {
    /// What a screen reader says about a frame: free memory per order, the slab caches, the
    /// vmalloc areas and their frames, and what changed since the previous frame.
    static func describe(
        _ snapshot: KernelSnapshot, labels: [String: UInt64], previous: KernelSnapshot?
    ) -> String {
        let names = VariableNames(labels)
        var parts: [String] = []
        let free = snapshot.pages.filter { $0.owner == .free }.reduce(0) { $0 + $1.count }
        parts.append("Physical memory: \(snapshot.totalPages) page frames, \(free) free.")
        let lists = snapshot.freeLists.enumerated().map {
            "order \($0.offset): \($0.element.count)"
        }
        parts.append("Free blocks per order: " + lists.joined(separator: ", ") + ".")
        let allocated = snapshot.pages.filter { $0.owner != .free && $0.owner != .reserved }
        if !allocated.isEmpty {
            let runs = allocated.map { run in
                "\(run.count) at pfn \(run.pfn) \(ownerName(run.owner))"
            }
            parts.append("Allocated pages: " + runs.joined(separator: "; ") + ".")
        }
        for cache in snapshot.caches {
            let used = cache.slabs.reduce(0) { $0 + $1.used.filter { $0 }.count }
            parts.append(
                "Cache \(cache.name): \(cache.slabs.count) slabs, \(used) of "
                    + "\(cache.slabs.count * cache.objectsPerSlab) objects of \(cache.objectSize) bytes in use."
            )
        }
        for area in snapshot.vmallocAreas {
            let held = names.holding(area.address)
            let who = held.isEmpty ? "" : "\(held): "
            if area.state == .unpurged {
                parts.append(
                    "\(who)vmalloc range \(Units.hex(area.address)), \(area.size) bytes, freed but not yet purged."
                )
            } else {
                let frames = area.pfns.map { "\($0)" }.joined(separator: ", ")
                parts.append(
                    "\(who)vmalloc area \(Units.hex(area.address)), \(area.size) bytes including a guard page, "
                        + "pages mapped to frames (pfn) \(frames).")
            }
        }
        if let previous {
            parts.append(changes(from: previous, to: snapshot))
        }
        return parts.joined(separator: " ")
    }

    private static func changes(from old: KernelSnapshot, to new: KernelSnapshot) -> String {
        var out: [String] = []
        let pfns = changedPfns(from: old, to: new)
        if !pfns.isEmpty { out.append("\(pfns.count) page frames changed owner") }
        for (order, list) in new.freeLists.enumerated()
        where order >= old.freeLists.count || old.freeLists[order] != list {
            let before = order < old.freeLists.count ? old.freeLists[order].count : 0
            out.append("order \(order) free blocks \(before) → \(list.count)")
        }
        for cache in new.caches {
            let used = cache.slabs.reduce(0) { $0 + $1.used.filter { $0 }.count }
            let oldCache = old.caches.first { $0.name == cache.name }
            let oldUsed =
                oldCache.map { $0.slabs.reduce(0) { $0 + $1.used.filter { $0 }.count } } ?? 0
            if used != oldUsed || oldCache?.slabs.count != cache.slabs.count {
                out.append("\(cache.name) objects in use \(oldUsed) → \(used)")
            }
        }
        let oldAreas = Set(old.vmallocAreas)
        for area in new.vmallocAreas where !oldAreas.contains(area) {
            out.append("vmalloc area \(Units.hex(area.address)) now \(area.state.rawValue)")
        }
        return out.isEmpty ? "Nothing changed." : "Changed: " + out.joined(separator: "; ") + "."
    }
}
