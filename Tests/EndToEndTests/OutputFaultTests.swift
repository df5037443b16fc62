import Foundation
import Testing

/// Faults around the output folder and the content folder: what `build` and `check` report,
/// and that nothing is left behind.
@Suite struct OutputFaultTests {
    static let isRoot = getuid() == 0

    /// Runs a program (chattr, mount) and waits for it; its exit status.
    @discardableResult
    static func system(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = try Process.run(URL(fileURLWithPath: path), arguments: arguments)
        process.waitUntilExit()
        return process.terminationStatus
    }

    static let lesson = ("01-one.md", "# One\n\nText.\n")

    func stagingFolders(_ scratch: ScratchFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter {
            $0.hasPrefix(".site.allocbook-staging-")
        }
    }

    @Test(.enabled(if: isRoot && FileManager.default.fileExists(atPath: "/usr/bin/chattr")))
    func aPreviousSiteThatCannotBeRemovedIsReportedAndCleanedUpLater() throws {
        let scratch = try ScratchFolder("post-swap")
        defer { scratch.remove() }
        let content = try scratch.course([Self.lesson])
        let site = scratch.path + "/site"
        #expect(try runTool(["build", "--content", content, "--output", site]).status == 0)
        try Self.system("/usr/bin/chattr", ["+i", site + "/one.html"])
        _ = try scratch.course([("01-one.md", "# One\n\nNew text.\n")])

        let run = try runTool(["build", "--content", content, "--output", site])
        #expect(run.status == 0, "the new site is in place: \(run.stderr)")
        #expect(run.stderr.contains("warning: the new site is in '\(site)', but the previous one"))
        // Foundation reports the immutable file's EPERM as a permission error.
        #expect(run.stderr.contains("permission denied"))
        #expect(!run.stderr.contains("cannot move the new site"))
        let page = try String(contentsOfFile: site + "/one.html", encoding: .utf8)
        #expect(page.contains("New text."))
        let stranded = try stagingFolders(scratch)
        #expect(stranded.count == 1)

        // Once the file can go, the next build removes the stranded old site.
        try Self.system("/usr/bin/chattr", ["-R", "-i", scratch.path])
        #expect(try runTool(["build", "--content", content, "--output", site]).status == 0)
        #expect(try stagingFolders(scratch).isEmpty)
    }

