import Foundation
import TestSupport
import Testing

/// `allocbook check` as CI runs it: exit status, GitHub annotations, JUnit, `--fix`, `--strict`.
@Suite struct CheckCommandTests {
    /// Runs allocbook; returns (status, stdout, stderr).
    func check(_ arguments: [String]) throws -> (Int32, String, String) {
        let outcome = try ProcessRunner.allocbook(["check"] + arguments)
        return (outcome.status, outcome.stdout, outcome.stderr)
    }

    @Test func reportsFixesAndPassesAgainstTheRealModels() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-check-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("title: T\ndescription: D\n".utf8).write(
            to: folder.appendingPathComponent("course.yml"))
        let lesson = folder.appendingPathComponent("03-malloc.md")
        let text = """
            ---
            title: malloc
            order: 3
            summary: S
            ---
            # malloc

            ```scenario malloc verify=glibc
            A = malloc(30 * 1024);
            //> A = 0x5555555592a0 (heap+0x2a0), 30736-byte chunk carved from top; brk +0x20000
            ```

            ```scenario kernel
            p = kmalloc(30, GFP_KERNEL);
            ```

            """
        try Data(text.utf8).write(to: lesson)
        let junit = folder.appendingPathComponent("report.xml").path

        let (status, out, _) = try check([
            "--content", folder.path, "--format", "github", "--junit", junit,
        ])
        #expect(status == 1)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(
            lines.first?.hasPrefix(
                "::error file=\(lesson.path),line=10,col=1::scenario output differs%0A--- expected")
                == true)
        #expect(
            lines.first?.contains(
                "%0A-//> A = 0x5555555592a0 (heap+0x2a0), 30736-byte chunk carved from top; brk +0x20000%0A+//> A = 0x5555555592a0 (heap+0x2a0), 30736-byte chunk carved from top; brk +0x21000"
            ) == true)
        #expect(
            lines.dropFirst().first?.hasPrefix(
                "::error file=\(lesson.path),line=14,col=1::scenario output differs") == true)
        #expect(lines.last == "checked 2 scenarios in 1 lesson: 2 errors in 1 file")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("<testsuites name=\"allocbook check\" tests=\"2\" failures=\"2\""))

        let (fixStatus, fixOut, _) = try check(["--content", folder.path, "--fix"])
        #expect(fixStatus == 0)
        #expect(fixOut.contains("fixed 2 scenarios in \(lesson.path)"))
        let (strictStatus, strictOut, strictErr) = try check(["--content", folder.path, "--strict"])
        #expect(strictStatus == 0, "\(strictErr)")
        #expect(strictOut == "checked 2 scenarios in 1 lesson: all pass\n")
        let fixed = try String(contentsOf: lesson, encoding: .utf8)
        #expect(fixed.contains("//> p = 0xffff888100000000, object 0 of kmalloc-32"))
    }
}
