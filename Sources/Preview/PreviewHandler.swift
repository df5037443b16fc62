import FlyingFox
import Foundation
import Markup
import SiteBuilder

/// Answers the browser: site files from memory (HTML pages with the reload script), the
/// script itself, and the reload poll.
struct PreviewHandler: HTTPHandler {
    let files: ServedFiles
    let channel: ReloadChannel

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .HEAD else {
            return HTTPResponse(statusCode: .methodNotAllowed)
        }
        switch request.path {
        case ReloadScript.path:
            return response(
                .ok, type: "text/javascript; charset=utf-8", Array(ReloadScript.source.utf8))
        case ReloadScript.pollPath:
            let since = request.query.first { $0.name == "version" }.flatMap { Int($0.value) } ?? -1
            let state = await channel.state(after: since)
            return response(.ok, type: "application/json", Array(Self.json(state).utf8))
        default:
            return await page(request.path)
        }
    }

    private func page(_ path: String) async -> HTTPResponse {
        var name = String(path.drop { $0 == "/" })
        if name.isEmpty || name.hasSuffix("/") { name += "index.html" }
        name = name.removingPercentEncoding ?? name
        let version = await channel.current.version
        if let bytes = files[name] {
            return response(.ok, type: Self.contentType(name), body(name, bytes, version))
        }
        if let bytes = files[name + ".html"] {
            return response(.ok, type: Self.contentType(".html"), body(".html", bytes, version))
        }
        let missing = files["404.html"] ?? Array("not found\n".utf8)
        return response(.notFound, type: Self.contentType(".html"), body(".html", missing, version))
    }

    private func body(_ name: String, _ bytes: [UInt8], _ version: Int) -> [UInt8] {
        name.hasSuffix(".html") ? ReloadScript.inject(into: bytes, version: version) : bytes
    }

    private func response(_ status: HTTPStatusCode, type: String, _ bytes: [UInt8]) -> HTTPResponse
    {
        HTTPResponse(
            statusCode: status,
            headers: [.contentType: type, .init("Cache-Control"): "no-store"],
            body: Data(bytes))
    }

    static func contentType(_ name: String) -> String {
        let types = [
            ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
            ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml",
            ".json": "application/json", ".png": "image/png",
        ]
        for (suffix, type) in types where name.hasSuffix(suffix) { return type }
        return "application/octet-stream"
    }

    /// `{"version":3,"errors":"…"}` (errors `null` when the last rebuild was clean).
    static func json(_ state: ReloadChannel.State) -> String {
        "{\"version\":\(state.version),\"errors\":"
            + (state.errors.map { QuotedString.json($0) } ?? "null") + "}"
    }
}