    @Test func staleStagingFoldersOfKilledBuildsAreRemovedOthersKept() throws {
        let scratch = try ScratchFolder("stale")
        defer { scratch.remove() }
        let content = try scratch.course([Self.lesson])
        // What a build killed while writing pages leaves: the marker's header and some pages.
        let header = "# Made by allocbook build; replaced as a whole on every build.\n"
        try scratch.write(".site.allocbook-staging-4000001/.allocbook", header)
        try scratch.write(".site.allocbook-staging-4000001/index.html", "<html>")
        try scratch.write(".site.allocbook-staging-4000002-previous/.allocbook", header + "a\n")
        // Named alike but not allocbook's: kept.
        try scratch.write(".site.allocbook-staging-mine/notes.txt", "mine")

        let run = try runTool(["build", "--content", content, "--output", scratch.path + "/site"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try stagingFolders(scratch) == [".site.allocbook-staging-mine"])
    }

    @Test func aSecondBuildIntoALockedOutputFailsClearly() throws {
        let scratch = try ScratchFolder("lock")
        defer { scratch.remove() }
        let content = try scratch.course([Self.lesson])
        let site = scratch.path + "/site"
        // Another build holds the output's lock.
        let fd = open(scratch.path + "/.site.allocbook-lock", O_RDWR | O_CREAT, 0o644)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_EX) == 0)
        let run = try runTool(["build", "--content", content, "--output", site])
        close(fd)
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: another allocbook build is writing into '\(site)'"))
        #expect(!FileManager.default.fileExists(atPath: site))
        // Released, the same build succeeds and removes the lock file.
        #expect(try runTool(["build", "--content", content, "--output", site]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/.site.allocbook-lock"))
    }

    @Test func lessonLinksLeavingTheContentFolderAreRefusedByBuildAndCheck() throws {
        let scratch = try ScratchFolder("symlink")
        defer { scratch.remove() }
        let content = try scratch.course([Self.lesson])
        let outside = try scratch.write(
            "private.md", "---\ntitle: \"Secret\"\norder: 2\nsummary: \"S\"\n---\n\nSECRET\n")
        try FileManager.default.createSymbolicLink(
            atPath: content + "/02-leak.md", withDestinationPath: outside)
        // A link that stays inside the content folder is followed.
        try scratch.write(
            "content/parts/inside.txt", "---\ntitle: \"In\"\norder: 3\nsummary: \"S\"\n---\n\nIn\n")
        try FileManager.default.createSymbolicLink(
            atPath: content + "/03-inside.md", withDestinationPath: "parts/inside.txt")

        let message =
            "\(content)/02-leak.md:1:1: error: symbolic link to '\(outside)' leaves the content "
            + "folder '\(content)'"
        let build = try runTool(["build", "--content", content, "--output", scratch.path + "/s"])
        #expect(build.status == 1)
        #expect(build.stderr.contains(message))
        #expect(!build.stderr.contains("03-inside.md"))
        let check = try runTool(["check", "--content", content])
        #expect(check.status == 1)
        #expect(check.stderr.contains(message))
        #expect(!check.stderr.contains("03-inside.md"))
    }

    @Test func anOutputPathThatIsASymbolicLinkIsRefused() throws {
        let scratch = try ScratchFolder("output-link")
        defer { scratch.remove() }
        let content = try scratch.course([Self.lesson])
        let real = scratch.path + "/real-site"
        #expect(try runTool(["build", "--content", content, "--output", real]).status == 0)
        try FileManager.default.createSymbolicLink(
            atPath: scratch.path + "/site", withDestinationPath: real)
        let run = try runTool(["build", "--content", content, "--output", scratch.path + "/site"])
        #expect(run.status == 1)
        #expect(
            run.stderr.contains("output '\(scratch.path)/site' is a symbolic link to '\(real)'"))
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: scratch.path + "/site")
        #expect(link == real)
    }

    @Test func anOutputFolderNamedLikeALessonBreaksNothing() throws {
        let scratch = try ScratchFolder("output-in-content")
        defer { scratch.remove() }
        let content = try scratch.course([Self.lesson])
        // A site built into a folder named like a lesson is not a lesson for later runs.
        let output = content + "/09-out.md"
        for _ in 0..<2 {
            let run = try runTool(["build", "--content", content, "--output", output])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("built 1 lesson"))
        }
        #expect(try runTool(["check", "--content", content]).status == 0)
    }

    @Test(.enabled(if: isRoot)) func aFullDiskIsReportedWithTheSystemsReason() throws {
        let scratch = try ScratchFolder("full-disk")
        defer { scratch.remove() }
        let big = String(repeating: "Words and more words in a long lesson. ", count: 20_000)
        let content = try scratch.course([("01-big.md", big)])
        let disk = scratch.path + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        guard try Self.system("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", disk]) == 0
        else { return }  // no mount in this environment
        defer { _ = try? Self.system("/bin/umount", [disk]) }
        let run = try runTool(["build", "--content", content, "--output", disk + "/site"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("into the staging folder: no space left on device"))
        // Neither the staging folder nor the lock file stays.
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk).isEmpty)
    }

    @Test func checkReportsUnreadableLessonsWhereBuildDoes() throws {
        let scratch = try ScratchFolder("unreadable")
        defer { scratch.remove() }
        let content = try scratch.course([
            Self.lesson,
            ("02-bad-front.md", "Text.\n"),
        ])
        // Front matter that fails the build: 'order' is not an integer.
        try scratch.write(
            "content/02-bad-front.md", "---\ntitle: \"B\"\norder: two\nsummary: \"S\"\n---\n\nB\n")
        try FileManager.default.createSymbolicLink(
            atPath: content + "/03-dangling.md", withDestinationPath: content + "/nowhere.md")
        #expect(mkfifo(content + "/04-fifo.md", 0o644) == 0)
        try scratch.write(
            "content/05-utf8.md",
            Data("---\ntitle: \"U\"\norder: 5\nsummary: \"S\"\n---\n\nab".utf8)
                + Data([0xFF, 0x0A]))

        let expected = [
            "\(content)/02-bad-front.md:3:8: error: front matter: 'order' must be an integer",
            "\(content)/03-dangling.md:1:1: error: cannot read file: no such file or directory",
            "\(content)/04-fifo.md:1:1: error: cannot read file: it is a named pipe (FIFO), "
                + "not a regular file",
            "\(content)/05-utf8.md:7:3: error: file is not valid UTF-8 (byte 0xff)",
        ]
        let build = try runTool(["build", "--content", content, "--output", scratch.path + "/s"])
        let check = try runTool(["check", "--content", content])
        for run in [build, check] {
            #expect(run.status == 1)
            for line in expected {
                #expect(run.stderr.contains(line), "missing: \(line)\nin: \(run.stderr)")
            }
        }
    }
}
