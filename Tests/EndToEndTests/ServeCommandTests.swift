import Foundation
import Testing

@testable import Preview

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `allocbook serve` as an author runs it: pages with the reload script, a rebuild after an
/// edit, errors published to the page, a busy port, Ctrl-C. (The browser side, reload and
/// overlay in Chromium, is `.ci/browser/serve_test.py`.)
@Suite(.serialized) struct ServeCommandTests {
    final class Server {
        let process = Process()
        let log: URL

        init(_ arguments: [String]) throws {
            log = FileManager.default.temporaryDirectory
                .appendingPathComponent("allocbook-serve-test-\(UUID().uuidString).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.executableURL = productsDirectory.appendingPathComponent("allocbook")
            process.arguments = ["serve"] + arguments
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
        }

        var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        /// Waits until the output contains `text` (or the process ends).
        func wait(for text: String, seconds: Double = 240) async throws -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                if output.contains(text) { return true }
                if !process.isRunning { return output.contains(text) }
                try await Task.sleep(for: .milliseconds(50))
            }
            return false
        }

        func interrupt() -> Int32 {
            process.interrupt()
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: log)
            return process.terminationStatus
        }
    }

    static func freePort() -> UInt16 {
        var port = UInt16(20000 + Int(getpid() % 20000))
        while !PortFinder.isFree(port) { port += 1 }
        return port
    }

    static func content() throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-serve-content-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("title: T\ndescription: D\n".utf8).write(
            to: folder.appendingPathComponent("course.yml"))
        try lesson("First text.").write(to: folder.appendingPathComponent("01-a.md"))
        return folder
    }

    static func lesson(_ text: String) -> Data {
        Data(
            """
            ---
            title: A
            order: 1
            summary: S
            ---

            # A

            \(text)

            ```scenario malloc
            p = malloc(40);
            //> p = 0x5555555592a0 (heap+0x2a0), 48-byte chunk carved from top; brk +0x21000
            ```

            """.utf8)
    }

    func get(_ port: UInt16, _ path: String) async throws -> (Int, String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        let (data, response) = try await URLSession.shared.data(from: url)
        return (
            (response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self)
        )
    }

    @Test func servesRebuildsPublishesErrorsAndStopsOnCtrlC() async throws {
        let content = try Self.content()
        defer { try? FileManager.default.removeItem(at: content) }
        let port = Self.freePort()
        let server = try Server(["--content", content.path, "--port", String(port)])
        let started = try await server.wait(for: "serving ")
        try #require(started, "serve did not start: \(server.output)")

        let (status, page) = try await get(port, "/a.html")
        #expect(status == 200)
        #expect(page.contains("First text."))
        #expect(
            page.contains("<script src=\"/__allocbook/reload.js\" data-version=\"0\"></script>"))
        let (missing, _) = try await get(port, "/nope.html")
        #expect(missing == 404)
        let (_, state) = try await get(port, "/__allocbook/poll?version=-1")
        #expect(state == #"{"version":0,"errors":null}"#)

        try Self.lesson("Second text.").write(to: content.appendingPathComponent("01-a.md"))
        let (_, rebuilt) = try await get(port, "/__allocbook/poll?version=0")
        #expect(rebuilt == #"{"version":1,"errors":null}"#)
        #expect(try await get(port, "/a.html").1.contains("Second text."))
        #expect(server.output.contains("rebuilt in "))
        #expect(server.output.contains("1 lesson (01-a.md) ran"))

        let wrong = String(decoding: Self.lesson("Third text."), as: UTF8.self)
            .replacingOccurrences(of: "carved from top", with: "from fastbin 1")
        try Data(wrong.utf8).write(to: content.appendingPathComponent("01-a.md"))
        let (_, failed) = try await get(port, "/__allocbook/poll?version=1")
        #expect(failed.contains(#""version":2,"errors":""#))
        #expect(failed.contains("01-a.md:13:1: error: scenario output differs"))
        #expect(failed.contains("the 48-byte chunk was carved from top"))
        // The last good page stays served.
        #expect(try await get(port, "/a.html").1.contains("Second text."))

        let folder = server.output.split(separator: "\n")
            .first { $0.hasPrefix("built ") }?.split(separator: " ").last.map(String.init)
        let temporary = try #require(folder)
        #expect(FileManager.default.fileExists(atPath: temporary + "/a.html"))
        let output = server.output
        #expect(server.interrupt() == 0)
        #expect(output.hasSuffix("stopped\n") || server.output.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: temporary))
        // Nothing was written into the content folder.
        let names = try FileManager.default.contentsOfDirectory(atPath: content.path).sorted()
        #expect(names == ["01-a.md", "course.yml"])
    }

    @Test func aBusyPortIsAClearErrorOrTheNextFreePort() async throws {
        let content = try Self.content()
        defer { try? FileManager.default.removeItem(at: content) }
        let port = Self.freePort()
        let first = try Server(["--content", content.path, "--port", String(port)])
        let started = try await first.wait(for: "serving ")
        try #require(started, "serve did not start: \(first.output)")
        let second = try Server(["--content", content.path, "--port", String(port)])
        second.process.waitUntilExit()
        #expect(second.process.terminationStatus == 1)
        #expect(
            second.output.contains(
                "allocbook: error: port \(port) is already in use; stop what uses it or choose "
                    + "another with --port"))
        #expect(PortFinder.firstFree(from: port, attempts: 5) == port + 1)
        #expect(first.interrupt() == 0)
    }
}
