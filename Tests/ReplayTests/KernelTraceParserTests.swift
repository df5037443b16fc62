import AllocatorModels
import Testing

@testable import Replay

@Suite struct KernelTraceParserTests {
    func errors(_ text: String) -> [TraceError] {
        var lines: [String] = []
        let errors = KernelTraceRunner.run(text, cpus: 2, memoryBytes: 64 << 20) {
            lines.append($0)
        }
        if !errors.isEmpty { #expect(lines.isEmpty) }
        return errors
    }

    @Test func apiOperationsAreCheckedToo() {
        let text = """
            kmalloc a 64 GFP_KERNEL_ACCOUNT|__GFP_ZERO
            kmalloc b 64 GFP_BOGUS
            kcalloc c 4
            krealloc zz 10
            alloc_pages d 1
            krealloc d 10
            kmem_cache_create m 64 3
            kmem_cache_create n 64 0 SLAB_NOPE
            kmem_cache_create o 64 0 SLAB_ACCOUNT|SLAB_NO_MERGE ctr
            kmem_cache_destroy nosuch
            kvmalloc e 1M GFP_KERNEL extra
            """
        #expect(
            errors(text) == [
                TraceError(line: 2, column: 14, message: "unknown GFP flag 'GFP_BOGUS'"),
                TraceError(line: 3, column: 12, message: "'kcalloc' needs SIZE"),
                TraceError(line: 4, column: 10, message: "unknown id 'zz'"),
                TraceError(
                    line: 6, column: 1, message: "'krealloc' of 'd', which kmalloc did not return"),
                TraceError(
                    line: 7, column: 24,
                    message: "invalid alignment '3' (0 or a power of two up to 4096)"),
                TraceError(line: 8, column: 26, message: "unknown slab flag 'SLAB_NOPE'"),
                TraceError(line: 9, column: 53, message: "expected 'ctor', found 'ctr'"),
                TraceError(line: 10, column: 20, message: "unknown cache 'nosuch'"),
                TraceError(line: 11, column: 26, message: "unexpected 'extra' after 'kvmalloc'"),
            ])
    }

