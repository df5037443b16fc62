import Foundation
import PackagePlugin

/// Embeds text files into a generated Swift file, so that the built `allocbook` carries them
/// inside the executable: copied alone into any folder it still writes a complete site and
/// still replays in a real kernel (no resource bundle or source tree to lose beside it).
///
/// - `SiteBuilder`: `Theme/Assets/*.css|js` (the stylesheets and scripts) as `EmbeddedAssets`.
/// - `Replay`: the package's `KernelReplay/` folder (the kernel module's C source, its
///   Makefile, the guest's init, `run-traces`, `abi.env`; not the README) as
///   `EmbeddedKernelReplay`.
///
/// The files stay the one source: edited with ordinary tools, embedded again by every build
/// that follows.
@main
struct EmbedAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let source = target as? SourceModuleTarget else { return [] }
        let folder: URL
        let enumName: String
        let include: (String) -> Bool
        switch target.name {
        case "Replay":
            folder = context.package.directoryURL.appending(path: "KernelReplay")
            enumName = "EmbeddedKernelReplay"
            include = { !$0.hasPrefix(".") && $0 != "README.md" }
        default:
            folder = source.directoryURL.appending(path: "Theme/Assets")
            enumName = "EmbeddedAssets"
            include = { $0.hasSuffix(".css") || $0.hasSuffix(".js") }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path())
            .filter(include)
            .sorted()
        let inputs = names.map { folder.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "\(enumName).swift")
        return [
            .buildCommand(
                displayName: "Embedding \(names.count) files into \(target.name)",
                executable: try context.tool(named: "embed-assets").url,
                arguments: [output.path(), enumName] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
