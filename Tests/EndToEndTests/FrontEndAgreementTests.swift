import Foundation
import TestSupport
import Testing

/// `check` and `build` go through one front end: the same course gives the same diagnostics at
/// the same file:line:col from both, and the same block ids (JUnit) as page anchors.
@Suite struct FrontEndAgreementTests {
    /// Runs allocbook with `arguments`; returns (status, stdout, stderr).
    func allocbook(_ arguments: [String]) throws -> (Int32, String, String) {
        let outcome = try ProcessRunner.allocbook(arguments)
        return (outcome.status, outcome.stdout, outcome.stderr)
    }

    /// A temporary content folder with `course.yml` and `files`.
    func course(_ files: [String: [UInt8]]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("allocbook-frontend-\(UUID().uuidString)")
        let content = folder.appendingPathComponent("content")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try Data("title: T\ndescription: D\n".utf8).write(
            to: content.appendingPathComponent("course.yml"))
        for (name, bytes) in files {
            try Data(bytes).write(to: content.appendingPathComponent(name))
        }
        return folder
    }

    static func front(_ order: Int, slug: String? = nil) -> String {
        "---\ntitle: L\(order)\norder: \(order)\nsummary: S\n"
            + (slug.map { "slug: \($0)\n" } ?? "")
            + "---\n\n"
    }

    /// The diagnostic headlines (`path:line:col: severity: message`) of a run's output.
    static func headlines(_ text: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter {
            $0.contains(": error: ") || $0.contains(": warning: ")
        }.filter { !$0.hasPrefix("allocbook:") }
    }

    /// The broken lessons of issue 10, one per file.
    static let broken: [String: [UInt8]] = [
        "01-quoted.md": Array(
            (front(1) + "> ```scenario malloc\n> A = malloc(8);\n> ```\n").utf8),
        "02-indented.md": Array(
            (front(2) + "Text.\n\n    ```scenario malloc\n    A = malloc(8);\n    ```\n").utf8),
        "03-unclosed.md": Array((front(3) + "```scenario malloc\nA = malloc(8);\n").utf8),
        "04-options.md": Array(
            (front(4) + "```scenario malloc figure=sideways\nA = malloc(8);\n```\n").utf8),
        "05-front.md": Array("---\ntitle: L5\norder: five\nsummary: S\n---\n\nText.\n".utf8),
        "06-utf8.md": Array(front(6).utf8) + [0x41, 0xFF, 0x42, 0x0A],
        "07-custom.md": Array(
            (front(7, slug: "heap") + "```scenario malloc\nA = malloc(8);\n//> wrong\n```\n").utf8),
        // A lone carriage return: cmark ends a line there, so the fence would sit on a line
        // the file's LF count does not have (the fuzzer's crash of session 4).
        "09-cr.md": Array((front(9) + "Text.\r```scenario malloc\rA = malloc(8);\r```\r").utf8),
        // Fragments: a heading and a figure step that exist, two that do not, one in another
        // lesson that does not.
        "08-fragments.md": Array(
            (front(8, slug: "frag") + "## Here\n\n"
                + "[a](#here) [b](#gone) [c](#frag-scenario-1-step-1) [d](#frag-scenario-1-step-9)"
                + " [e](07-custom.md#nowhere)\n\n```scenario malloc figure=steps\nA = malloc(8);\n"
                + "//> A = 0x5555555592a0 (heap+0x2a0), 32-byte chunk carved from top; brk +0x21000\n"
                + "```\n").utf8),
    ]

    @Test func checkAndBuildGiveTheSameDiagnostics() throws {
        let folder = try course(Self.broken)
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = folder.appendingPathComponent("content").path
        let (checkStatus, _, checkErr) = try allocbook(["check", "--content", content])
        let (buildStatus, _, buildErr) = try allocbook([
            "build", "--content", content, "--output", folder.appendingPathComponent("site").path,
        ])
        #expect(checkStatus == 1)
        #expect(buildStatus == 1)
        let fromCheck = Self.headlines(checkErr)
        let fromBuild = Self.headlines(buildErr)
        #expect(fromCheck == fromBuild)
        // Each broken lesson is reported, at its own place.
        let expected = [
            "01-quoted.md:7:3: error: a scenario block must be at the top level",
            "02-indented.md:9:",
            "03-unclosed.md:7:1: error: scenario block is not closed",
            "04-options.md:7:",
            "05-front.md:3:8: error: front matter: 'order'",
            "06-utf8.md:7:2: error: file is not valid UTF-8",
            "07-custom.md:10:1: error: scenario output differs",
            "09-cr.md:7:6: error: a carriage return (CR) without a line feed ends a line here",
            "08-fragments.md:10:12: error: link to an anchor that does not exist: '#gone' in "
                + "this lesson",
            "08-fragments.md:10:52: error: link to an anchor that does not exist: "
                + "'#frag-scenario-1-step-9' in this lesson",
            "08-fragments.md:10:81: error: link to an anchor that does not exist: '#nowhere' in "
                + "'07-custom.md'",
        ]
        for prefix in expected {
            #expect(
                fromCheck.contains { $0.hasPrefix("\(content)/\(prefix)") },
                "missing \(prefix) in \(fromCheck)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("site").path))

        // The same with --format github from both.
        let (_, checkGitHub, _) = try allocbook([
            "check", "--content", content, "--format", "github",
        ])
        let (_, buildGitHub, _) = try allocbook([
            "build", "--content", content, "--output", folder.appendingPathComponent("site").path,
            "--format", "github",
        ])
        let annotations = { (text: String) in
            text.split(separator: "\n").filter { $0.hasPrefix("::") }
        }
        #expect(annotations(checkGitHub).count == expected.count)
        #expect(annotations(checkGitHub) == annotations(buildGitHub))
    }

    @Test func junitIDsAreThePageAnchorsForACustomSlug() throws {
        let lesson =
            Self.front(1, slug: "heap")
            + "```scenario malloc\nA = malloc(8);\n//> A = 0x5555555592a0 (heap+0x2a0), 32-byte chunk carved from top; brk +0x21000\n```\n"
        let folder = try course(["03-malloc.md": Array(lesson.utf8)])
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = folder.appendingPathComponent("content").path
        let junit = folder.appendingPathComponent("report.xml").path
        let (checkStatus, _, checkErr) = try allocbook([
            "check", "--content", content, "--junit", junit,
        ])
        #expect(checkStatus == 0, "\(checkErr)")
        let site = folder.appendingPathComponent("site")
        let (buildStatus, _, buildErr) = try allocbook([
            "build", "--content", content, "--output", site.path,
        ])
        #expect(buildStatus == 0, "\(buildErr)")
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        let page = try String(
            contentsOf: site.appendingPathComponent("heap.html"), encoding: .utf8)
        #expect(xml.contains("name=\"heap-scenario-1 (line 8)\""))
        #expect(!xml.contains("malloc-scenario-1"))
        #expect(page.contains("id=\"heap-scenario-1\""))
    }
}
