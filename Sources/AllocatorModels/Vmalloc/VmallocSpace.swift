/// The vmalloc address space of x86_64 (4-level paging): `VMALLOC_START`
/// 0xffffc90000000000 … `VMALLOC_END` 0xffffe8ffffffffff (32 TiB).
///
/// Modelled as one vmap node (the uniprocessor behaviour of mm/vmalloc.c): free ranges kept
/// sorted by address, lowest-address first fit (`find_vmap_lowest_match`) placing an area
/// at the low end of the block (`va_clip`), and lazy release: `vfree` moves an area to the
/// lazy list (`unpurged vm_area`) and its range is reusable only after a purge. A purge
/// runs when the lazily freed total exceeds `lazy_max_pages()` = fls(CPUs) × 8192 pages
/// (the kernel schedules it on a workqueue; the model runs it at once) and, fully, when an
/// allocation finds no space. With more than one CPU (more than one vmap node) purged areas
/// of at most 256 pages go to the per-node, per-size pools of CPU 0's node (every call
/// runs on CPU 0), from which a later allocation of exactly that size takes them back
/// before searching the free space; each purge gives a quarter of every pool back.
struct VmallocSpace {
    /// Free ranges [start, end), sorted, coalesced.
    var freeStarts: [UInt64] = [KernelLayout.vmallocStart]
    var freeEnds: [UInt64] = [KernelLayout.vmallocEnd &+ 1]
    var areas: [VmapAreaRecord] = []
    /// Busy area ids sorted by address.
    var busy: [Int32] = []
    /// Unpurged area ids, in vfree order.
    var lazy: [Int32] = []
    /// Pages (guard included) on the lazy list (`vmap_lazy_nr`).
    var lazyPages = 0
    /// `lazy_max_pages()`.
    let lazyMaxPages: Int
    /// `nr_vmap_nodes`: min(CPUs, 128), 1 on a uniprocessor.
    let nodes: Int
    /// CPU 0's node pools (`vn->pool[]`): area ids by size in pages − 1, head last.
    var pools: [[Int32]]
    /// `MAX_VA_SIZE_PAGES`.
    static let maxPoolPages = 256

    /// `nodes: false` is Linux 6.1: one global space, no vmap nodes and no pools.
    init(cpus: Int, nodes: Bool = true) {
        lazyMaxPages = fls(cpus) * (32 << 20) / Int(KernelLayout.pageSize)
        self.nodes = nodes ? min(max(cpus, 1), 128) : 1
        pools = Array(repeating: [], count: Self.maxPoolPages)
    }

    /// `node_alloc` → `node_pool_del_va`: the head of CPU 0's pool for exactly `size`
    /// bytes (guard included), if any (page alignment always fits).
    mutating func takeFromPool(size: UInt64) -> Int32? {
        guard nodes > 1 else { return nil }
        let index = Int((size - 1) / KernelLayout.pageSize)
        guard index < Self.maxPoolPages else { return nil }
        return pools[index].popLast()
    }

    /// Reserves `size` bytes at the lowest free address aligned to `align` (a power of two
    /// above a page: huge vmalloc) where they fit; `va_clip` leaves the free space before
    /// and after the area in the tree. (`find_vmap_lowest_match` prunes subtrees by
    /// `size + align - 1`; with the few free ranges of a lesson the lowest aligned fit is
    /// the same block.)
    mutating func reserve(size: UInt64, align: UInt64) -> UInt64? {
        guard align > KernelLayout.pageSize else { return reserve(size: size) }
        for i in freeStarts.indices {
            let address = (freeStarts[i] + align - 1) & ~(align - 1)
            guard address >= freeStarts[i], address + size <= freeEnds[i] else { continue }
            let end = freeEnds[i]
            if address == freeStarts[i] {
                if address + size == end {
                    freeStarts.remove(at: i)
                    freeEnds.remove(at: i)
                } else {
                    freeStarts[i] = address + size
                }
            } else {
                freeEnds[i] = address
                if address + size < end {
                    freeStarts.insert(address + size, at: i + 1)
                    freeEnds.insert(end, at: i + 1)
                }
            }
            return address
        }
        return nil
    }

    /// Reserves `size` bytes (page multiple, guard included) at the lowest fitting address.
    mutating func reserve(size: UInt64) -> UInt64? {
        for i in freeStarts.indices where freeEnds[i] - freeStarts[i] >= size {
            let address = freeStarts[i]
            if freeEnds[i] - address == size {
                freeStarts.remove(at: i)
                freeEnds.remove(at: i)
            } else {
                freeStarts[i] = address + size
            }
            return address
        }
        return nil
    }

    /// Gives a range back to the free ranges, merging with its neighbours.
    mutating func release(start: UInt64, size: UInt64) {
        let end = start + size
        var lo = 0
        var hi = freeStarts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if freeStarts[mid] < start { lo = mid + 1 } else { hi = mid }
        }
        let mergesLeft = lo > 0 && freeEnds[lo - 1] == start
        let mergesRight = lo < freeStarts.count && freeStarts[lo] == end
        switch (mergesLeft, mergesRight) {
        case (true, true):
            freeEnds[lo - 1] = freeEnds[lo]
            freeStarts.remove(at: lo)
            freeEnds.remove(at: lo)
        case (true, false):
            freeEnds[lo - 1] = end
        case (false, true):
            freeStarts[lo] = start
        case (false, false):
            freeStarts.insert(start, at: lo)
            freeEnds.insert(end, at: lo)
        }
    }

    /// Inserts a busy area id keeping address order.
    mutating func insertBusy(_ id: Int32) {
        let start = areas[Int(id)].start
        var lo = 0
        var hi = busy.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if areas[Int(busy[mid])].start < start { lo = mid + 1 } else { hi = mid }
        }
        busy.insert(id, at: lo)
    }

    /// The position in `busy` of the area containing `address` (`__find_vmap_area`).
    func busyPosition(containing address: UInt64) -> Int? {
        var lo = 0
        var hi = busy.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if areas[Int(busy[mid])].start <= address { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let area = areas[Int(busy[lo - 1])]
        return address < area.start + area.size ? lo - 1 : nil
    }
}

/// One vmap area (`struct vmap_area` + `struct vm_struct`).
struct VmapAreaRecord {
    enum State { case busy, unpurged, pooled, purged }
    var start: UInt64
    /// Size with the guard page.
    var size: UInt64
    var pfns: [Int]
    var state: State
    /// Whether its page array is itself vmalloc'ed (`vpages`).
    var vpages = false
    /// The kzalloc'ed vm_struct (kmalloc-96).
    var vmStruct: UInt64 = 0
    /// The vmap_area object.
    var vmapArea: UInt64 = 0
    /// The kmalloc'ed page array, or 0 when it is the nested area `pagesArea`.
    var pagesArray: UInt64 = 0
    var pagesArea: UInt64 = 0
}
