import ArgumentParser
import Foundation
import Playground

/// `allocbook run --model malloc|kernel [FILE|-]`: runs scenario statements the way the browser's
/// "Try it" does (the same `PlaygroundRunner`), and prints its JSON result.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run scenario statements as the playground does; print the JSON result.",
        discussion: """
            The input holds statements as a lesson writes them (//- for hidden setup lines; \
            //> lines are ignored). The output is the object window.AllocBook.run returns: \
            {"lines":[...],"figure":"<svg…>","diagnostics":[...],"steps":[...],"frames":[...]}. \
            With --wire the input holds requests in the WebAssembly module's wire form, \
            separated by NUL bytes, and the output has one JSON line per request (tests).
            """
    )

    enum Model: String, ExpressibleByArgument, CaseIterable {
        case malloc, kernel
    }

    @Option(help: "The model: malloc (glibc 2.36) or kernel (buddy, SLUB, vmalloc).")
    var model: Model = .malloc

    @Option(help: "kernel model: number of CPUs.")
    var cpus: Int?

    @Option(help: "kernel model: size of physical memory, with K, M or G (default 64M).")
    var memory: String?

    @Flag(help: "Also draw every frame (the stepper's SVGs).")
    var steps = false

    @Flag(help: "The input holds NUL-separated wire requests; print one JSON line per request.")
    var wire = false

    @Argument(help: "The statements, or - for standard input.")
    var file: String = "-"

    func run() throws {
        let data: Data
        do {
            data =
                file == "-"
                ? FileHandle.standardInput.readDataToEndOfFile()
                : try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            StandardStreams.writeError("allocbook: error: cannot read '\(file)'\n")
            throw ExitCode(2)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            StandardStreams.writeError("\(file == "-" ? "<stdin>" : file):1:1: error: not UTF-8\n")
            throw ExitCode(2)
        }
        var out = OutputBuffer()
        if wire {
            for request in text.split(separator: "\u{0}", omittingEmptySubsequences: false) {
                out.line(PlaygroundRunner.run(PlaygroundRequest.decode(String(request))).json)
            }
            out.flush()
            return
        }
        var info = "scenario \(model.rawValue)"
        if let cpus { info += " cpus=\(cpus)" }
        if let memory { info += " memory=\(memory)" }
        let request = PlaygroundRequest(info: info, figureID: "run", steps: steps, text: text[...])
        let result = PlaygroundRunner.run(request)
        out.line(result.json)
        out.flush()
        if !result.diagnostics.isEmpty { throw ExitCode.failure }
    }
}