    /// `kvrealloc ID OLDSIZE NEWSIZE` is 6.1's signature (mm/util.c), `kvrealloc ID SIZE`
    /// 6.18's; each release refuses the other's before anything runs.
    @Test func kvreallocTakesTheFormOfItsRelease() {
        func run(_ text: String, _ version: KernelVersion) -> ([TraceError], [String]) {
            var lines: [String] = []
            let errors = KernelTraceRunner.run(
                text, cpus: 2, memoryBytes: 64 << 20, slabDebug: false, version: version
            ) { lines.append($0) }
            return (errors, lines)
        }
        let sixOne =
            "kvmalloc a 100\nkvrealloc a 100 50\nkvrealloc a 100 300 GFP_KERNEL\nkvfree a\n"
        let (errors, lines) = run(sixOne, .v6_1)
        #expect(errors.isEmpty)
        #expect(lines.count == 4)
        // oldsize >= newsize: the same object; else a new kvmalloc and the old one freed.
        #expect(lines[1].contains("\"op\":\"kvrealloc\"") && lines[1].contains("kmalloc-128"))
        #expect(lines[2].contains("kmalloc-512"))
        #expect(
            run(sixOne, .v6_18).0 == [
                TraceError(
                    line: 2, column: 1,
                    message: "6.18's kvrealloc takes no old size: 'kvrealloc ID SIZE'"),
                TraceError(
                    line: 3, column: 1,
                    message: "6.18's kvrealloc takes no old size: 'kvrealloc ID SIZE'"),
            ])
        #expect(
            run("kvmalloc a 100\nkvrealloc a 300\n", .v6_1).0 == [
                TraceError(
                    line: 2, column: 1,
                    message: "6.1's kvrealloc takes the old size: 'kvrealloc ID OLDSIZE NEWSIZE'")
            ])
        #expect(run("kvmalloc a 100\nkvrealloc a 300 GFP_KERNEL\n", .v6_18).0.isEmpty)
        #expect(
            run("alloc_pages p 0\nkvrealloc p 4096 8192\n", .v6_1).0 == [
                TraceError(
                    line: 2, column: 1, message: "'kvrealloc' of 'p', which alloc_pages returned")
            ])
    }

    @Test func kfreeOfAKvmallocAreaOrAVmallocAreaRuns() {
        var lines: [String] = []
        let errors = KernelTraceRunner.run(
            "vmalloc b 4096\nkvmalloc a 5M\nkvfree a\nkfree b\n", cpus: 2,
            memoryBytes: 64 << 20
        ) { lines.append($0) }
        #expect(errors.isEmpty)
        #expect(lines.count == 4)
        #expect(lines[1].contains("\"op\":\"kvmalloc\"") && lines[1].contains("\"pages\":1536"))
        #expect(lines[2].contains("\"unpurged\""))
        #expect(
            lines[3].hasPrefix(
                "{\"step\":4,\"bug\":\"BUG: unable to handle page fault for address: ffffeb0200000008"
            ))
    }

    @Test func everyErrorIsReportedWithItsPosition() {
        let text = """
            kmalloc p 30   # fine
            frob x
            kmalloc q
              kfree r
            kmalloc s 12x
            alloc_pages t -1
            kmem_cache_alloc u nosuch
            kfree p extra
            kmem_cache_create c 0
            kmalloc 9a 8
            """
        #expect(
            errors(text) == [
                TraceError(line: 2, column: 1, message: "unknown operation 'frob'"),
                TraceError(line: 3, column: 10, message: "'kmalloc' needs SIZE"),
                TraceError(line: 4, column: 9, message: "unknown id 'r'"),
                TraceError(line: 5, column: 11, message: "invalid size '12x'"),
                TraceError(line: 6, column: 15, message: "invalid order '-1'"),
                TraceError(line: 7, column: 20, message: "unknown cache 'nosuch'"),
                TraceError(line: 8, column: 9, message: "unexpected 'extra' after 'kfree'"),
                TraceError(line: 9, column: 21, message: "invalid object size '0'"),
                TraceError(line: 10, column: 9, message: "invalid id '9a'"),
            ])
    }

    @Test func freeingTheWrongKindIsRejected() {
        #expect(
            errors("vmalloc v 100\nkmem_cache_free v\nkmalloc k 8\nfree_pages k\n") == [
                TraceError(
                    line: 2, column: 1,
                    message: "'kmem_cache_free' of 'v', which is not a slab object"),
                TraceError(
                    line: 4, column: 1,
                    message: "'free_pages' of 'k', which 'alloc_pages' did not return"),
            ])
    }

    @Test func aValidTraceRunsAndEndsAtABug() {
        var lines: [String] = []
        let errors = KernelTraceRunner.run(
            "# comment\nkmalloc a 30\n\nkfree a\nkfree a\nkmalloc b 8\n", cpus: 2,
            memoryBytes: 64 << 20
        ) { lines.append($0) }
        #expect(errors.isEmpty)
        #expect(lines.count == 3)
        #expect(
            lines[0]
                == #"{"step":1,"line":2,"op":"kmalloc","id":"a","ptr":{"addr":"0xffff888100000000","cache":"kmalloc-32","objsize":32,"objperslab":128,"pagesperslab":1,"slab_pfn":1048576,"index":0},"new_slab":[{"cache":"kmalloc-32","pfn":1048576,"order":0}],"buddyinfo":[1,1,1,1,1,1,1,1,1,1,15]}"#
        )
        #expect(
            lines[2]
                == #"{"step":3,"bug":"kernel BUG at mm/slub.c:634!\nOops: invalid opcode: 0000 [#1] SMP NOPTI"}"#
        )
    }

    @Test func columnsCountUnicodeScalars() {
        #expect(
            errors("kmalloc é 8\nkmalloc ok 8 ü\nkmalloc é2 8 GFP_KERNEL ü\n") == [
                TraceError(line: 1, column: 9, message: "invalid id 'é'"),
                TraceError(line: 2, column: 14, message: "unknown GFP flag 'ü'"),
                TraceError(line: 3, column: 25, message: "unexpected 'ü' after 'kmalloc'"),
            ])
    }
}
