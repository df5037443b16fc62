import Foundation
import TestSupport
import Testing

/// `allocbook` installs like a program: copied alone into an empty folder, it still verifies
/// every `verify=glibc` block, compiling the replayer it carries into its cache once, and
/// every `verify=kernel` block, installing the kernel replayer it carries (module source,
/// guest init, QEMU script) into its cache once.
@Suite(.serialized) struct PortableReplayerTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

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

    @Test func aCopiedAllocbookChecksTheCourseWithStrict() throws {
        let (folder, binary, cache) = try lonelyCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = Self.repository.appendingPathComponent("content").path
        let environment = environment(cache: cache)
        let outcome = try ProcessRunner.run(
            binary, ["check", "--content", content, "--strict"],
            environment: environment, directory: folder)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("all pass"), "\(outcome.stdout)")
        #expect(!outcome.stderr.contains("verify=glibc skipped"))
        #expect(!outcome.stderr.contains("verify=kernel skipped"))
        let cached = try FileManager.default.contentsOfDirectory(
            atPath: cache.appendingPathComponent("allocbook").path
        ).sorted()
        // One compiled glibc replayer, named by the hash of its source; one installed kernel
        // replayer, named by the hash of its files; run-traces' own cache (the module built
        // against the pinned headers, the uncompressed kernel); no leftovers.
        #expect(cached.count == 3, "\(cached)")
        #expect(cached.first?.hasPrefix("glibc-replay-") == true, "\(cached)")
        #expect(cached.dropFirst().first == "kernel-replay", "\(cached)")
        #expect(cached.last?.hasPrefix("kernel-replayer-") == true, "\(cached)")
        // The folder the binary was copied into is untouched.
        let beside = try FileManager.default.contentsOfDirectory(
            atPath: binary.deletingLastPathComponent().path)
        #expect(beside == ["allocbook"])
    }

    @Test func aMissingCompilerIsOneClearError() throws {
        let (folder, binary, cache) = try lonelyCopy()
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = folder.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try Data("title: T\ndescription: D\n".utf8).write(
            to: content.appendingPathComponent("course.yml"))
        let lesson =
            "---\ntitle: M\norder: 1\nsummary: S\n---\n\n```scenario malloc verify=glibc\n"
            + "A = malloc(8);\n//> A = 0x5555555592a0 (heap+0x2a0), 32-byte chunk carved from "
            + "top; brk +0x21000\n```\n"
        try Data(lesson.utf8).write(to: content.appendingPathComponent("01-m.md"))
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
