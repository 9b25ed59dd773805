internal import ProbeCore

/// One comparison of a Peering Service path with an internet path at one site and target, computed in passes
/// over the two paths' rows within a memory budget: the samples both paths cover, each side's counts and
/// quantiles, the paired differences (samples of the same agent, round and `n`), the rank test and the
/// bootstrap interval. Values are counted, not kept, so memory follows the distinct values; when those or the
/// pairing table pass the budget, the rows are read again in slices.
struct PathComparison {
    let peering: PathSummary
    let internet: PathSummary
    let table: SampleTable
    let metric: Metric
    /// Bytes this comparison may hold at once.
    let budget: Int

    /// What one pass over both sides finds besides the values.
    private struct SideTotals {
        var samples = 0
        var ok = 0
        var answered = 0
        var first = Int64.max
        var last = Int64.min

        mutating func add(_ row: StoredRow) {
            samples += 1
            if row.ok { ok += 1 }
            if row.answered { answered += 1 }
            first = min(first, row.timestamp)
            last = max(last, row.timestamp)
        }
    }

    /// The statistics of a comparison, before the verdict.
    struct Outcome {
        var peering: ComparisonSide
        var internet: ComparisonSide
        var windowStart: Int64
        var windowEnd: Int64
        var trimmed: Int
        var paired = false
        var pairs = 0
        var enough = false
        var difference: Double?
        var low: Double?
        var high: Double?
        var pValue: Double?
    }

    // MARK: - Coverage

    /// Which rows of each path are compared: for agents that probed both paths, the rounds from the later first
    /// round to the earlier last round of the two (the agent probes both paths in every round, so a slow path's
    /// last samples of a round are not cut off); for samples no agent shares, the time both paths cover.
    private struct Coverage {
        /// By agent number: an array, as it is read for every row.
        var common: [(low: Int64, high: Int64)?]
        var start: Int64
        var end: Int64

        init(_ a: PathSummary, _ b: PathSummary) {
            common = Array(repeating: nil, count: (a.rounds.keys.max() ?? 0) + 1)
            for (agent, rangeA) in a.rounds {
                guard let rangeB = b.rounds[agent] else { continue }
                common[agent] = (max(rangeA.low, rangeB.low), min(rangeA.high, rangeB.high))
            }
            start = max(a.first, b.first)
            end = min(a.last, b.last)
        }

        func keeps(_ row: StoredRow, agent: Int) -> Bool {
            if agent < common.count, let range = common[agent], PathSummary.pairKey(row, agent: agent) != nil {
                return row.round >= range.low && row.round <= range.high
            }
            return row.timestamp >= start && row.timestamp <= end
        }
    }

    // MARK: - Passes

