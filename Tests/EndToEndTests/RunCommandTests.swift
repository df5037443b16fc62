import Foundation
import Testing

/// `allocbook run`: the playground's runner on the command line.
@Suite struct RunCommandTests {
    func run(_ arguments: [String], stdin: String) throws -> (Int32, [String: Any]) {
        let (status, out, _) = try KernelTraceCommandTests().run(arguments, stdin: stdin)
        let object = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        return (status, try #require(object))
    }

    @Test func statementsGiveTheLessonsLinesAndAFigure() throws {
        let (status, result) = try run(
            ["run", "--model", "malloc", "--steps", "-"],
            stdin: "A = malloc(30 * 1024);\nfree(A);\n")
        #expect(status == 0)
        #expect(
            result["lines"] as? [String] == [
                "A = 0x5555555592a0 (heap+0x2a0), 30736-byte chunk carved from top; brk +0x21000",
                "30736-byte chunk merged into top (top now 134512 bytes)",
            ])
        #expect((result["figure"] as? String)?.hasPrefix("<svg") == true)
        #expect((result["frames"] as? [Any])?.count == 2)
    }

    @Test func badStatementsExitWithOneAndTheirDiagnostics() throws {
        let (status, result) = try run(
            ["run", "--model", "kernel", "--memory", "16M", "-"],
            stdin: "p = kmalloc(8, GFP_KERNEL);\nq = kmalloc(8);\n")
        #expect(status == 1)
        let first = (result["diagnostics"] as? [String])?.first ?? ""
        #expect(first.hasPrefix("2:14: error: 'kmalloc' takes 2 arguments"))
    }
}
