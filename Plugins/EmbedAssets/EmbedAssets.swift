import Foundation
import PackagePlugin

/// Embeds a target's `Theme/Assets/*.css|js` into a generated Swift file, so that the built
/// `allocbook` carries its stylesheet and scripts inside the executable: copied alone into any
/// folder it still writes a complete site (no resource bundle to lose beside it).
@main
struct EmbedAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let source = target as? SourceModuleTarget else { return [] }
        let folder = source.directoryURL.appending(path: "Theme/Assets")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path())
            .filter { $0.hasSuffix(".css") || $0.hasSuffix(".js") }
            .sorted()
        let inputs = names.map { folder.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedAssets.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(names.count) theme assets into \(target.name)",
                executable: try context.tool(named: "embed-assets").url,
                arguments: [output.path()] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
