import Foundation
import TestSupport
import Testing

/// `allocbook` installs like a program: copied alone into an empty folder, it still verifies
/// `verify=glibc` blocks, compiling the replayer it carries into its cache, and a missing C
/// compiler is one clear error.
///
/// The whole course checked by a lone copy with `--strict` (every `verify=glibc` and
/// `verify=kernel` block, the kernel booted under QEMU, the cache's contents) is `.ci/test`'s
/// check stage, `.ci/check-alone`: one boot there instead of one more in `swift test`.
@Suite(.serialized) struct PortableReplayerTests {
    /// An empty folder holding only a copy of `allocbook`, and a fresh cache folder.
    func lonelyCopy() throws -> (folder: URL, binary: URL, cache: URL) {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-alone-\(UUID().uuidString)")
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let binary = bin.appendingPathComponent("allocbook")
        try FileManager.default.copyItem(
            at: ProcessRunner.productsDirectory.appendingPathComponent("allocbook"), to: binary)
        return (folder, binary, folder.appendingPathComponent("cache"))
    }

    func environment(cache: URL, path: String? = nil) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = cache.path
        if let path { environment["PATH"] = path }
        environment["CC"] = nil
        return environment
    }

    /// A course of one lesson with one `verify=glibc` block, in `folder`/content.
    func oneLessonCourse(in folder: URL) throws -> URL {
        let content = folder.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try Data("title: T\ndescription: D\n".utf8).write(
            to: content.appendingPathComponent("course.yml"))
        let lesson =
            "---\ntitle: M\norder: 1\nsummary: S\n---\n\n```scenario malloc verify=glibc\n"
            + "A = malloc(8);\n//> A = 0x5555555592a0 (heap+0x2a0), 32-byte chunk carved from "
            + "top; brk +0x21000\n```\n"
        try Data(lesson.utf8).write(to: content.appendingPathComponent("01-m.md"))
        return content
    }

    @Test func aCopiedAllocbookVerifiesGlibcBlocksWithTheReplayerItCarries() throws {
        let (folder, binary, cache) = try lonelyCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = try oneLessonCourse(in: folder)
        for run in 1...2 {
            let outcome = try ProcessRunner.run(
                binary, ["check", "--content", content.path, "--strict"],
                environment: environment(cache: cache), directory: folder)
            #expect(outcome.status == 0, "run \(run): \(outcome.stderr)")
            #expect(outcome.stdout.contains("all pass"), "run \(run): \(outcome.stdout)")
            #expect(!outcome.stderr.contains("verify=glibc skipped"), "run \(run)")
        }
        // One compiled replayer, named by the hash of its source, kept for the second run.
        let cached = try FileManager.default.contentsOfDirectory(
            atPath: cache.appendingPathComponent("allocbook").path)
        #expect(cached.count == 1, "\(cached)")
        #expect(cached.first?.hasPrefix("glibc-replay-") == true, "\(cached)")
        let beside = try FileManager.default.contentsOfDirectory(
            atPath: binary.deletingLastPathComponent().path)
        #expect(beside == ["allocbook"])
    }

    @Test func aMissingCompilerIsOneClearError() throws {
        let (folder, binary, cache) = try lonelyCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = try oneLessonCourse(in: folder)
        let outcome = try ProcessRunner.run(
            binary, ["check", "--content", content.path, "--strict"],
            environment: environment(
                cache: cache, path: folder.appendingPathComponent("none").path),
            directory: folder)
        #expect(outcome.status == 1)
        let errors = outcome.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count == 1, "\(outcome.stderr)")
        #expect(
            errors.first?.contains(
                "01-m.md:7:1: error: verify=glibc skipped: verify=glibc compiles its replayer with "
                    + "the machine's C compiler, and 'cc' is not on PATH") == true,
            "\(outcome.stderr)")
    }
}
