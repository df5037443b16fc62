import AllocatorModels
import ArgumentParser
import Foundation
import Replay
import Scenarios

/// `allocbook trace --model glibc|kernel [FILE|-]`: replays an allocation trace through a model.
struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replay an allocation trace through a model, one JSON object per step.",
        discussion: """
            glibc input, one operation a line: malloc ID SIZE, calloc ID NMEMB SIZE, \
            realloc ID SIZE, free ID[+OFFSET], mallopt NAME VALUE, write ID+OFFSET VALUE.
            kernel input: kmalloc ID SIZE, kzalloc ID SIZE, kfree ID, alloc_pages ID ORDER, \
            free_pages ID, vmalloc ID SIZE, vzalloc ID SIZE, vfree ID, \
            kmem_cache_create NAME OBJSIZE, kmem_cache_alloc ID NAME, kmem_cache_free ID.
            '#' starts a comment.
            --verify (kernel): replays the trace in a real Linux 6.1 kernel under QEMU as well \
            and prints each step's facts, the model's 6.1 profile and the real kernel side by \
            side; exit status 1 when a fact differs, 3 when this host cannot boot the kernel.
            """
    )

    enum Model: String, ExpressibleByArgument, CaseIterable {
        case glibc, kernel
    }

    @Option(
        help: "The model: glibc (ptmalloc2, glibc 2.36 x86_64) or kernel (buddy, SLUB, vmalloc).")
    var model: Model

    @Option(
        help:
            "Number of CPUs: kernel model, the slab geometry; glibc model, the arena limit (8 per CPU)."
    )
    var cpus: Int = 2

    @Option(help: "kernel model: size of physical memory, with K, M or G (default 64M).")
    var memory: String = "64M"

    @Option(
        help:
            "glibc model: where mmap puts mappings, MMAP_TOP,HOLE_LOW,HOLE_HIGH in hex (what glibc-replay --layout prints); default the course's."
    )
    var mmapLayout: String?

    @Option(
        name: .customLong("freelist-random"),
        help: "kernel model: turn CONFIG_SLAB_FREELIST_RANDOM on with this seed (default off).")
    var freelistRandom: UInt64?

    @Flag(
        name: .customLong("pcp"),
        help: "kernel model: run orders 0-3 and 9 through CPU 0's per-CPU page lists (default off)."
    )
    var perCPULists = false

    @Option(help: "kernel model: the Linux release to follow, 6.1 or 6.18 (default 6.18).")
    var kernelVersion: String = KernelVersion.standard.rawValue

    @Flag(help: "kernel model: also replay the trace in a real Linux 6.1 kernel and compare.")
    var verify = false

    @Flag(
        help:
            "glibc model: no per-step output; print one line {\"steps\":N,\"replay_ns\":T} (benchmarks)."
    )
    var quiet = false

    @Argument(help: "The trace file, or - for standard input.")
    var file: String = "-"

    func run() throws {
        let path = file == "-" ? "<stdin>" : file
        let text: String
        do {
            let data =
                file == "-"
                ? FileHandle.standardInput.readDataToEndOfFile()
                : try Data(contentsOf: URL(fileURLWithPath: file))
            guard let decoded = String(data: data, encoding: .utf8) else {
                StandardStreams.writeError("\(path):1:1: error: file is not valid UTF-8\n")
                throw ExitCode(2)
            }
            text = decoded
        } catch let error as ExitCode {
            throw error
        } catch {
            StandardStreams.writeError("allocbook: error: cannot read '\(path)'\n")
            throw ExitCode(2)
        }

        guard cpus >= 1, cpus <= 8192 else {
            throw ValidationError("--cpus must be between 1 and 8192")
        }
        var layout = MmapLayout()
        if let mmapLayout {
            let parts = mmapLayout.split(separator: ",").map {
                UInt64($0.hasPrefix("0x") ? $0.dropFirst(2) : $0, radix: 16)
            }
            guard parts.count == 3, let top = parts[0], let low = parts[1], let high = parts[2]
            else {
                throw ValidationError("--mmap-layout must be MMAP_TOP,HOLE_LOW,HOLE_HIGH in hex")
            }
            layout = MmapLayout(mmapTop: top, holeLow: low, holeHigh: high)
        }
        var out = OutputBuffer()
        let errors: [TraceError]
        switch model {
        case .glibc where quiet:
            switch GlibcTrace.parse(text) {
            case .failure(let list):
                errors = list.errors
            case .success(let trace):
                let start = ContinuousClock.now
                let steps = GlibcTraceRunner.replay(
                    trace, quiet: true, cpus: cpus, layout: layout
                ) { out.line($0) }
                let elapsed = start.duration(to: .now).components
                let nanoseconds =
                    elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
                out.line("{\"steps\":\(steps),\"replay_ns\":\(nanoseconds)}")
                errors = []
            }
        case .glibc:
            guard !verify else {
                throw ValidationError("--verify is only available with --model kernel")
            }
            errors = GlibcTraceRunner.run(text, quiet: false, cpus: cpus, layout: layout) {
                out.line($0)
            }
        case .kernel:
            guard !quiet else {
                throw ValidationError("--quiet is only available with --model glibc")
            }
            guard let bytes = Self.parseSize(memory) else {
                throw ValidationError("--memory must be a size such as 64M or 1G")
            }
            guard let version = KernelVersion(rawValue: kernelVersion) else {
                throw ValidationError("--kernel-version must be 6.1 or 6.18")
            }
            if verify {
                try Self.verify(text, path: path, cpus: cpus, memoryBytes: bytes, version: version)
                return
            }
            errors = KernelTraceRunner.run(
                text, cpus: cpus, memoryBytes: bytes, slabDebug: false,
                freelistRandomSeed: freelistRandom, version: version, perCPULists: perCPULists
            ) { out.line($0) }
        }
        out.flush()
        if !errors.isEmpty {
            for error in errors {
                StandardStreams.writeError(
                    "\(path):\(error.line):\(error.column): error: \(error.message)\n")
            }
            throw ExitCode(2)
        }
    }

    /// `--verify`: the model's 6.1 facts and the real kernel's, side by side.
    static func verify(
        _ text: String, path: String, cpus: Int, memoryBytes: UInt64, version: KernelVersion
    ) throws {
        guard version == .v6_1 || version == .standard else {
            throw ValidationError("--verify compares with Linux 6.1")
        }
        let model: KernelFactTrace
        switch KernelTraceFacts.model(text, cpus: cpus, memoryBytes: memoryBytes, version: .v6_1) {
        case .success(let facts): model = facts
        case .failure(let list):
            for error in list.errors {
                StandardStreams.writeError(
                    "\(path):\(error.line):\(error.column): error: \(error.message)\n")
            }
            throw ExitCode(2)
        }
        let verifier = KernelReplayVerifier.standard()
        let real: [String]
        switch verifier.runOnce([model], cpus: cpus) {
        case .success(let lines): real = lines[0]
        case .failure(.host(let reason)):
            StandardStreams.writeError("allocbook: error: cannot boot the kernel here: \(reason)\n")
            throw ExitCode(3)
        case .failure(.run(let reason)):
            StandardStreams.writeError("allocbook: error: \(reason)\n")
            throw ExitCode(3)
        }
        let report = KernelSideBySide.report(trace: text, model: model, real: real)
        var out = OutputBuffer()
        for line in report.lines { out.line(line) }
        out.flush()
        if report.differing > 0 { throw ExitCode.failure }
    }

    /// `--memory`: a size such as `64M` (`ByteSize`, the parser traces use too); 0 is not one.
    static func parseSize(_ text: String) -> UInt64? {
        guard let bytes = ByteSize.parse(text.utf8), bytes > 0 else { return nil }
        return bytes
    }
}
