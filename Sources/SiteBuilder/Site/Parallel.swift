import Dispatch
import Foundation

/// Runs independent work on all cores.
enum Parallel {
    /// Maps `items` with `transform` concurrently; results keep the items' order.
    static func map<T: Sendable, R: Sendable>(
        _ items: [T], _ transform: @Sendable (T) -> R
    ) -> [R] {
        guard items.count > 1 else { return items.map(transform) }
        let results = ResultSlots<R>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            results.store(transform(items[index]), at: index)
        }
        return results.values()
    }

    /// Like `map`, for work that may wait (a child process, such as a `verify=glibc` replay):
    /// `width` threads of their own (not the dispatch pool, which adds threads only slowly when
    /// its workers block), each taking the next item until none is left.
    static func mapWaiting<T: Sendable, R: Sendable>(
        _ items: [T], width: Int, _ transform: @escaping @Sendable (T) -> R
    ) -> [R] {
        guard items.count > 1 else { return items.map(transform) }
        let results = ResultSlots<R>(count: items.count)
        let next = NextIndex(count: items.count)
        let done = DispatchSemaphore(value: 0)
        let workers = min(max(1, width), items.count)
        for _ in 0..<workers {
            let thread = Thread {
                while let index = next.claim() { results.store(transform(items[index]), at: index) }
                done.signal()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        for _ in 0..<workers { done.wait() }
        return results.values()
    }
}

/// Hands out the indexes `0..<count` once each, to any thread.
private final class NextIndex: @unchecked Sendable {
    private var next = 0
    private let count: Int
    private let lock = NSLock()

    init(count: Int) { self.count = count }

    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

/// One write-once slot per index; each index is written by exactly one worker.
private final class ResultSlots<R>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<R?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func store(_ value: R, at index: Int) { slots[index] = value }

    func values() -> [R] {
        (0..<count).compactMap { slots[$0] }
    }
}
