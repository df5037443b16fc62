import AllocatorModels
import Foundation
import Replay
import SiteBuilder

/// The libFuzzer targets, one per input format.
///
/// `.ci/fuzz/run` builds this program with
/// `-sanitize=fuzzer -DFUZZING` and picks a target with the `ALLOCBOOK_FUZZ_TARGET` variable.
enum FuzzTarget: String, CaseIterable {
    /// A scenario block's statements through a runner: the first byte picks the malloc model
    /// (even) or the kernel model (odd), the rest is the block's body.
    case scenario
    /// A whole lesson file through the check pipeline (loading, front matter, Markdown,
    /// every scenario block).
    case lesson
    /// The same bytes as `course.yml` and as a lesson's front matter.
    case yaml
    /// A glibc trace through `allocbook trace --model glibc`'s runner.
    case glibcTrace = "glibc-trace"
    /// A kernel trace through `allocbook trace --model kernel`'s runner.
    case kernelTrace = "kernel-trace"

    /// Runs one input.
    func run(_ bytes: [UInt8], scratch: String) {
        switch self {
        case .scenario:
            guard let first = bytes.first else { return }
            let model = first & 1 == 0 ? "malloc" : "kernel"
            let body = String(decoding: bytes.dropFirst(), as: UTF8.self)
            let lesson = "```scenario \(model) figure=steps\n\(body)\n```\n"
            let runner = LessonScenarioRunner(
                engines: ScenarioEngines.standard, verifier: nil, recordFrames: true)
            _ = runner.run(path: "fuzz.md", lines: LessonLines(Array(lesson.utf8)), slug: "fuzz")
        case .lesson:
            write(Self.course, to: scratch + "/course.yml")
            write(bytes, to: scratch + "/01-fuzz.md")
            checkAndLoad(scratch)
        case .yaml:
            write(bytes, to: scratch + "/course.yml")
            let lesson = Array("---\n".utf8) + bytes + Array("\n---\n\n# Text\n".utf8)
            write(lesson, to: scratch + "/01-fuzz.md")
            checkAndLoad(scratch)
        case .glibcTrace:
            _ = GlibcTraceRunner.run(String(decoding: bytes, as: UTF8.self)) { _ in }
        case .kernelTrace:
            _ = KernelTraceRunner.run(
                String(decoding: bytes, as: UTF8.self), cpus: 2, memoryBytes: 64 << 20
            ) { _ in }
        }
    }

    private static let course = Array("title: Fuzz\ndescription: Fuzzed lesson\n".utf8)

    /// `check` and `build`'s loading (without writing a site) over the scratch folder.
    private func checkAndLoad(_ folder: String) {
        let runner = LessonScenarioRunner(
            engines: ScenarioEngines.standard, verifier: nil, recordFrames: false)
        _ = ScenarioCheck(content: folder, fix: false, runner: runner).run()
        _ = CourseLoader.load(contentDirectory: folder)
    }

    private func write(_ bytes: [UInt8], to path: String) {
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            fatalError("fuzz harness: cannot write \(path)")
        }
    }
}

#if FUZZING
    /// The target and its scratch folder, chosen once per process.
    nonisolated(unsafe) private var selected: (target: FuzzTarget, scratch: String)?

    /// libFuzzer's entry point: runs one input through the selected target.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
        if selected == nil {
            let environment = ProcessInfo.processInfo.environment
            guard let name = environment["ALLOCBOOK_FUZZ_TARGET"],
                let target = FuzzTarget(rawValue: name)
            else {
                let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
                fatalError("set ALLOCBOOK_FUZZ_TARGET to one of: \(names)")
            }
            let scratch = environment["ALLOCBOOK_FUZZ_SCRATCH"] ?? ".build-fuzz/scratch/\(name)"
            try? FileManager.default.createDirectory(
                atPath: scratch, withIntermediateDirectories: true)
            selected = (target, scratch)
        }
        guard let (target, scratch) = selected else { return 0 }
        target.run(Array(UnsafeBufferPointer(start: data, count: size)), scratch: scratch)
        return 0
    }

    @_silgen_name("LLVMFuzzerRunDriver")
    private func runDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
    ) -> Int32

    /// The program's `main`: SwiftPM links an executable's `main` to `<module>_main`, so this
    /// hands over to libFuzzer's driver instead of its own `main`.
    @_cdecl("allocbook_fuzz_main")
    public func fuzzMain(
        _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    ) -> Int32 {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return runDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
    }
#else
    /// Without `-sanitize=fuzzer` this is a placeholder: the targets need libFuzzer's `main`.
    @main
    struct FuzzPlaceholder {
        static func main() {
            print("allocbook-fuzz: build and run it with '.ci/fuzz/run [SECONDS]'")
        }
    }
#endif
