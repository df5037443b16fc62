import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive lock on an output folder for the length of a build, so that two builds into
/// one folder cannot both report success while one silently loses.
///
/// The lock is `flock` on a file beside the output (`.site.allocbook-lock`). The kernel drops
/// it when the process ends, however it ends, so a killed build never leaves it held; a build
/// that ends normally removes the file. A lock is only good while its file is still the one
/// at the path: a build that locked a file another build has just removed tries again.
final class OutputLock {
    private let descriptor: Int32
    private let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Removes the file, then drops the lock.
    deinit {
        unlink(path)
        close(descriptor)
    }

    /// The lock file's name for an output folder named `name`.
    static func fileName(for name: String) -> String { ".\(name).allocbook-lock" }

    /// Why the lock was not taken.
    struct Failure: Error {
        /// The error to report.
        var diagnostic: Diagnostic
    }

    /// Takes the lock of `output`, or throws the diagnostic saying why it cannot.
    static func acquire(_ output: OutputFolder) throws(Failure) -> OutputLock {
        let path = output.parent.appendingPathComponent(fileName(for: output.name)).path
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw Failure(
                    diagnostic: .error(
                        "cannot create the lock file '\(path)' beside the output folder: "
                            + SystemReason.text(errno: errno), at: nil))
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                let code = errno
                close(fd)
                let why =
                    code == EWOULDBLOCK
                    ? "another allocbook build is writing into '\(output.path)' (it holds "
                        + "'\(path)'); run this build again when it has finished"
                    : "cannot lock '\(path)': \(SystemReason.text(errno: code))"
                throw Failure(diagnostic: .error(why, at: nil))
            }
            var held = stat()
            var current = stat()
            if fstat(fd, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino,
                held.st_dev == current.st_dev
            {
                return OutputLock(descriptor: fd, path: path)
            }
            close(fd)  // removed by the build that held it: lock the new file
        }
    }
}