    func outcome() throws(ReportError) -> Outcome {
        let coverage = Coverage(peering, internet)
        // Half the budget for the pairing table (made for its part of the internet path's samples), half for
        // counts. The table is an array in round order when the rounds are dense, else a hash table.
        let dense = PairingIndex(common: coverage.common, highestN: internet.highestN, samples: internet.count)
        let tableBudget = max(budget / 2, 1)
        var joinParts = 1
        if let dense {
            joinParts = max(1, (dense.slots * PairingIndex.bytesPerSlot + tableBudget - 1) / tableBudget)
        } else {
            while IntegerTable.bytes(capacity: internet.count / joinParts) > tableBudget, joinParts < internet.count {
                joinParts += 1
            }
        }
        let partCapacity = internet.count / joinParts + 1
        let cap = max(budget / 2 / LaneCounts.bytesPerValue, 1)
        var sides = [SideTotals(), SideTotals()]
        var sidesDone = false
        // Each side's answered values, counted during the first join pass (further passes, when they do not fit,
        // read the two paths again).
        var values = LaneCounts(cap: cap)

        // One part of the join: the internet side's values of that part stored in `partners`, then the Peering
        // Service side's samples of that part look up theirs. The first part also counts each side's samples.
        func join<Partners: PairingPartners>(
            _ partners: inout Partners, counting: Bool, _ emit: (_ difference: Int64) -> Void
        ) throws(ReportError) {
            try PathCursor.forEach(series: internet.series, table: table) { row, agent in
                guard coverage.keeps(row, agent: agent) else { return }
                let value = PathSummary.value(row, metric: metric)
                if counting {
                    sides[1].add(row)
                    if value != ScannedLine.nullDuration { values.add(Int64(value), lane: 1) }
                }
                guard value != ScannedLine.nullDuration else { return }
                partners.store(value, row: row, agent: agent)
            }
            try PathCursor.forEach(series: peering.series, table: table) { row, agent in
                guard coverage.keeps(row, agent: agent) else { return }
                let value = PathSummary.value(row, metric: metric)
                if counting {
                    sides[0].add(row)
                    if value != ScannedLine.nullDuration { values.add(Int64(value), lane: 0) }
                }
                guard value != ScannedLine.nullDuration, let other = partners.partner(row: row, agent: agent) else {
                    return
                }
                emit(Int64(value) - Int64(other))
            }
        }
        // Pass over both sides, part by part.
        func join(_ emit: (_ difference: Int64) -> Void) throws(ReportError) {
            for part in 0..<joinParts {
                let counting = !sidesDone && part == 0
                if let dense {
                    var partners = DensePartners(index: dense, part: part, of: joinParts)
                    try join(&partners, counting: counting, emit)
                } else {
                    var partners = HashedPartners(part: part, of: joinParts, capacity: partCapacity)
                    try join(&partners, counting: counting, emit)
                }
            }
            sidesDone = true
        }

        var outcome = Outcome(
            peering: ComparisonSide(
                path: peering.name, isp: peering.isp, asn: peering.asn, prefix: peering.prefix, samples: 0,
                answered: 0, ok: 0, p50: nil, p90: nil),
            internet: ComparisonSide(
                path: internet.name, isp: internet.isp, asn: internet.asn, prefix: internet.prefix, samples: 0,
                answered: 0, ok: 0, p50: nil, p90: nil),
            windowStart: 0, windowEnd: 0, trimmed: 0)

        // Paired differences first: their first pass also counts the sides and their values.
        var differences = LaneCounts(cap: cap)
        try join { differences.add($0, lane: 0) }
        // The median's ranks, then each resample's two middle ranks.
        var pairedRanks = LaneRanks(first: [])
        var wilcoxon = WilcoxonSignedRank.Accumulator()
        var singleSlice: [LaneCounts.Entry]?
        var slices = 0
        try differences.finish { add throws(ReportError) in
            try join { add($0, 0) }
        } begin: { pairs, _ throws(ReportError) in
            let answered = (values.total(lane: 0), values.total(lane: 1))
            outcome.enough = answered.0 >= 10 && answered.1 >= 10
            outcome.paired = outcome.enough && pairs > 0 && pairs * 2 >= min(answered.0, answered.1)
            guard outcome.paired else { return false }
            outcome.pairs = pairs
            var generator = SplitMix64(seed: Bootstrap.seed)
            let resampled = Bootstrap.medianRanks(count: pairs, resamples: Bootstrap.resamples, generator: &generator)
            pairedRanks = LaneRanks(
                first: LaneRanks.quantileRanks(count: pairs, [0.5]) + resampled.flatMap { [$0.low, $0.high] })
            return true
        } slice: { entries throws(ReportError) in
            slices += 1
            singleSlice = slices == 1 ? entries : nil
            pairedRanks.consume(entries)
        }
        if outcome.paired {
            let found = pairedRanks.values(lane: 0)
            outcome.difference = LaneRanks.quantiles(count: outcome.pairs, [0.5], values: found, scale: 1_000)[0]
            let interval = Bootstrap.pairedMedianInterval(resolved: Array(found.dropFirst(2)))
            outcome.low = interval?.low
            outcome.high = interval?.high
            if let singleSlice {
                outcome.pValue = WilcoxonSignedRank(counts: singleSlice.map { ($0.value, $0.first) })?.pValue
            } else {
                // The differences did not fit at once: rank them by magnitude in passes of their own.
                var magnitudes = LaneCounts()
                try magnitudes.forEachSlice(cap: cap) { add throws(ReportError) in
                    try join { difference in
                        if difference == 0 {
                            add(0, 0)
                        } else {
                            add(difference.magnitude.clampedToInt64, difference > 0 ? 0 : 1)
                        }
                    }
                } begin: { _, _ throws(ReportError) in
                    true
                } slice: { entries throws(ReportError) in
                    for entry in entries {
                        if entry.value == 0 {
                            wilcoxon.addZeros(entry.first)
                        } else {
                            wilcoxon.add(magnitude: entry.value, positives: entry.first, negatives: entry.second)
                        }
                    }
                }
                outcome.pValue = wilcoxon.result()?.pValue
            }
        }

        // Each side's values: quantiles, and when unpaired the rank test and the bootstrap of the two medians.
        let unpaired = outcome.enough && !outcome.paired
        // Per side: the ranks of p50 and p90, then (unpaired) each resample's two middle ranks.
        var sideRanks = LaneRanks(first: [])
        var mannWhitney = MannWhitneyU.Accumulator()
        try values.finish { add throws(ReportError) in
            for (lane, path) in [peering, internet].enumerated() {
                try PathCursor.forEach(series: path.series, table: table) { row, agent in
                    guard coverage.keeps(row, agent: agent) else { return }
                    let value = PathSummary.value(row, metric: metric)
                    if value != ScannedLine.nullDuration { add(Int64(value), lane) }
                }
            }
        } begin: { first, second throws(ReportError) in
            var resampled: (x: [Int], y: [Int]) = ([], [])
            if unpaired, first > 0, second > 0 {
                let drawn = Bootstrap.medianDifferenceRanks(
                    countX: first, countY: second, resamples: Bootstrap.resamples, seed: Bootstrap.seed)
                resampled = (drawn.x.flatMap { [$0.low, $0.high] }, drawn.y.flatMap { [$0.low, $0.high] })
            }
            sideRanks = LaneRanks(
                first: LaneRanks.quantileRanks(count: first, [0.5, 0.9]) + resampled.x,
                second: LaneRanks.quantileRanks(count: second, [0.5, 0.9]) + resampled.y)
            return true
        } slice: { entries throws(ReportError) in
            sideRanks.consume(entries)
            guard unpaired else { return }
            for entry in entries { mannWhitney.add(value: entry.value, xCount: entry.first, yCount: entry.second) }
        }
        for (lane, path) in [peering, internet].enumerated() {
            let found = sideRanks.values(lane: lane)
            let q = LaneRanks.quantiles(count: values.total(lane: lane), [0.5, 0.9], values: found, scale: 1_000)
            let side = ComparisonSide(
                path: path.name, isp: path.isp, asn: path.asn, prefix: path.prefix, samples: sides[lane].samples,
                answered: sides[lane].answered, ok: sides[lane].ok, p50: q.first, p90: q.last)
            if lane == 0 { outcome.peering = side } else { outcome.internet = side }
        }
        if unpaired, let pMedian = outcome.peering.p50, let iMedian = outcome.internet.p50 {
            outcome.difference = pMedian - iMedian
            outcome.pValue = mannWhitney.result()?.pValue
            let interval = Bootstrap.medianDifferenceInterval(
                resolved: Array(sideRanks.values(lane: 0).dropFirst(4)), Array(sideRanks.values(lane: 1).dropFirst(4)))
            outcome.low = interval?.low
            outcome.high = interval?.high
        }
        outcome.trimmed = (peering.count - sides[0].samples) + (internet.count - sides[1].samples)
        // The window reported is the time the kept samples span (both paths).
        let kept = sides.filter { $0.samples > 0 }
        outcome.windowStart = kept.map(\.first).min() ?? max(peering.first, internet.first)
        outcome.windowEnd = kept.map(\.last).max() ?? min(peering.last, internet.last)
        return outcome
    }

}

