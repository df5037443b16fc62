import AllocatorModels
import Scenarios
import Testing

@Suite struct StatementParserTests {
    /// Parses one line placed at line 7, column 1 of a lesson, after `setup` lines.
    func parse(
        _ text: String, model: ScenarioModelKind = .malloc, setup: [String] = []
    ) throws(ScenarioIssue) -> ScenarioStatement? {
        var variables = ScenarioVariables()
        for line in setup {
            _ = try StatementParser.parse(
                Substring(line), line: 1, column: 1, hidden: false, model: model,
                variables: &variables)
        }
        return try StatementParser.parse(
            Substring(text), line: 7, column: 1, hidden: false, model: model,
            variables: &variables)
    }

    func issue(
        _ text: String, model: ScenarioModelKind = .malloc, setup: [String] = []
    ) -> ScenarioIssue? {
        do {
            _ = try parse(text, model: model, setup: setup)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesMallocWithConstantExpression() throws {
        let s = try #require(try parse("A = malloc(30 * 1024);"))
        #expect(s.target == "A")
        #expect(s.action == .malloc(size: 30720))
        #expect(s.text == "A = malloc(30 * 1024);")
        #expect(s.column == 1)
    }

    @Test func evaluatesSizesLikeC() throws {
        #expect(try parse("A = malloc(30K);")?.action == .malloc(size: 30720))
        #expect(try parse("A = malloc(2M + 1);")?.action == .malloc(size: 2 * 1024 * 1024 + 1))
        #expect(try parse("A = malloc(1 << 17);")?.action == .malloc(size: 131072))
        #expect(try parse("A = malloc((3 + 1) * sizeof(long));")?.action == .malloc(size: 32))
        #expect(try parse("A = malloc(100 * sizeof(int));")?.action == .malloc(size: 400))
        #expect(try parse("A = malloc(sizeof(void *));")?.action == .malloc(size: 8))
        #expect(try parse("A = malloc(0x20);")?.action == .malloc(size: 32))
        #expect(try parse("A = malloc(-1);")?.action == .malloc(size: UInt64.max))
        #expect(
            try parse("A = calloc(10, sizeof(unsigned long long));")?.action
                == .calloc(count: 10, size: 8))
    }

    @Test func acceptsDeclarationsAndTrailingComments() throws {
        let s = try #require(try parse("void *A = malloc(8); // small"))
        #expect(s.target == "A")
        #expect(s.text == "void *A = malloc(8);")
        let c = try #require(
            try parse(
                "struct kmem_cache *c = kmem_cache_create(\"my_obj\", 200, 0, SLAB_HWCACHE_ALIGN, NULL);",
                model: .kernel))
        #expect(
            c.action
                == .kmemCacheCreate(
                    name: "my_obj", size: 200, align: 0, flags: ["SLAB_HWCACHE_ALIGN"],
                    constructor: false))
    }

    @Test func parsesPointerOffsetsAndNull() throws {
        let s = try parse("free(A + 16);", setup: ["A = malloc(8);"])
        #expect(s?.action == .free(PointerReference(variable: "A", offset: 16, column: 6)))
        #expect(
            try parse("free(NULL);")?.action == .free(PointerReference(variable: nil, column: 6)))
    }

    @Test func parsesKernelCallsWithFlags() throws {
        let k = try parse("p = kzalloc(100, GFP_KERNEL | __GFP_ZERO);", model: .kernel)
        #expect(
            k?.action
                == .kmalloc(size: 100, gfp: GFPFlags(["GFP_KERNEL", "__GFP_ZERO"]), zero: true))
        #expect(
            try parse("pg = alloc_pages(GFP_ATOMIC, 2);", model: .kernel)?.action
                == .allocPages(gfp: GFPFlags(["GFP_ATOMIC"]), order: 2))
        #expect(try parse("cat /proc/buddyinfo", model: .kernel)?.action == .cat("/proc/buddyinfo"))
        #expect(
            try parse("mallopt(M_MMAP_THRESHOLD, 128 * 1024);")?.action
                == .mallopt(parameter: "M_MMAP_THRESHOLD", value: 131072))
    }

    @Test func commentOnlyLineIsNoStatement() throws {
        #expect(try parse("   // nothing") == nil)
    }

    @Test func everyDiagnosticHasItsPosition() {
        let cases: [(String, ScenarioModelKind, [String], Int, String)] = [
            ("A = malloc(8)", .malloc, [], 14, "expected ';'"),
            ("A = mallok(8);", .malloc, [], 5, "unknown function 'mallok'"),
            (
                "A = malloc(8, 9);", .malloc, [], 15,
                "'malloc' takes 1 argument, got 2: malloc(size)"
            ),
            (
                "A = calloc(8);", .malloc, [], 13,
                "'calloc' takes 2 arguments, got 1: calloc(nmemb, size)"
            ),
            ("free(B);", .malloc, [], 6, "unknown variable 'B'"),
            (
                "B = malloc(A * 2);", .malloc, ["A = malloc(8);"], 12,
                "size must be a constant expression; 'A' is a variable"
            ),
            ("A = malloc(n);", .malloc, [], 12, "unknown name 'n'"),
            (
                "p = kmalloc(30, GFP_KERNEL);", .malloc, [], 5,
                "'kmalloc' belongs to the 'kernel' model; this scenario runs 'malloc'"
            ),
            ("p = kmalloc(30, GFP_KERNAL);", .kernel, [], 17, "unknown GFP flag 'GFP_KERNAL'"),
            (
                "p = kmalloc(30);", .kernel, [], 15,
                "'kmalloc' takes 2 arguments, got 1: kmalloc(size, flags)"
            ),
            (
                "cat /proc/buddyinfo", .malloc, [], 5,
                "'/proc/buddyinfo' belongs to the 'kernel' model; this scenario runs 'malloc'"
            ),
            (
                "cat /proc/meminfo", .kernel, [], 5,
                "cannot read '/proc/meminfo'; the 'kernel' model has '/proc/buddyinfo', '/proc/slabinfo', '/proc/vmallocinfo',"
                    + " '/proc/zoneinfo'"
            ),
            (
                "A = malloc(8); free(A);", .malloc, [], 16,
                "unexpected 'free' after ';'; write one statement per line"
            ),
            ("A = malloc(8 +);", .malloc, [], 15, "expected an expression, found ')'"),
            ("A = malloc(8 / 0);", .malloc, [], 14, "division by zero"),
            ("A = malloc(12Q);", .malloc, [], 12, "invalid suffix in number '12Q'"),
            (
                "A = malloc(sizeof(struct foo));", .malloc, [], 19,
                "unknown size of 'struct foo'; use a number instead"
            ),
            ("A = malloc(8) @", .malloc, [], 15, "unexpected character '@'"),
            ("free(A);", .malloc, [], 6, "unknown variable 'A'"),
            (
                "x = free(A);", .malloc, ["A = malloc(8);"], 1,
                "'free' returns nothing to assign to 'x'"
            ),
            ("mallopt(M_FOO, 1);", .malloc, [], 9, "unknown mallopt parameter 'M_FOO'"),
            (
                "o = kmem_cache_alloc(p, GFP_KERNEL);", .kernel, ["p = kmalloc(8, GFP_KERNEL);"],
                22,
                "'p' is not a cache from 'kmem_cache_create'"
            ),
            (
                "c = kmem_cache_create(\"x\", 200);", .kernel, [], 31,
                "'kmem_cache_create' takes 5 arguments, got 2: kmem_cache_create(name, size, align, flags, ctor)"
            ),
            (
                "c = kmem_cache_create(\"x, 200, 0, 0, NULL);", .kernel, [], 23,
                "unterminated string literal"
            ),
        ]
        for (text, model, setup, column, message) in cases {
            let found = issue(text, model: model, setup: setup)
            #expect(found == ScenarioIssue(line: 7, column: column, message), "\(text)")
        }
    }
}
