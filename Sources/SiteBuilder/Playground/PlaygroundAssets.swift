import Foundation

/// The playground files `allocbook build` copies into the site: the WebAssembly module that
/// `.ci/build-wasm` makes and the JavaScript and CSS from `Sources/Playground/Web`, which that
/// script puts beside it.
public struct PlaygroundAssets: Hashable, Sendable {
    /// The module's bytes (`allocbook-playground.wasm`).
    public var module: [UInt8]
    /// `playground.js`: `window.AllocBook.run`, the Try-it panel and the playground page.
    public var loader: String
    /// `try.js`: adds the Try-it buttons; appended to `assets/site.js`.
    public var bootstrap: String
    /// `playground.css`: appended to `assets/style.css`.
    public var css: String

    /// The file names in a playground folder.
    public static let moduleName = "allocbook-playground.wasm"

    /// Creates the assets.
    public init(module: [UInt8], loader: String, bootstrap: String, css: String) {
        self.module = module
        self.loader = loader
        self.bootstrap = bootstrap
        self.css = css
    }

    /// Why a playground folder could not be read.
    public struct LoadError: Error, Hashable, Sendable {
        /// What is wrong.
        public var message: String
    }

    /// Reads a playground folder (`.build/playground`, written by `.ci/build-wasm`).
    public static func load(directory: String) throws(LoadError) -> PlaygroundAssets {
        func read(_ name: String) throws(LoadError) -> Data {
            do {
                return try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            } catch {
                throw LoadError(message: "cannot read '\(directory)/\(name)'")
            }
        }
        func text(_ name: String) throws(LoadError) -> String {
            guard let text = String(data: try read(name), encoding: .utf8) else {
                throw LoadError(message: "'\(directory)/\(name)' is not UTF-8")
            }
            return text
        }
        let module = try read(moduleName)
        guard module.starts(with: [0, 0x61, 0x73, 0x6d]) else {
            throw LoadError(message: "'\(directory)/\(moduleName)' is not a WebAssembly module")
        }
        return PlaygroundAssets(
            module: Array(module), loader: try text("playground.js"),
            bootstrap: try text("try.js"), css: try text("playground.css"))
    }

    /// `assets/playground-wasm.js`: the module as base64 in a script, so that it loads from
    /// `file://` too (Chromium does not fetch a `.wasm` file there).
    public var moduleScript: String {
        "/* AllocBook playground: the WebAssembly module (\(module.count) bytes), base64. */\n"
            + "window.AllocBookWasm=\"" + Data(module).base64EncodedString() + "\";\n"
    }
}

extension SiteConfiguration {
    /// This configuration with the playground: the Try-it buttons on every scenario, the
    /// playground page, and the module loaded on demand.
    public func with(playground: PlaygroundAssets) -> SiteConfiguration {
        var configuration = self
        configuration.playground = playground
        configuration.theme.files["try.js"] = playground.bootstrap
        configuration.theme.files["playground.css"] = playground.css
        return configuration
    }
}
