import Dispatch
import FlyingFox
import Foundation
import SiteBuilder
import Synchronization

/// The live preview behind `allocbook serve`.
///
/// It builds the course into memory (and a temporary folder), serves it on
/// localhost with FlyingFox, watches the content folder and reloads open pages after each
/// rebuild. It never writes into `site/` or the content folder.
public final class PreviewServer: Sendable {
    /// What the command line asks for.
    public struct Options: Sendable {
        /// The content folder.
        public var contentDirectory: String
        /// The port; `nil` means 4000, or the next free port when 4000 is busy.
        public var port: UInt16?
        /// Open the home page in the default browser (`xdg-open`).
        public var openBrowser: Bool

        /// Creates options.
        public init(contentDirectory: String, port: UInt16?, openBrowser: Bool) {
            self.contentDirectory = contentDirectory
            self.port = port
            self.openBrowser = openBrowser
        }
    }

    /// Why serving could not start.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The port asked for is in use.
        case portBusy(UInt16)
        /// No free port near the default.
        case noFreePort(UInt16)
        /// The temporary folder could not be made.
        case cannotCreateFolder(String)
        /// The watcher failed.
        case cannotWatch(String)
        /// The HTTP server failed.
        case server(String)

        /// The message for the terminal.
        public var description: String {
            switch self {
            case .portBusy(let port):
                "port \(port) is already in use; stop what uses it or choose another with --port"
            case .noFreePort(let port):
                "ports \(port) to \(Int(port) + 19) are all in use; choose one with --port"
            case .cannotCreateFolder(let path): "cannot create the temporary folder '\(path)'"
            case .cannotWatch(let reason): reason
            case .server(let reason): "the HTTP server stopped: \(reason)"
            }
        }
    }

    /// The default port.
    public static let defaultPort: UInt16 = 4000

    private let options: Options
    private let files = ServedFiles()
    private let channel = ReloadChannel()
    /// Writes the mirror folder, one rebuild after the other.
    private let mirror = DispatchQueue(label: "allocbook-mirror")
    /// What the mirror has still to write: the newest files, the names changed and removed.
    private let pendingMirror = Mutex(
        (files: [String: SiteFile](), changed: Set<String>(), removed: Set<String>()))
    private let folder: URL
    private let log: @Sendable (String) -> Void

    /// Creates a server; `log` prints a line to the terminal.
    public init(options: Options, log: @escaping @Sendable (String) -> Void) throws(Failure) {
        self.options = options
        self.log = log
        folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "allocbook-serve-\(getpid())")
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true)
        } catch {
            throw .cannotCreateFolder(folder.path)
        }
    }

    /// Builds, serves and watches until Ctrl-C (then cleans up and returns).
    public func run() async throws(Failure) {
        var site = IncrementalSite(contentDirectory: options.contentDirectory)
        let clock = ContinuousClock()
        let start = clock.now
        let first = site.rebuild()
        publish(site, first, elapsed: clock.now - start, initial: true)

        let port = try choosePort()
        let watcher: ContentWatcher
        do {
            watcher = try ContentWatcher(folders: [
                site.contentDirectory, site.contentDirectory + "/theme",
            ])
        } catch {
            throw .cannotWatch(error.description)
        }
        let address: sockaddr_in
        do {
            address = try sockaddr_in.inet(ip4: "127.0.0.1", port: port)
        } catch {
            throw .server(String(describing: error))
        }
        let server = HTTPServer(
            address: address, timeout: 60, logger: .disabled,
            handler: PreviewHandler(files: files, channel: channel))
        let url = "http://127.0.0.1:\(port)/"
        let signals = stopOnInterrupt(server: server, watcher: watcher)
        let rebuilds = Task { [channel, site] in
            var site = site
            for await _ in watcher.changes {
                // Let an editor finish its write-and-rename before reading.
                try? await Task.sleep(for: .milliseconds(5))
                let began = clock.now
                let cpuBegan = Self.processCPU()
                let rebuild = site.rebuild(changed: watcher.takeChanges())
                let errors = Self.errorText(rebuild.diagnostics)
                // Nothing to show (a file that is not part of the course): no reload.
                let previous = await channel.current.errors
                if rebuild.changedFiles.isEmpty && rebuild.removedFiles.isEmpty
                    && errors == previous
                {
                    continue
                }
                // Pages are served from memory: the reload goes out before the mirror is
                // written.
                self.files.replace(with: site.siteFiles)
                await channel.publish(errors: errors)
                self.publish(
                    site, rebuild, elapsed: clock.now - began, initial: false,
                    cpu: Self.processCPU() - cpuBegan)
            }
        }
        let keepAlive = Task { [channel] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(20))
                await channel.wakeAll()
            }
        }
        if first.diagnostics.hasErrors {
            await channel.publish(errors: Self.errorText(first.diagnostics))
        }
        let announce = Task {
            try? await server.waitUntilListening(timeout: 10)
            log("serving \(options.contentDirectory) on \(url) (Ctrl-C stops)")
            if options.openBrowser { Self.open(url, log: log) }
        }
        defer {
            signals.cancel()
            rebuilds.cancel()
            keepAlive.cancel()
            announce.cancel()
            watcher.stop()
            mirror.sync {}  // the last writes finish before the folder goes
            try? FileManager.default.removeItem(at: folder)
        }
        do {
            try await server.run()
        } catch is CancellationError {
        } catch {
            if !stopping.withLock({ $0 }) { throw .server(String(describing: error)) }
        }
        log("stopped")
    }

    private let stopping = Mutex(false)

    /// Ctrl-C (and SIGTERM) stop the server; `run()` then returns.
    private func stopOnInterrupt(server: HTTPServer, watcher: ContentWatcher) -> SignalSources {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let queue = DispatchQueue(label: "allocbook-signals")
        let sources = [SIGINT, SIGTERM].map {
            DispatchSource.makeSignalSource(signal: $0, queue: queue)
        }
        let group = SignalSources(sources: sources)
        for source in sources {
            source.setEventHandler { [self] in
                self.stopping.withLock { $0 = true }
                Task { await server.stop(timeout: 0) }
            }
            source.resume()
        }
        return group
    }

    private func choosePort() throws(Failure) -> UInt16 {
        if let port = options.port {
            guard PortFinder.isFree(port) else { throw .portBusy(port) }
            return port
        }
        guard let port = PortFinder.firstFree(from: Self.defaultPort, attempts: 20) else {
            throw .noFreePort(Self.defaultPort)
        }
        if port != Self.defaultPort {
            log("port \(Self.defaultPort) is in use; using \(port) instead")
        }
        return port
    }

    /// Makes the new files visible, mirrors them into the temporary folder and prints a line.
    ///
    /// `cpu`: the CPU time the process spent meanwhile (all threads), which a loaded
    /// machine does not stretch as it stretches `elapsed`.
    private func publish(
        _ site: IncrementalSite, _ rebuild: IncrementalSite.Rebuild, elapsed: Duration,
        initial: Bool, cpu: Duration? = nil
    ) {
        if !rebuild.diagnostics.isEmpty {
            log(rebuild.diagnostics.map(\.text).joined(separator: "\n"))
        }
        let snapshot = site.siteFiles
        files.replace(with: snapshot)
        // The mirror is written on a queue of its own, so the next rebuild need not wait for
        // print.html to reach the disk; rebuilds that come faster than the disk are written
        // together, from the newest files.
        let work = pendingMirror.withLock { pending in
            pending.files = snapshot
            for name in rebuild.changedFiles { pending.removed.remove(name) }
            pending.changed.formUnion(rebuild.changedFiles)
            pending.removed.formUnion(rebuild.removedFiles)
            pending.changed.subtract(rebuild.removedFiles)
            return pending.changed.count + pending.removed.count
        }
        if work > 0 {
            mirror.async { [folder, self] in
                let (files, changed, removed) = self.pendingMirror.withLock { pending in
                    defer { pending.changed = []; pending.removed = [] }
                    return (pending.files, pending.changed, pending.removed)
                }
                for name in changed.sorted() {
                    let url = folder.appendingPathComponent(name)
                    try? FileManager.default.createDirectory(
                        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try? Data(files[name]?.bytes ?? []).write(to: url)
                }
                for name in removed {
                    try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
                }
            }
        }
        let ms = Self.milliseconds(elapsed)
        let ran = rebuild.processedLessons
        let lessons =
            ran.count == 1
            ? "1 lesson (\(ran[0]))"
            : "\(ran.count) lessons"
        if rebuild.diagnostics.hasErrors {
            log("rebuild failed in \(ms) ms (\(lessons) ran); the last good site stays served")
        } else if initial {
            log("built \(lessons) in \(ms) ms into \(folder.path)")
        } else {
            let pages = rebuild.changedFiles.count
            log(
                "rebuilt in \(ms) ms"
                    + (cpu.map { " (process CPU \(Self.milliseconds($0)) ms)" } ?? "")
                    + ": \(lessons) ran, \(pages) file\(pages == 1 ? "" : "s") "
                    + "changed; reloading")
        }
    }

    static func errorText(_ diagnostics: [Diagnostic]) -> String? {
        diagnostics.hasErrors ? diagnostics.map(\.text).joined(separator: "\n") : nil
    }

    /// The CPU time of the whole process so far.
    static func processCPU() -> Duration {
        var now = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
        return .seconds(now.tv_sec) + .nanoseconds(now.tv_nsec)
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return String(Int(ms.rounded()))
    }

    private static func open(_ url: String, log: @Sendable (String) -> Void) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["xdg-open", url]
        do {
            try process.run()
        } catch {
            log("cannot open a browser (xdg-open failed); open \(url) yourself")
        }
    }
}

/// Keeps signal sources alive until cancelled.
private final class SignalSources: @unchecked Sendable {
    let sources: [any DispatchSourceSignal]
    init(sources: [any DispatchSourceSignal]) { self.sources = sources }
    func cancel() { for source in sources { source.cancel() } }
}
