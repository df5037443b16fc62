/// CONFIG_SLAB_FREELIST_RANDOM (mm/slab_common.c `cache_random_seq_create`,
/// `freelist_randomize`; mm/slub.c `init_cache_random_seq`, `shuffle_freelist`,
/// `next_freelist_entry`), on when the machine is booted with a freelist seed.
///
/// Each cache gets one random permutation of its slot indices (Fisher–Yates with
/// `prandom_u32_state(state) % (i + 1)`, the state seeded by `prandom_seed_state(state,
/// get_random_long())`); every new slab starts its freelist at a random position of that
/// permutation (`get_random_u32_below(count)`) and walks it cyclically, skipping indices
/// beyond a smaller fallback slab. The kernel draws `get_random_long()` and
/// `get_random_u32_below()` from its ChaCha CRNG; the model draws both from one
/// `PrandomState` seeded with the boot seed, so one seed always gives the same layout.
/// The permutation's own allocation (`kcalloc(count, 4)`) is not modelled.
extension KernelMachine {
    /// `cache_random_seq_create` for cache `c` (count < 2: no sequence).
    mutating func randomSequence(cache c: Int) -> [Int32] {
        if let existing = caches[c].randomSequence { return existing }
        let count = caches[c].geometry.objectsPerSlab
        var list = (0..<count).map { Int32($0) }
        if count >= 2, var crng = freelistRandom {
            let high = UInt64(crng.next())
            var state = PrandomState(seed: high << 32 | UInt64(crng.next()))
            freelistRandom = crng
            var i = count - 1
            while i > 0 {
                let r = Int(state.next() % UInt32(i + 1))
                list.swapAt(i, r)
                i -= 1
            }
        }
        caches[c].randomSequence = list
        return list
    }

    /// `shuffle_freelist`: links the fresh slab's free slots in the cache's random order.
    mutating func shuffleFreelist(slab id: Int32) {
        let s = Int(id)
        let c = slabs[s].cache
        let objects = slabs[s].objects
        guard objects >= 2, freelistRandom != nil else { return }
        let sequence = randomSequence(cache: c)
        let count = sequence.count
        guard count >= 2, var crng = freelistRandom else { return }
        var pos = Int(crng.below(UInt32(count)))
        freelistRandom = crng
        func nextEntry() -> Int32 {
            while true {
                let index = sequence[pos]
                pos += 1
                if pos >= count { pos = 0 }
                if Int(index) < objects { return index }
            }
        }
        var current = nextEntry()
        slabs[s].freeHead = current
        for _ in 1..<objects {
            let next = nextEntry()
            slabs[s].nextFree[Int(current)] = next
            current = next
        }
        slabs[s].nextFree[Int(current)] = -1
    }
}
