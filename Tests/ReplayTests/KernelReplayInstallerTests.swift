import Foundation
import Testing

@testable import Replay

/// The kernel replayer travels inside the binary: the embedded files are the repository's
/// `KernelReplay/` folder byte for byte, and they install into the cache folder once.
@Suite struct KernelReplayInstallerTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("KernelReplay")

    @Test func theEmbeddedFilesAreTheRepositorysFolder() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path)
            .filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
        #expect(names == KernelReplayInstaller.files.keys.sorted())
        #expect(names.contains("allocbook_replay.c") && names.contains("run-traces"))
        for name in names {
            let text = try String(
                contentsOf: Self.folder.appendingPathComponent(name), encoding: .utf8)
            #expect(KernelReplayInstaller.files[name] == text, "\(name) differs")
        }
    }

    @Test func theFilesInstallOnceIntoTheCache() throws {
        let cache = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-kernel-installer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let environment = ["XDG_CACHE_HOME": cache.path]
        let script = try KernelReplayInstaller.script(environment: environment)
        let installed = script.deletingLastPathComponent()
        #expect(
            installed.lastPathComponent == "kernel-replayer-\(KernelReplayInstaller.contentHash)")
        #expect(
            installed.deletingLastPathComponent().path
                == cache.appendingPathComponent("allocbook").path)
        for (name, text) in KernelReplayInstaller.files {
            let file = installed.appendingPathComponent(name)
            #expect(try String(contentsOf: file, encoding: .utf8) == text)
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[
                .posixPermissions]
            #expect(
                (mode as? Int) == (["run-traces", "init"].contains(name) ? 0o755 : 0o644), "\(name)"
            )
        }
        // A second call finds it; nothing else is left in the cache folder.
        #expect(try KernelReplayInstaller.script(environment: environment) == script)
        let entries = try FileManager.default.contentsOfDirectory(
            atPath: cache.appendingPathComponent("allocbook").path)
        #expect(entries == [installed.lastPathComponent])
        // Without a cache folder, one clear reason.
        #expect(throws: KernelReplayRunner.Failure.self) {
            try KernelReplayInstaller.script(environment: [:])
        }
    }
}
