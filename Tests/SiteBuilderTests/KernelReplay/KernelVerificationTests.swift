import AllocatorModels
import Foundation
import Replay
import Scenarios
import SiteBuilder
import Testing

/// `verify=kernel` without a kernel: the translation, the comparison and its messages, the
/// skip on a host without QEMU, and one boot per check run (fake replays).
@Suite struct KernelVerificationTests {
    /// A replay that answers with the model's own facts, optionally edited.
    static func echoReplay(
        edit: @escaping @Sendable (Int, String) -> String = { $1 },
        calls: Counter? = nil
    ) -> @Sendable ([String], Int) -> Result<[[String]], KernelReplayRunner.Failure> {
        { wires, cpus in
            calls?.add(wires.count)
            return .success(wires.map { wire in Self.realLines(wire, cpus: cpus, edit: edit) })
        }
    }

    /// What the module would print if the kernel agreed with the model on every fact.
    static func realLines(
        _ wire: String, cpus: Int, edit: (Int, String) -> String
    ) -> [String] {
        guard let trace = KernelVerificationTests.traces[wire] else { return ["E 0"] }
        guard
            case .success(let facts) = KernelTraceFacts.model(
                trace, cpus: cpus, memoryBytes: 64 << 20)
        else { return ["E 0"] }
        var lines = facts.steps.enumerated().map { n, step in
            edit(
                n + 1,
                "S \(n + 1) op=0;"
                    + step.facts.map { "\($0.name)=\($0.value)" }
                    .joined(separator: ";"))
        }
        lines.append("E \(facts.steps.count)")
        return lines
    }

    /// Wire text → trace text, for the fake replay.
    nonisolated(unsafe) static var traces: [String: String] = [:]
    static let lock = NSLock()

    static func remember(_ trace: String) {
        guard
            case .success(let facts) = KernelTraceFacts.model(trace, cpus: 2, memoryBytes: 64 << 20)
        else { return }
        lock.lock()
        traces[facts.wire] = trace
        lock.unlock()
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var boots = 0
        private(set) var traces = 0
        func add(_ n: Int) {
            lock.lock()
            boots += 1
            traces += n
            lock.unlock()
        }
    }

    static let lesson = """
        ```scenario kernel verify=kernel
        a = kmalloc(100, GFP_KERNEL);
        //> x
        b = kmalloc(100, GFP_KERNEL);
        //> x
        ```

        """

    static func run(_ verifier: KernelReplayVerifier, strict: Bool = false) -> [ScenarioBlockResult]
    {
        remember("kmalloc a 100\nkmalloc b 100\n")
        var runner = LessonScenarioRunner(
            engines: ScenarioEngines.standard, verifier: nil, strict: strict, recordFrames: false)
        runner.kernelVerifier = verifier
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-kv-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try? Data("title: \"T\"\ndescription: \"D\"\n".utf8).write(
            to: folder.appendingPathComponent("course.yml"))
        try? Data(("---\ntitle: \"A\"\norder: 1\nsummary: \"S\"\n---\n" + lesson).utf8).write(
            to: folder.appendingPathComponent("01-a.md"))
        let report = ScenarioCheck(content: folder.path, fix: false, runner: runner).run()
        return report.lessons.first?.results ?? []
    }

