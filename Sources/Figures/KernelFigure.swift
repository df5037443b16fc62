import AllocatorModels
import Scenarios

/// Draws a kernel snapshot: the physical page map coloured by owner, the buddy free lists,
/// the slab caches slot by slot, and the vmalloc areas mapped page by page onto their frames.
enum KernelFigure {
    static let width = PanelSet.width
    static let mapX = 64
    static let pagesPerRow = 32
    static let cell = 8
    /// x86_64 `PAGE_OFFSET` without KASLR: the direct map, where kmalloc addresses live.
    static let directMapBase: UInt64 = KernelLayout.pageOffset

    /// Lays out one frame as panels: the physical pages (with the buddy free lists as one
    /// line when they did not change), the buddy free lists, one panel per slab cache and
    /// one per vmalloc area.
    ///
    /// `previous` (the frame before, if any) marks what changed.
    static func draw(
        _ snapshot: KernelSnapshot, labels: [String: UInt64], previous: KernelSnapshot?,
        shared: inout SharedParts?
    ) -> PanelSet {
        // Every section and row is a part drawn from y = 0 (see `SharedParts`): what did not
        // change from one step to the next is sent once per figure.
        var set = PanelSet()
        let names = VariableNames(labels)
        let palette = SlabPalette(snapshot)
        var map = Canvas(width: width, name: "physical pages")
        var y = drawPageMap(
            snapshot, palette: palette, previous: previous, shared: &shared, into: &map)
        y = map.place(at: y, shared: &shared) { part in
            drawOwners(snapshot, palette: palette, names: names, top: 0, into: &part)
        }
        if let previous, previous.freeLists == snapshot.freeLists {
            // An unchanged panel collapses to one line.
            let blocks = snapshot.freeLists.reduce(0) { $0 + $1.count }
            map.text("buddy free lists: unchanged (\(blocks) blocks)", 4, y + 14, class: "muted")
            map.height = y + 20
            set.append(map)
        } else {
            map.height = y + 4
            set.append(map)
            var lists = Canvas(width: width, name: "buddy free lists")
            lists.height =
                drawFreeLists(snapshot, previous: previous, top: 0, shared: &shared, into: &lists)
                + 4
            set.append(lists)
        }
        for cache in snapshot.caches {
            var panel = Canvas(width: width, name: "slab cache \(cache.name)")
            panel.height =
                drawCache(
                    cache, palette: palette, names: names, previous: previous, shared: &shared,
                    into: &panel) + 4
            set.append(panel)
        }
        let zone = snapshot.zoneStartPfn..<(snapshot.zoneStartPfn + max(snapshot.totalPages, 1))
        let oldAreas = previous.map { Set($0.vmallocAreas) }
        for area in snapshot.vmallocAreas {
            var panel = Canvas(width: width, name: "vmalloc area \(Units.hex(area.address))")
            let changed = oldAreas.map { !$0.contains(area) } ?? false
            panel.height =
                panel.place(at: 0, shared: &shared) { part in
                    drawArea(area, zone: zone, names: names, changed: changed, top: 0, into: &part)
                } + 4
            set.append(panel)
        }
        return set
    }

    /// The CSS class of a page owner.
    static func ownerClass(_ owner: KernelSnapshot.PageOwner, palette: SlabPalette) -> String {
        switch owner {
        case .free: "o-free"
        case .perCPUList: "o-free o-pcp"
        case .reserved: "o-resv"
        case .slab(let cache): "o-slab o-slab\(palette.index(of: cache))"
        case .kmallocLarge: "o-big"
        case .pages: "o-pages"
        case .vmalloc: "o-vm"
        }
    }

    /// The owner as a legend or list names it.
    static func ownerName(_ owner: KernelSnapshot.PageOwner) -> String {
        switch owner {
        case .free: "free"
        case .perCPUList: "free on CPU 0's per-CPU list"
        case .reserved: "reserved at boot"
        case .slab(let cache): "slab of \(cache)"
        case .kmallocLarge: "kmalloc large"
        case .pages: "alloc_pages"
        case .vmalloc: "vmalloc"
        }
    }

    /// The kernel virtual address of a page frame in the direct map.
    static func directMapAddress(pfn: Int) -> UInt64 {
        directMapBase &+ UInt64(max(pfn, 0)) &* 4096
    }
}

/// Gives each slab cache of a snapshot one of six colours, in creation order.
struct SlabPalette {
    private let names: [String]

    /// Takes the caches of a snapshot in order.
    init(_ snapshot: KernelSnapshot) {
        var names = snapshot.caches.map { $0.name }
        for run in snapshot.pages {
            if case .slab(let cache) = run.owner, !names.contains(cache) { names.append(cache) }
        }
        self.names = names
    }

    /// The colour index (0...5) of a cache.
    func index(of cache: String) -> Int {
        (names.firstIndex(of: cache) ?? names.count) % 6
    }
}
