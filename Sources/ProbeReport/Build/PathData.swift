internal import ProbeCore

/// The samples of one path at one site and target, in time order, reduced to what comparisons, PoP usage and
/// charts need: about 30 bytes per sample.
struct PathData {
    let name: String
    let type: String
    let isp: String?
    let asn: Int64?
    let prefix: String?
    /// Start times (µs), ascending.
    private(set) var timestamps: [Int64] = []
    /// The compared metric (µs), `nullDuration` when unanswered or null.
    private(set) var values: [UInt32] = []
    /// Bit 0 ok, bit 1 answered.
    private(set) var flags: [UInt8] = []
    /// Global PoP ids.
    private(set) var pops: [UInt32] = []
    /// (agent, round, n) packed for pairing; UInt64.max when it does not fit.
    private(set) var pairKeys: [UInt64] = []

    var count: Int { timestamps.count }
    var first: Int64 { timestamps.first ?? 0 }
    var last: Int64 { timestamps.last ?? 0 }

    init(name: String, type: String, series: [Int], table: SampleTable, metric: Metric) throws(ReportError) {
        self.name = name
        self.type = type
        let key = table.series[series[0]].key
        isp = key.isp
        asn = key.asn
        prefix = key.prefix
        for index in series {
            let agentIndex = table.agentNumbers[index]
            try table.forEachRow(of: index) { row in
                let value = row.answered ? row.metrics[metric.index] : ScannedLine.nullDuration
                let flag: UInt8 = (row.ok ? 1 : 0) | (row.answered ? 2 : 0)
                let fits =
                    row.round >= 0 && row.round < 1 << 32 && row.n >= 0 && row.n < 1 << 16 && agentIndex < 1 << 16
                let pairKey = fits ? UInt64(agentIndex) << 48 | UInt64(row.round) << 16 | UInt64(row.n) : UInt64.max
                timestamps.append(row.timestamp)
                values.append(value)
                flags.append(flag)
                pops.append(row.pop)
                pairKeys.append(pairKey)
            }
        }
        if series.count > 1 {
            // Several agents probed this path: one time order for all their samples (stable on equal times).
            let order = timestamps.indices.sorted { (timestamps[$0], $0) < (timestamps[$1], $1) }
            timestamps = order.map { timestamps[$0] }
            values = order.map { values[$0] }
            flags = order.map { flags[$0] }
            pops = order.map { pops[$0] }
            pairKeys = order.map { pairKeys[$0] }
        }
    }

    /// The agent and round of sample `index`, nil when its pairing key did not fit.
    func agentAndRound(_ index: Int) -> (agent: UInt64, round: UInt64)? {
        let key = pairKeys[index]
        guard key != UInt64.max else { return nil }
        return (key >> 48, (key >> 16) & 0xFFFF_FFFF)
    }

    /// Every answered non-null value (µs).
    func answeredValues() -> [UInt32] { values.filter { $0 != ScannedLine.nullDuration } }

    /// The comparison side over a slice, given the slice's answered values (ms).
    func side(_ slice: Slice, values: [Double]) -> ComparisonSide {
        var ok = 0
        var answered = 0
        for index in slice.indices {
            if flags[index] & 1 != 0 { ok += 1 }
            if flags[index] & 2 != 0 { answered += 1 }
        }
        var work = values
        let q = work.isEmpty ? [] : Quantiles.continuous(&work, at: [0.5, 0.9])
        return ComparisonSide(
            path: name, isp: isp, asn: asn, prefix: prefix, samples: slice.count, answered: answered,
            ok: ok, p50: q.first, p90: q.last)
    }

    /// Paired differences `a - b` (ms), in `a`'s time order, over samples with the same agent, round and `n`
    /// that both have a value.
    static func pairedDifferences(_ a: Slice, _ b: Slice) -> [Double] {
        var partner: [UInt64: UInt32] = [:]
        partner.reserveCapacity(b.count)
        for index in b.indices
        where b.data.pairKeys[index] != UInt64.max && b.data.values[index] != ScannedLine.nullDuration {
            partner[b.data.pairKeys[index]] = b.data.values[index]
        }
        var differences: [Double] = []
        for index in a.indices where a.data.values[index] != ScannedLine.nullDuration {
            guard a.data.pairKeys[index] != UInt64.max, let other = partner[a.data.pairKeys[index]] else { continue }
            differences.append((Double(a.data.values[index]) - Double(other)) / 1_000)
        }
        return differences
    }