    @Test func optionsReadVersionAndVerify() {
        let (options, issues) = ScenarioOptions.parse(
            "scenario kernel version=6.1 verify=kernel", line: 1, column: 4)
        #expect(issues.isEmpty)
        #expect(options?.version == .v6_1)
        #expect(options?.verifyKernel == true)
        let (_, bad) = ScenarioOptions.parse("scenario kernel version=5.10", line: 1, column: 4)
        #expect(bad.map(\.message) == ["'version' must be '6.1' or '6.18', found '5.10'"])
        let (_, malloc) = ScenarioOptions.parse("scenario malloc verify=kernel", line: 1, column: 4)
        #expect(
            malloc.map(\.message) == ["option 'verify=kernel' applies to the 'kernel' model only"])
    }

    /// The trace of scenario statement lines, which must parse.
    func translation(_ lines: [String]) -> KernelTraceTranslation {
        var variables = ScenarioVariables()
        let body = lines.enumerated().map { ScenarioSourceLine(text: $1, line: $0 + 1, column: 1) }
        let program = ScenarioProgram.parse(body, model: .kernel, variables: &variables)
        #expect(program.issues.isEmpty)
        return KernelTraceTranslation.translate(program.statements)
    }

    @Test func translationMakesAKernelTrace() throws {
        let t = translation([
            "c = kmem_cache_create(\"mine\", 40, 0, 0, NULL);", "a = kmalloc(100, GFP_KERNEL);",
            "o = kmem_cache_alloc(c, GFP_KERNEL);", "p = alloc_pages(GFP_KERNEL, 4);",
            "v = vzalloc(8192);", "cat /proc/buddyinfo", "kfree(a);", "kmem_cache_free(c, o);",
            "__free_pages(p, 4);", "vfree(v);", "kfree(NULL);",
        ])
        #expect(
            t.trace
                == "kmem_cache_create mine 40\nkmalloc a 100\nkmem_cache_alloc o mine\n"
                + "alloc_pages p 4\nvzalloc v 8192\nkfree a\nkmem_cache_free o\nfree_pages p\nvfree v\n"
        )
        #expect(t.stepStatements.count == 9)
        #expect(t.unsupported.isEmpty)
    }

    /// The helpers around kmalloc become trace operations the replay module runs; what it
    /// cannot say (GFP_NOIO for kvmalloc, a krealloc into another variable, 6.18's
    /// kvrealloc) is an error at the statement.
    @Test func translationOfTheHelpersAroundKmalloc() throws {
        let t = translation([
            "a = kmalloc_array(10, 24, GFP_KERNEL);", "z = kcalloc(4, 100, GFP_KERNEL);",
            "a = krealloc(a, 300, GFP_KERNEL);", "k = kvmalloc(100000, GFP_KERNEL);",
            "w = kvzalloc(5000000, GFP_KERNEL);", "x = kvmalloc_array(3, 1000, GFP_KERNEL);",
            "y = kvcalloc(1 << 40, 1 << 30, GFP_KERNEL);", "ksize(a);", "kvfree(k);",
            "n = kvmalloc(5000000, GFP_NOWAIT);", "b = krealloc(z, 500, GFP_KERNEL);",
            "i = kvmalloc(5000000, GFP_NOIO);",
            "w = kvrealloc(w, 6000000, GFP_KERNEL);", "k = kvmalloc(100, GFP_KERNEL);",
            "k = kvrealloc(k, 100, 300, GFP_KERNEL);",
        ])
        #expect(
            t.trace
                == "kmalloc_array a 10 24\nkcalloc z 4 100\nkrealloc a 300\nkvmalloc k 100000\n"
                + "kvzalloc w 5000000\nkvmalloc_array x 3 1000\nkvcalloc y 1099511627776 1073741824\n"
                + "kvfree k\nkvmalloc n 5000000 GFP_NOWAIT\nkvmalloc k 100\nkvrealloc k 100 300\n")
        #expect(t.stepStatements.map(\.line) == [1, 2, 3, 4, 5, 6, 7, 9, 10, 14, 15])
        #expect(
            t.unsupported.map(\.message) == [
                "verify=kernel cannot replay this: a krealloc whose result goes to another variable than its argument",
                "verify=kernel cannot replay this: GFP_NOIO changes kvmalloc's path; the replay sends GFP_KERNEL, GFP_NOWAIT or GFP_ATOMIC",
                "verify=kernel cannot replay this: 6.18's kvrealloc(p, size, flags); the real kernel is 6.1",
            ])
        // The model reads the trace, with the facts the real kernel reports.
        let facts = try KernelTraceFacts.model(t.trace, cpus: 2, memoryBytes: 64 << 20).get()
        #expect(facts.steps[8].value("ptr") == "NULL")
        #expect(facts.steps[10].value("moved") == "yes")
        #expect(facts.steps[10].value("path") == "slab")
        #expect(facts.wire.contains("\nK 6 5000000 1\n"))
        #expect(facts.wire.hasPrefix("n 7 0 11\nx 0 10 24\ny 1 4 100\nk 0 300\nK 2 100000 0\n"))
        #expect(facts.steps[2].value("moved") == "yes")
        #expect(facts.steps[3].value("path") == "pages")
        #expect(facts.steps[4].value("path") == "vmalloc")
        #expect(facts.steps[6].value("ptr") == "NULL")
        #expect(facts.steps[0].value("ksize") == "256")
    }

    @Test func doubleFreesAndInteriorPointersAreNotReplayed() {
        var variables = ScenarioVariables()
        let body = ["a = kmalloc(64, GFP_KERNEL);", "kfree(a);", "kfree(a);", "kfree(a + 8);"]
            .enumerated().map { ScenarioSourceLine(text: $1, line: $0 + 1, column: 1) }
        let program = ScenarioProgram.parse(body, model: .kernel, variables: &variables)
        let t = KernelTraceTranslation.translate(program.statements)
        #expect(
            t.unsupported.map(\.message) == [
                "verify=kernel cannot replay this: a free of 'a', which is not allocated (a double free)",
                "verify=kernel cannot replay this: an interior pointer",
            ])
    }

    @Test func agreementMarksTheBlockVerified() {
        let results = Self.run(KernelReplayVerifier(replay: Self.echoReplay()))
        #expect(results.first?.verification == .agreed)
        // The only error is the '//> x' output diff.
        #expect(results.first?.diagnostics.filter { $0.severity == .error }.count == 1)
    }

    @Test func aDifferenceNamesTheStepAndTheFact() {
        let replay = Self.echoReplay { step, line in
            step == 2 ? line.replacingOccurrences(of: "slab=slab 1", with: "slab=new slab 2") : line
        }
        let results = Self.run(KernelReplayVerifier(replay: replay))
        #expect(results.first?.verification == .disagreed)
        let messages = results.first?.diagnostics.map(\.message) ?? []
        #expect(
            messages.contains(
                "verify=kernel: step 2 ('b = kmalloc(100, GFP_KERNEL);') differs in 'slab': "
                    + "model slab 1, real kernel new slab 2"))
    }

    @Test func eachDifferingStepIsExplainedInTheAllocatorsTerms() throws {
        // The "real kernel" opens a second slab for b and puts a in another slot.
        let replay = Self.echoReplay { step, line in
            switch step {
            case 1: line.replacingOccurrences(of: "slot=0", with: "slot=31")
            case 2:
                line.replacingOccurrences(of: "slab=slab 1", with: "slab=new slab 2")
                    .replacingOccurrences(of: "free_pages=0", with: "free_pages=-1")
            default: line
            }
        }
        let results = Self.run(KernelReplayVerifier(replay: replay))
        #expect(results.first?.verification == .disagreed)
        let error = try #require(
            results.first?.diagnostics.first { $0.message.hasPrefix("verify=kernel: step") })
        #expect(
            error.message
                == "verify=kernel: step 1 ('a = kmalloc(100, GFP_KERNEL);') differs in 'slot': "
                + "model 0, real kernel 31")
        #expect(error.location?.line == 7)
        #expect(
            error.details == [
                "step 1 ('a = kmalloc(100, GFP_KERNEL);') differs in 'slot': model 0, real kernel "
                    + "31; the model handed out object 0 of its slab, the real kernel object 31 "
                    + "(the slab's free list is in another order); the model: "
                    + stride(from: 10, through: 1, by: -1).map {
                        "buddy split an order-\($0) block; "
                    }
                    .joined()
                    + "served by kmalloc-128; the normal kmalloc caches (KMALLOC_NORMAL); "
                    + "kmalloc-128 opened a new slab",
                "step 2 ('b = kmalloc(100, GFP_KERNEL);') differs in 'slab': model slab 1, real "
                    + "kernel new slab 2; in 'free_pages': model 0, real kernel -1; the model "
                    + "reused slab 1 of kmalloc-128; the real kernel opened a new slab (slab 2); "
                    + "the model's step left the free-page count unchanged, the real kernel's "
                    + "took 1 free page; the model: served by kmalloc-128; the normal kmalloc "
                    + "caches (KMALLOC_NORMAL); kmalloc-128 used its CPU slab",
            ])
    }

    @Test(arguments: [
        (
            "slab", "new slab 3", "slab 2",
            "the model opened a new slab of kmalloc-64 (slab 3); the real kernel reused slab 2, "
                + "which still had a free object"
        ),
        (
            "slab_freed", "yes", "no",
            "the model discarded the emptied slab (its pages went back to the buddy allocator); "
                + "the real kernel kept it"
        ),
        ("order", "2", "3", "the model took an order-2 block, the real kernel an order-3 block"),
        ("ksize", "24", "20", "ksize() gives 24 bytes in the model, 20 in the real kernel"),
        (
            "path", "pages", "vmalloc",
            "kvmalloc took the kmalloc path (the page allocator) in the model, the vmalloc fallback in the real kernel"
        ),
        (
            "moved", "yes", "no",
            "the model's krealloc moved the object to a new one; the real kernel kept it in place"
        ),
        (
            "split", "smallest free block, low half", "other block",
            "the model's block was the low half of the smallest free block that fits (the buddy "
                + "rule), the real kernel's another free block"
        ),
        (
            "ptr", "NULL", "absent",
            "the model returned NULL (the allocation failed), the real kernel a valid pointer"
        ),
        (
            "free_pages", "-4", "2",
            "the model's step took 4 free pages, the real kernel's gave back 2 free pages"
        ),
        (
            "pagesperslab", "1", "2",
            "a slab of kmalloc-64 is 1 page in the model, 2 pages in the real kernel"
        ),
    ])
    func wordingOfEachFact(fact: String, model: String, real: String, words: String) {
        let sentence = KernelDifferenceWording.sentence(
            [KernelFactDifference(step: 1, fact: fact, model: model, real: real)],
            step: KernelFactStep(line: 1, facts: [KernelFact("cache", "kmalloc-64")]))
        #expect(sentence == words)
    }

    @Test func aHostWithoutQemuWarnsAndStrictFails() {
        let missing = KernelReplayVerifier { _, _ in
            .failure(.host("this host lacks qemu-system-x86 (run 'bash .ci/install')"))
        }
        let relaxed = Self.run(missing)
        #expect(
            relaxed.first?.verification
                == .skipped("this host lacks qemu-system-x86 (run 'bash .ci/install')"))
        #expect(
            relaxed.first?.diagnostics.contains {
                $0.severity == .warning
                    && $0.message.hasPrefix("verify=kernel skipped: this host lacks")
            } == true)
        let strict = Self.run(missing, strict: true)
        #expect(
            strict.first?.diagnostics.contains {
                $0.severity == .error && $0.message.hasPrefix("verify=kernel skipped")
            } == true)
    }

    @Test func oneBootForTheWholeCheck() throws {
        let counter = Counter()
        Self.remember("kmalloc a 100\nkmalloc b 100\n")
        Self.remember("kmalloc a 100\n")
        var runner = LessonScenarioRunner(
            engines: ScenarioEngines.standard, verifier: nil, recordFrames: false)
        runner.kernelVerifier = KernelReplayVerifier(replay: Self.echoReplay(calls: counter))
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-kv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("title: \"T\"\ndescription: \"D\"\n".utf8).write(
            to: folder.appendingPathComponent("course.yml"))
        for n in 1...3 {
            let front = "---\ntitle: \"L\(n)\"\norder: \(n)\nsummary: \"S\"\n---\n"
            try Data((front + Self.lesson).utf8).write(
                to: folder.appendingPathComponent("0\(n)-l\(n).md"))
        }
        let report = ScenarioCheck(content: folder.path, fix: false, runner: runner).run()
        #expect(report.lessons.allSatisfy { $0.results.first?.verification == .agreed })
        #expect(counter.boots == 1)
        #expect(counter.traces == 3)
    }

    @Test func aBlockWithNothingToCompareIsAnError() {
        var variables = ScenarioVariables()
        let program = ScenarioProgram.parse(
            [ScenarioSourceLine(text: "cat /proc/buddyinfo", line: 4, column: 1)], model: .kernel,
            variables: &variables)
        let outcome = KernelReplayVerifier(replay: Self.echoReplay()).verify([
            KernelVerificationJob(statements: program.statements, cpus: 2, memoryBytes: 16 << 20)
        ])
        guard case .disagreed(let issues) = outcome.first else {
            Issue.record("expected an error, got \(outcome)")
            return
        }
        #expect(issues.first?.line == 4)
        #expect(issues.first?.message.hasPrefix("verify=kernel: nothing to compare") == true)
    }

    @Test func badgeNamesTheRealKernel() {
        var options = ScenarioOptions(model: .kernel)
        options.verifyKernel = true
        options.version = .v6_1
        #expect(
            ScenarioHTML.kernelBadge(options)
                == "Checked: output produced by the Linux 6.1 kernel allocator model at build time, "
                + "and replayed in a real Linux 6.1 (Debian 12) kernel under QEMU")
    }
}
