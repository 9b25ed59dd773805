/// A slot for every (agent, round, `n`) in the rounds both paths of a comparison cover, in the order the rounds
/// came: where the internet path's value waits for its Peering Service partner.
///
/// Rows are read in time order, and rounds grow with time, so both passes of the join walk the partner array
/// almost in order and the cache follows them; a hash table spreads the same keys over memory and misses the
/// cache on nearly every row (it made the join most of a comparison's time on series of 333,000 samples). Only
/// made when the rounds are dense enough (at most four slots per sample of the internet path, as a hash table
/// at its fullest holds); otherwise ``PathComparison`` pairs through an ``IntegerTable``.
struct PairingIndex {
    /// By agent number: the agent's first and last common round and its first slot.
    private let agents: [(low: Int64, high: Int64, base: Int)?]
    /// Slots per round: the internet path's highest `n` + 1.
    private let width: Int
    /// Slots in all.
    let slots: Int

    /// Bytes one slot takes (the value, µs).
    static let bytesPerSlot = MemoryLayout<UInt32>.stride

    /// The index of the rounds in `common` (by agent number, as the comparison's coverage has them) with rounds
    /// `highestN` + 1 samples wide; nil when that would pass four slots per sample of `samples`.
    init?(common: [(low: Int64, high: Int64)?], highestN: Int64, samples: Int) {
        guard highestN >= 0, highestN < 1 << 16 else { return nil }
        let width = Int(highestN) + 1
        let limit = 4 * samples + 4_096
        var agents: [(low: Int64, high: Int64, base: Int)?] = []
        var slots = 0
        for range in common {
            guard let range, range.high >= range.low else {
                agents.append(nil)
                continue
            }
            let (rounds, overflow) = range.high.subtractingReportingOverflow(range.low)
            guard !overflow, rounds < Int64(limit) else { return nil }
            agents.append((range.low, range.high, slots))
            slots += (Int(rounds) + 1) * width
            guard slots <= limit else { return nil }
        }
        self.agents = agents
        self.width = width
        self.slots = slots
    }

    /// The slot of a row, nil when its agent, round or `n` is outside the index (it then has no partner).
    @inline(__always)
    func slot(_ row: StoredRow, agent: Int) -> Int? {
        guard agent < agents.count, let entry = agents[agent], row.round >= entry.low, row.round <= entry.high,
            row.n >= 0, row.n < width
        else { return nil }
        return entry.base + Int(row.round - entry.low) * width + Int(row.n)
    }
}
