/// The live-reload state the pages poll: a version that grows with every rebuild, and the
/// errors of the last rebuild (shown as an overlay over the last good page).
public actor ReloadChannel {
    /// What a page learns when it polls.
    public struct State: Sendable, Equatable {
        /// Grows by one with every rebuild that changed files or errors.
        public var version: Int
        /// The diagnostics of the last rebuild in compiler form, or `nil` when it was clean.
        public var errors: String?
    }

    private var state = State(version: 0, errors: nil)
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a channel at version 0.
    public init() {}

    /// The current state.
    public var current: State { state }

    /// Publishes a rebuild and wakes every waiting page.
    public func publish(errors: String?) {
        state.version += 1
        state.errors = errors
        wakeAll()
    }

    /// Waits until the version passes `version`, or until the next ``wakeAll()`` (which the
    /// server calls periodically so that polls end before connection timeouts).
    public func state(after version: Int) async -> State {
        if state.version != version { return state }
        await withCheckedContinuation { waiters.append($0) }
        return state
    }

    /// Ends every pending poll with the current state.
    public func wakeAll() {
        let woken = waiters
        waiters.removeAll()
        for waiter in woken { waiter.resume() }
    }
}
