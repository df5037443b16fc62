/// The boot-time numbers of the model's one zone that the per-CPU page lists depend on:
/// `min_free_kbytes`, the watermarks, and each CPU's `pcp->batch` and `pcp->high`.
///
/// Computed as the kernel computes them for a machine whose only zone is this one
/// (all of its pages managed, no highmem):
/// - mm/page_alloc.c `calculate_min_free_kbytes`: `int_sqrt(lowmem_kbytes * 16)`, clamped
///   to 128...262144.
/// - mm/khugepaged.c `set_recommended_min_free_kbytes`: with transparent hugepages on
///   (Debian: `CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS`; mm/huge_memory.c `hugepage_init`
///   turns them off below 512 MiB of RAM) `min_free_kbytes` is raised to
///   `pageblock_nr_pages * nr_zones * (2 + MIGRATE_PCPTYPES²)` pages, at most 5 % of
///   `nr_free_buffer_pages()` (managed minus the high watermark).
/// - mm/page_alloc.c `__setup_per_zone_wmarks`: min = min_free_kbytes / 4 pages (the whole
///   share: one zone); the step is `max(min / 4, managed * watermark_scale_factor(10) /
///   10000)`; low = min + step, high = low + step, promo = high + step.
/// - mm/page_alloc.c `zone_batchsize`: `min(managed >> 10, 256) / 4`, then
///   `rounddown_pow_of_two(b + b / 2) - 1`.
/// - mm/page_alloc.c `zone_highsize`: the low watermark split over the node's CPUs, at
///   least `batch * 4`; 6.18's `high_max` uses `managed / MIN_PERCPU_PAGELIST_HIGH_FRACTION
///   (8)` instead of the low watermark (`zone_set_pageset_high_and_batch`).
/// - mm/vmstat.c `calculate_normal_threshold`: the `vm stats threshold` of zoneinfo.
///
/// Checked against this machine's 6.18 /proc/zoneinfo (Normal: managed 3506176, min
/// 13832, low 17338, high 20844, high_min 8669, high_max 219136, batch 63, threshold 32).
public struct ZoneTuning: Hashable, Sendable {
    /// Pages of the zone (spanned = present = managed).
    public let managedPages: Int
    /// `vm.min_free_kbytes` after boot.
    public let minFreeKbytes: Int
    /// `min_wmark_pages`.
    public let min: Int
    /// `low_wmark_pages`.
    public let low: Int
    /// `high_wmark_pages`.
    public let high: Int
    /// `WMARK_PROMO` (printed by 6.18's zoneinfo).
    public let promo: Int
    /// `pcp->batch`.
    public let batch: Int
    /// `pcp->high` in 6.1, `pcp->high_min` in 6.18.
    public let highMin: Int
    /// `pcp->high_max` (6.18; equal to `highMin` in 6.1, which has no auto-tuning).
    public let highMax: Int
    /// The per-CPU `stat_threshold` (`vm stats threshold`).
    public let statThreshold: Int

    /// The tuning of a zone of `managedPages` pages on a machine with `cpus` CPUs.
    public init(managedPages: Int, cpus: Int, version: KernelVersion) {
        self.managedPages = managedPages
        var minFree = Self.clamp(Self.integerSquareRoot(managedPages * 4 * 16), 128, 262_144)
        var marks = Self.watermarks(minFreeKbytes: minFree, managed: managedPages)
        // hugepage_init: THP stays off below 512 MiB; otherwise khugepaged starts and
        // raises min_free_kbytes (pageblock_nr_pages 512, one zone, MIGRATE_PCPTYPES 3).
        if managedPages >= 512 << 8 {
            let buffers = managedPages > marks.high ? managedPages - marks.high : 0
            let recommended = Swift.min(512 * 1 * 2 + 512 * 1 * 3 * 3, buffers / 20) * 4
            if recommended > minFree {
                minFree = recommended
                marks = Self.watermarks(minFreeKbytes: minFree, managed: managedPages)
            }
        }
        minFreeKbytes = minFree
        min = marks.min
        low = marks.low
        high = marks.high
        promo = marks.promo
        var b = Swift.min(managedPages >> 10, (1 << 20) / 4096) / 4
        if b < 1 { b = 1 }
        b = Self.roundDownPowerOfTwo(b + b / 2) - 1
        batch = Swift.max(1, b)
        highMin = Swift.max(marks.low / cpus, batch << 2)
        switch version {
        case .v6_1: highMax = highMin
        case .v6_18: highMax = Swift.max(managedPages / 8 / cpus, batch << 2)
        }
        let mem = managedPages >> (27 - 12)
        statThreshold = Swift.min(125, 2 * fls(cpus) * (1 + fls(mem)))
    }

    static func watermarks(minFreeKbytes: Int, managed: Int) -> (
        min: Int, low: Int, high: Int, promo: Int
    ) {
        let pagesMin = minFreeKbytes >> 2
        let step = Swift.max(pagesMin >> 2, managed * 10 / 10_000)
        return (pagesMin, pagesMin + step, pagesMin + 2 * step, pagesMin + 3 * step)
    }

    static func clamp(_ x: Int, _ low: Int, _ high: Int) -> Int {
        Swift.min(Swift.max(x, low), high)
    }

    /// `int_sqrt`: the floor of the square root.
    static func integerSquareRoot(_ x: Int) -> Int {
        guard x > 1 else { return x }
        var low = 1
        // 2^(bits/2 - 1) squared still fits an Int (wasm32 too); the model's arguments are
        // at most 16 GiB / 4 KiB * 64 = 2^28.
        var high = Swift.min(x, 1 << (Int.bitWidth / 2 - 1))
        while low < high {
            let mid = (low + high + 1) / 2
            if mid * mid <= x { low = mid } else { high = mid - 1 }
        }
        return low
    }

    static func roundDownPowerOfTwo(_ x: Int) -> Int {
        var p = 1
        while p * 2 <= x { p *= 2 }
        return p
    }
}
