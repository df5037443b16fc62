import Foundation
import TestSupport
import Testing

@Suite struct KernelTraceCommandTests {
    /// Runs `allocbook` with `stdin`, returning status, stdout and stderr.
    func run(_ arguments: [String], stdin: String) throws -> (Int32, String, String) {
        let outcome = try ProcessRunner.allocbook(arguments, stdin: stdin)
        return (outcome.status, outcome.stdout, outcome.stderr)
    }

    @Test func aKernelTraceGivesOneJsonLinePerStep() throws {
        let trace =
            "kmalloc a 30\nkmalloc z 0\nalloc_pages p 3\nvmalloc v 16384\nkmalloc big 5000000\n"
        let (status, out, _) = try run(["trace", "--model", "kernel", "-"], stdin: trace)
        #expect(status == 0)
        let lines = out.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(
            lines[0].contains(
                #""ptr":{"addr":"0xffff888100000000","cache":"kmalloc-32","objsize":32,"objperslab":128,"pagesperslab":1"#
            ))
        #expect(lines[1].contains(#""ptr":{"addr":"0x10"}"#))
        #expect(lines[2].contains(#""ptr":{"addr":"0xffff888100008000","order":3,"pfn":1048584}"#))
        #expect(
            lines[3].contains(
                #""ptr":{"addr":"0xffffc90000000000","size":20480,"pages":4,"pfns":["#))
        #expect(lines[4].contains(#""ptr":null"#))
        #expect(lines.allSatisfy { $0.contains(#""buddyinfo":["#) })
    }

    @Test func freelistRandomShufflesFreshSlabsDeterministically() throws {
        let trace = (0..<8).map { "kmalloc o\($0) 100 GFP_KERNEL_ACCOUNT\n" }.joined()
        let arguments = ["trace", "--model", "kernel", "--freelist-random", "2026", "-"]
        let (status, first, _) = try run(arguments, stdin: trace)
        let (_, second, _) = try run(arguments, stdin: trace)
        let (_, plain, _) = try run(["trace", "--model", "kernel", "-"], stdin: trace)
        #expect(status == 0)
        #expect(first == second)
        #expect(first != plain)
        #expect(first.contains(#""cache":"kmalloc-cg-128""#))
        #expect(plain.contains(#""index":7}"#))
    }

    @Test func cpusChangeTheGeometry() throws {
        let (_, one, _) = try run(
            ["trace", "--model", "kernel", "--cpus", "1", "-"], stdin: "kmalloc a 512\n")
        let (_, two, _) = try run(
            ["trace", "--model", "kernel", "--cpus", "2", "--memory", "128M", "-"],
            stdin: "kmalloc a 512\n")
        #expect(one.contains(#""objperslab":8,"pagesperslab":1"#))
        #expect(two.contains(#""objperslab":16,"pagesperslab":2"#))
    }

    @Test func malformedInputExitsWithStatus2AndEveryError() throws {
        let (status, out, err) = try run(
            ["trace", "--model", "kernel", "-"], stdin: "kmalloc a\nfoo\n")
        #expect(status == 2)
        #expect(out.isEmpty)
        #expect(
            err
                == "<stdin>:1:10: error: 'kmalloc' needs SIZE\n<stdin>:2:1: error: unknown operation 'foo'\n"
        )
    }
}

extension KernelTraceCommandTests {
    @Test func kernelVersionSelectsTheProfile() throws {
        let (status, out, _) = try run(
            ["trace", "--model", "kernel", "--kernel-version", "6.1"], stdin: "vmalloc v 20000\n")
        #expect(status == 0)
        #expect(out.hasPrefix("{\"step\":1,"))
        let (bad, _, err) = try run(
            ["trace", "--model", "kernel", "--kernel-version", "5.10"], stdin: "kmalloc a 8\n")
        #expect(bad != 0)
        #expect(err.contains("--kernel-version must be 6.1 or 6.18"))
        let (glibc, _, glibcErr) = try run(
            ["trace", "--model", "glibc", "--verify"], stdin: "malloc a 8\n")
        #expect(glibc != 0)
        #expect(glibcErr.contains("--verify is only available with --model kernel"))
    }
}
