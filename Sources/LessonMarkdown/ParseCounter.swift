import Synchronization

/// Counts cmark parses of chosen texts: the test hook that shows a build parses each lesson once.
///
/// Counting costs one atomic load per parse while no one counts.
public enum ParseCounter {
    private static let watchers = Atomic<Int>(0)
    private static let counts = Mutex<[String: Int]>([:])

    /// Runs `body` and counts the cmark parses, meanwhile and on any thread, of Markdown that
    /// contains `marker`.
    ///
    /// - Parameters:
    ///   - marker: Text that only the Markdown of interest holds (a unique word in a lesson).
    ///   - body: The work to watch.
    /// - Returns: What `body` returned and the number of parses.
    public static func counting<T>(
        parsesOf marker: String, during body: () throws -> T
    ) rethrows -> (result: T, parses: Int) {
        counts.withLock { $0[marker] = 0 }
        watchers.wrappingAdd(1, ordering: .sequentiallyConsistent)
        defer {
            watchers.wrappingSubtract(1, ordering: .sequentiallyConsistent)
            _ = counts.withLock { $0.removeValue(forKey: marker) }
        }
        let result = try body()
        return (result, counts.withLock { $0[marker] ?? 0 })
    }

    /// Called by every parse.
    static func record(_ markdown: String) {
        guard watchers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        counts.withLock { counts in
            for marker in counts.keys where markdown.contains(marker) {
                counts[marker, default: 0] += 1
            }
        }
    }
}
