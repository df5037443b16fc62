import AllocatorModels
import Scenarios

/// How a heap chunk state is named on the page and in CSS.
enum ChunkStyle {
    /// The CSS class suffix for a state (`s-<name>`).
    static func cssName(_ state: MallocSnapshot.ChunkState) -> String {
        switch state {
        case .tcacheStruct: "tcs"
        case .inUse: "use"
        case .tcache: "tc"
        case .fastbin: "fast"
        case .unsorted: "uns"
        case .smallbin: "small"
        case .largebin: "large"
        case .top: "top"
        case .fencepost: "fence"
        }
    }

    /// The state as a label tells it (`tcache bin 3`).
    static func label(_ chunk: MallocSnapshot.Chunk) -> String {
        let bin = chunk.bin.map { " \($0)" } ?? ""
        switch chunk.state {
        case .tcacheStruct: return "tcache_perthread_struct"
        case .inUse: return "in use"
        case .tcache: return "tcache bin" + bin
        case .fastbin: return "fastbin" + bin
        case .unsorted: return "unsorted bin"
        case .smallbin: return "small bin" + bin
        case .largebin: return "large bin" + bin
        case .top: return "top chunk"
        case .fencepost: return "fencepost"
        }
    }

    /// The variables holding a chunk's pointer, marked `(freed)` when the chunk is no longer in
    /// use (the variable still holds the address: a dangling pointer).
    static func holders(of chunk: MallocSnapshot.Chunk, names: VariableNames, base: UInt64)
        -> String
    {
        let held = names.holding(base + chunk.userOffset)
        guard !held.isEmpty, chunk.state != .inUse else { return held }
        return held + " (freed)"
    }

    /// The legend entry for a state.
    static func legend(_ state: MallocSnapshot.ChunkState) -> String {
        switch state {
        case .tcacheStruct: "tcache struct"
        case .inUse: "in use"
        case .tcache: "tcache (free)"
        case .fastbin: "fastbin (free)"
        case .unsorted: "unsorted (free)"
        case .smallbin: "small bin (free)"
        case .largebin: "large bin (free)"
        case .top: "top chunk"
        case .fencepost: "fencepost"
        }
    }
}
