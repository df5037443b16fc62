/// The script `allocbook serve` adds to every HTML page it serves (never to `site/`): it polls
/// the server, reloads the page after a clean rebuild, and shows the errors of a failed rebuild
/// as an overlay over the last good page.
enum ReloadScript {
    /// The path the script is served under.
    static let path = "/__allocbook/reload.js"
    /// The path pages poll (`?version=N` waits until the version differs from N).
    static let pollPath = "/__allocbook/poll"

    /// The tag inserted before `</body>`.
    static func tag(version: Int) -> String {
        "<script src=\"\(path)\" data-version=\"\(version)\"></script>\n"
    }

    /// Inserts the script tag into an HTML page (before the last `</body>`, or at the end).
    static func inject(into page: [UInt8], version: Int) -> [UInt8] {
        let tag = Array(Self.tag(version: version).utf8)
        let close = Array("</body>".utf8)
        var i = page.count - close.count
        while i >= 0 {
            if page[i] == close[0], page[i..<(i + close.count)].elementsEqual(close) {
                return Array(page[..<i]) + tag + Array(page[i...])
            }
            i -= 1
        }
        return page + tag
    }

    /// The script itself.
    static let source = """
        (function () {
          "use strict";
          var script = document.currentScript;
          var version = Number(script.getAttribute("data-version"));
          var overlay = null;
          function show(errors) {
            if (!overlay) {
              overlay = document.createElement("div");
              overlay.id = "allocbook-error-overlay";
              overlay.setAttribute("role", "alert");
              overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
                "background:rgba(20,20,24,.97);color:#f4f4f4;padding:1.5rem;font:14px/1.45 monospace";
              document.body.appendChild(overlay);
            }
            overlay.textContent = "";
            var title = document.createElement("p");
            title.style.cssText = "color:#ff8a80;font-weight:bold;margin:0 0 1rem";
            title.textContent = "allocbook serve: the last change does not build. " +
              "Behind this overlay is the last good page; fix the file and it reloads.";
            var pre = document.createElement("pre");
            pre.style.cssText = "white-space:pre-wrap;margin:0;padding:0;border:0;" +
              "background:transparent;color:#f4f4f4;font:13px/1.45 monospace;max-width:none";
            pre.textContent = errors;
            overlay.appendChild(title);
            overlay.appendChild(pre);
          }
          function hide() {
            if (overlay) { overlay.remove(); overlay = null; }
          }
          function handle(state) {
            if (state.errors) {
              show(state.errors);
            } else if (state.version !== version) {
              location.reload();
              return false;
            } else {
              hide();
            }
            version = state.version;
            return true;
          }
          function poll(since) {
            fetch("\(pollPath)?version=" + since, { cache: "no-store" })
              .then(function (response) { return response.json(); })
              .then(function (state) { if (handle(state)) { poll(version); } })
              .catch(function () { setTimeout(function () { poll(-1); }, 1000); });
          }
          poll(-1);
        })();
        """
}