    /// Some of a path's samples, in time order.
    struct Slice {
        let data: PathData
        let indices: [Int]
        var count: Int { indices.count }

        /// The answered, non-null values (ms), in time order.
        func values() -> [Double] {
            var out: [Double] = []
            out.reserveCapacity(indices.count)
            for index in indices where data.values[index] != ScannedLine.nullDuration {
                out.append(Double(data.values[index]) / 1_000)
            }
            return out
        }

        /// Earliest and latest start among the slice's samples.
        var span: (first: Int64, last: Int64)? {
            guard let first = indices.first, let last = indices.last else { return nil }
            return (data.timestamps[first], data.timestamps[last])
        }
    }

    /// The samples of the two paths that are comparable: for agents that probed both paths, the rounds from the
    /// later first round to the earlier last round of the two (the agent probes both paths in every round, so
    /// a slow path's last samples of a round are not cut off); for samples no agent shares, the time both
    /// paths cover.
    static func commonCoverage(_ a: PathData, _ b: PathData) -> (Slice, Slice) {
        func roundRanges(_ data: PathData) -> [UInt64: (low: UInt64, high: UInt64)] {
            var ranges: [UInt64: (low: UInt64, high: UInt64)] = [:]
            for index in data.timestamps.indices {
                guard let (agent, round) = data.agentAndRound(index) else { continue }
                let current = ranges[agent] ?? (round, round)
                ranges[agent] = (min(current.low, round), max(current.high, round))
            }
            return ranges
        }
        let rangesA = roundRanges(a)
        let rangesB = roundRanges(b)
        var common: [UInt64: (low: UInt64, high: UInt64)] = [:]
        for (agent, rangeA) in rangesA {
            guard let rangeB = rangesB[agent] else { continue }
            common[agent] = (max(rangeA.low, rangeB.low), min(rangeA.high, rangeB.high))
        }
        let start = max(a.first, b.first)
        let end = min(a.last, b.last)
        func keep(_ data: PathData) -> Slice {
            var kept: [Int] = []
            kept.reserveCapacity(data.count)
            for index in data.timestamps.indices {
                if let (agent, round) = data.agentAndRound(index), let range = common[agent] {
                    if round >= range.low, round <= range.high { kept.append(index) }
                } else if data.timestamps[index] >= start, data.timestamps[index] <= end {
                    kept.append(index)
                }
            }
            return Slice(data: data, indices: kept)
        }
        return (keep(a), keep(b))
    }

    /// Which PoPs the answered samples reached, and when the PoP changed.
    func popUsage(site: String?, target: String, names: [String?]) -> PopUsage {
        var counts: [UInt32: Int] = [:]
        var answered = 0
        var changes: [PopChange] = []
        var changeCount = 0
        var current: UInt32 = 0
        for index in timestamps.indices where flags[index] & 2 != 0 {
            answered += 1
            let pop = pops[index]
            counts[pop, default: 0] += 1
            guard pop != 0 else { continue }
            if current != 0, pop != current {
                changeCount += 1
                if changes.count < PopUsage.changeListLimit {
                    changes.append(
                        PopChange(
                            timestamp: timestamps[index], from: names[Int(current)] ?? "", to: names[Int(pop)] ?? ""))
                }
            }
            current = pop
        }
        let list = counts.map { PopCount(pop: names[Int($0.key)], count: $0.value) }
            .sorted { ($0.count, $1.pop ?? "") > ($1.count, $0.pop ?? "") }
        return PopUsage(
            site: site, target: target, path: name, pathType: type, answered: answered, counts: list,
            changes: changes, changeCount: changeCount)
    }

    /// Medians (ms) of the answered values per time bucket.
    func medians(bucket: Int64) -> [TimePoint] {
        var points: [TimePoint] = []
        var index = 0
        var values: [UInt32] = []
        while index < timestamps.count {
            let start = Self.floor(timestamps[index], bucket)
            values.removeAll(keepingCapacity: true)
            while index < timestamps.count, Self.floor(timestamps[index], bucket) == start {
                if self.values[index] != ScannedLine.nullDuration { values.append(self.values[index]) }
                index += 1
            }
            guard !values.isEmpty else { continue }
            let median = Quantiles.continuous(&values, at: [0.5])[0] / 1_000
            points.append(TimePoint(bucketStart: start, count: values.count, median: median))
        }
        return points
    }

    private static func floor(_ value: Int64, _ width: Int64) -> Int64 {
        value >= 0 ? value / width * width : (value - width + 1) / width * width
    }
}
