import Dispatch

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