/// Where one part of the join keeps the internet side's values for their Peering Service partners.
private protocol PairingPartners {
    /// Keeps `value` for the row's partner, when the row falls in this part.
    mutating func store(_ value: UInt32, row: StoredRow, agent: Int)
    /// The value kept for the row's partner, nil when there is none (or the row is in another part).
    func partner(row: StoredRow, agent: Int) -> UInt32?
}

/// Partners in a ``PairingIndex``: one part is a run of consecutive slots.
private struct DensePartners: PairingPartners {
    let index: PairingIndex
    let start: Int
    var values: [UInt32]

    init(index: PairingIndex, part: Int, of parts: Int) {
        self.index = index
        let length = (index.slots + parts - 1) / parts
        start = min(part * length, index.slots)
        values = [UInt32](repeating: ScannedLine.nullDuration, count: min(length, index.slots - start))
    }

    @inline(__always)
    mutating func store(_ value: UInt32, row: StoredRow, agent: Int) {
        guard let slot = index.slot(row, agent: agent), slot >= start, slot - start < values.count else { return }
        values[slot - start] = value
    }

    @inline(__always)
    func partner(row: StoredRow, agent: Int) -> UInt32? {
        guard let slot = index.slot(row, agent: agent), slot >= start, slot - start < values.count else { return nil }
        let value = values[slot - start]
        return value == ScannedLine.nullDuration ? nil : value
    }
}

/// Partners in an ``IntegerTable`` by pairing key (rounds too sparse for an index): one part is the keys that
/// hash to it.
private struct HashedPartners: PairingPartners {
    let part: Int
    let parts: Int
    var table: IntegerTable

    init(part: Int, of parts: Int, capacity: Int) {
        self.part = part
        self.parts = parts
        table = IntegerTable(capacity: capacity)
    }

    @inline(__always)
    private func key(_ row: StoredRow, agent: Int) -> UInt64? {
        guard let key = PathSummary.pairKey(row, agent: agent) else { return nil }
        let inPart = parts == 1 || Int(((key &* 0x9E37_79B9_7F4A_7C15) >> 33) % UInt64(parts)) == part
        return inPart ? key : nil
    }

    @inline(__always)
    mutating func store(_ value: UInt32, row: StoredRow, agent: Int) {
        guard let key = key(row, agent: agent) else { return }
        table.set(key, UInt64(value))
    }

    @inline(__always)
    func partner(row: StoredRow, agent: Int) -> UInt32? {
        guard let key = key(row, agent: agent), let value = table.value(for: key) else { return nil }
        return UInt32(truncatingIfNeeded: value)
    }
}

extension UInt64 {
    fileprivate var clampedToInt64: Int64 { self > UInt64(Int64.max) ? Int64.max : Int64(self) }
}
