import Figures
import Foundation

/// What the figure tests draw the overview with and style pages with: an overview text (a copy
/// of the course's `content/overview.yml` when this was written; `SiteBuilderTests` checks the
/// course's own), and the theme's figure stylesheet and script, read from their source files.
enum OverviewFixture {
    static let text = OverviewText(
        title: "one machine, three allocators",
        description: [
            "Three columns share one pool of physical page frames managed by the buddy allocator.",
            "kmalloc: kernel code asks for 30 bytes; SLUB serves it from the kmalloc-32 slab cache,",
            "whose slabs are pages from the buddy allocator, physically contiguous and addressed",
            "through the direct map at 0xffff888000000000; requests above 8 KiB go to the buddy",
            "allocator directly. vmalloc: kernel code asks for 400 bytes; vmalloc reserves a",
            "virtually contiguous range in vmalloc space from 0xffffc90000000000 with a guard page,",
            "takes single pages from the buddy allocator wherever they are free, and maps them one by",
            "one in the page tables. malloc: a user program asks for 30 KiB; glibc carves a chunk",
            "from its brk heap, or mmaps a request at or above the mmap threshold (128 KiB at first,",
            "raised by glibc when large blocks are freed); the kernel moves the program",
            "break or creates the mapping, and supplies page frames only when a page is first touched.",
        ].joined(separator: " "),
        columns: [
            .init(
                caller: ["kernel code", "kmalloc(30, GFP_KERNEL)"], address: "0xffff888000000000+",
                allocator: [
                    "SLUB slab cache kmalloc-32", "32-byte slots, direct map;",
                    "> 8 KiB: pages directly",
                ]),
            .init(
                caller: ["kernel code", "vmalloc(100 * sizeof(int))"],
                address: "0xffffc90000000000+",
                allocator: [
                    "vmalloc area + page tables", "virtually contiguous range",
                    "+ guard page, any frames",
                ]),
            .init(
                caller: ["user program", "malloc(30 * 1024)"], address: "0x555555559000+",
                allocator: [
                    "glibc malloc (ptmalloc2)", "chunks in the brk heap;",
                    ">= mmap threshold: own mmap",
                ]),
        ],
        kernel: ["kernel: brk() / mmap()", "page frames on first touch"],
        pool: ["buddy allocator: free lists of 2^order pages", "alloc_pages / __free_pages"],
        frames: "physical page frames",
        legend: [
            "slab page", "kmalloc > 8 KiB", "vmalloc page", "user page (malloc)", "alloc_pages",
            "free", "reserved",
        ])

    /// `Sources/SiteBuilder/Theme/Assets`, found from this file's path.
    private static let assets = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/SiteBuilder/Theme/Assets")

    /// The theme's `figures.css`, as the site embeds it.
    static let css = asset("figures.css")
    /// The theme's `figures.js`.
    static let js = asset("figures.js")

    private static func asset(_ name: String) -> String {
        (try? String(contentsOf: assets.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
}
