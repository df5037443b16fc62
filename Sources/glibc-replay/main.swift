import Foundation
import Replay

// `glibc-replay [-q] [FILE|-]`: runs the replayer `allocbook` carries (compiled once into the
// cache by `GlibcReplayInstaller`) with these arguments. For the benchmarks and fuzz scripts.
do throws(GlibcReplayInstaller.Failure) {
    let binary = try GlibcReplayInstaller.executable()
    let arguments = [binary.path] + CommandLine.arguments.dropFirst()
    var argv = arguments.map { strdup($0) } + [nil]
    execv(binary.path, &argv)
    FileHandle.standardError.write(Data("glibc-replay: cannot execute '\(binary.path)'\n".utf8))
} catch {
    FileHandle.standardError.write(Data("glibc-replay: \(error)\n".utf8))
}
exit(2)
