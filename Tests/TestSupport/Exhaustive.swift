import Foundation

/// Whether a test run is exhaustive (`ALLOCBOOK_EXHAUSTIVE=1`, as `.ci/bench/property-fuzz`
/// sets it): property tests then run every seed; the default run, which CI makes on every
/// change, runs a few, so that no suite dominates the test run.
public enum Exhaustive {
    /// Whether `ALLOCBOOK_EXHAUSTIVE` is set (to anything but empty or `0`).
    public static var isOn: Bool {
        let value = ProcessInfo.processInfo.environment["ALLOCBOOK_EXHAUSTIVE"] ?? ""
        return !value.isEmpty && value != "0"
    }

    /// `all` in an exhaustive run, else `quick`.
    public static func choose<T>(quick: [T], all: [T]) -> [T] { isOn ? all : quick }
}
