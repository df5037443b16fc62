extension FigureRenderer {
    /// The home page's figure: where kmalloc, vmalloc and malloc memory comes from, on one
    /// machine, in the notation of the lesson diagrams.
    ///
    /// Inline SVG, preceded by `sharedDefinitions` (do not add them again on the same page);
    /// the caller wraps it (the site puts it in `<figure class="overview-figure">`).
    public static func overviewFigure() -> String {
        sharedDefinitions
            + OverviewFigure.draw().svg(
                id: "overview-svg", title: "One machine, three allocators",
                description: OverviewFigure.description)
    }
}

/// The layout of the overview figure.
enum OverviewFigure {
    static let width = 680
    static let column = 212
    static let description = """
        Three columns share one pool of physical page frames managed by the buddy allocator. \
        kmalloc: kernel code asks for 30 bytes; SLUB serves it from the kmalloc-32 slab cache, \
        whose slabs are pages from the buddy allocator, physically contiguous and addressed \
        through the direct map at 0xffff888000000000; requests above 8 KiB go to the buddy \
        allocator directly. vmalloc: kernel code asks for 400 bytes; vmalloc reserves a \
        virtually contiguous range in vmalloc space from 0xffffc90000000000 with a guard page, \
        takes single pages from the buddy allocator wherever they are free, and maps them one by \
        one in the page tables. malloc: a user program asks for 30 KiB; glibc carves a chunk \
        from its brk heap, or mmaps a request at or above the mmap threshold (128 KiB at first, \
        raised by glibc when large blocks are freed); the kernel moves the program \
        break or creates the mapping, and supplies page frames only when a page is first touched.
        """

    static func draw() -> Canvas {
        var c = Canvas(width: width)
        c.text("one machine, three allocators", width / 2, 16, anchor: .middle, class: "hd")
        let xs = [8, 8 + column + 14, 8 + 2 * (column + 14)]
        let callers = [
            ["kernel code", "kmalloc(30, GFP_KERNEL)"],
            ["kernel code", "vmalloc(100 * sizeof(int))"],
            ["user program", "malloc(30 * 1024)"],
        ]
        let middles = [
            [
                "SLUB slab cache kmalloc-32", "32-byte slots, direct map;",
                "> 8 KiB: pages directly",
            ],
            [
                "vmalloc area + page tables", "virtually contiguous range",
                "+ guard page, any frames",
            ],
            ["glibc malloc (ptmalloc2)", "chunks in the brk heap;", ">= mmap threshold: own mmap"],
        ]
        // What the caller gets back: an address in the direct map, in vmalloc space, in the heap.
        let addresses = ["0xffff888000000000+", "0xffffc90000000000+", "0x555555559000+"]
        for i in 0..<3 {
            box(&c, xs[i], 30, callers[i], class: "ov-box")
            box(&c, xs[i], 104, middles[i], class: "ov-box")
            c.text(addresses[i], xs[i] + column / 2 + 6, 91, size: 10, class: "addr")
            arrow(&c, xs[i] + column / 2, 72, xs[i] + column / 2, 102)
        }
        box(
            &c, xs[2], 190, ["kernel: brk() / mmap()", "page frames on first touch"],
            class: "ov-box")
        arrow(&c, xs[2] + column / 2, 160, xs[2] + column / 2, 188)
        let buddyY = 262
        c.rect(8, buddyY, width - 16, 40, class: "ov-box")
        c.text(
            "buddy allocator: free lists of 2^order pages", width / 2, buddyY + 17, anchor: .middle,
            class: "hd")
        c.text(
            "alloc_pages / __free_pages", width / 2, buddyY + 32, size: 10, anchor: .middle,
            class: "muted")
        arrow(&c, xs[0] + column / 2, 160, xs[0] + column / 2, buddyY - 2)
        arrow(&c, xs[1] + column / 2, 160, xs[1] + column / 2, buddyY - 2)
        arrow(&c, xs[2] + column / 2, 232, xs[2] + column / 2, buddyY - 2)
        // Physical frames: a strip of pages coloured by who holds them.
        let stripY = 330
        c.text("physical page frames", 8, stripY - 6, size: 10, class: "muted")
        let owners = [
            "o-resv", "o-resv", "o-slab0", "o-free", "o-vm", "o-free", "o-free", "o-big", "o-big",
            "o-free", "o-vm", "o-free", "o-slab0", "o-free", "o-free", "o-vm", "o-pages", "o-free",
            "o-free", "o-vm", "o-free", "o-use", "o-use", "o-free", "o-free", "o-free", "o-use",
            "o-free", "o-vm", "o-free", "o-free", "o-free",
        ]
        let cell = (width - 16) / owners.count
        for (i, owner) in owners.enumerated() {
            c.rect(
                8 + i * cell, stripY, cell, 16,
                class: "chip " + (owner == "o-use" ? "s-use" : owner))
        }
        arrow(&c, width / 2, buddyY + 40, width / 2, stripY - 2)
        var legend = Legend(top: stripY + 26, width: width)
        legend.add(swatch: "o-slab0", "slab page")
        legend.add(swatch: "o-big", "kmalloc > 8 KiB")
        legend.add(swatch: "o-vm", "vmalloc page")
        legend.add(swatch: "s-use", "user page (malloc)")
        legend.add(swatch: "o-pages", "alloc_pages")
        legend.add(swatch: "o-free", "free")
        legend.add(swatch: "o-resv", "reserved")
        c.height = legend.draw(into: &c)
        return c
    }

    private static func box(
        _ c: inout Canvas, _ x: Int, _ y: Int, _ lines: [String], class cls: String
    ) {
        let h = 14 * lines.count + 14
        c.rect(x, y, column, h, class: cls)
        for (i, line) in lines.enumerated() {
            c.text(
                line, x + column / 2, y + 18 + 14 * i, size: i == 0 ? 11 : 10, anchor: .middle,
                class: i == 0 ? "hd" : "")
        }
    }

    private static func arrow(_ c: inout Canvas, _ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int) {
        c.path("M\(x1) \(y1)L\(x2) \(y2)", class: "ov-arrow")
    }
}
