internal import ProbeCore

/// The previous answered value of each metric within one series, for jitter.
struct JitterState {
    var last = InlineArray<8, UInt32>(repeating: ScannedLine.nullDuration)
}

/// Accumulates one group: counts, errors, time span, per metric the count, sum, range and jitter, and, when the
/// group's values fit in memory, the answered values themselves. When they do not, ``GroupAggregator`` finds the
/// quantiles and the spread from counts of distinct values in further passes (``finish(region:counted:)``).
struct GroupCollector {
    let key: [String?]
    /// Whether the values are kept (else they are counted later).
    let keepsValues: Bool
    var samples = 0
    var answered = 0
    var ok = 0
    var errors = [Int](repeating: 0, count: SampleError.Kind.allCases.count + 1)
    var first = Int64.max
    var last = Int64.min
    var values: [[UInt32]] = Array(repeating: [], count: Metric.allCases.count)
    // Per metric, in fixed-size storage: these change for every row, and arrays would check for sharing each time.
    var counts = InlineArray<8, Int>(repeating: 0)
    var sums = InlineArray<8, UInt64>(repeating: 0)
    var lows = InlineArray<8, UInt32>(repeating: UInt32.max)
    var highs = InlineArray<8, UInt32>(repeating: 0)
    var jitterSums = InlineArray<8, UInt64>(repeating: 0)
    var jitterCounts = InlineArray<8, Int>(repeating: 0)

    /// Makes a collector; `capacity` (the most values it will hold, when known) saves regrowing.
    init(key: [String?], keepsValues: Bool = true, capacity: Int = 0) {
        self.key = key
        self.keepsValues = keepsValues
        if keepsValues, capacity > 0 {
            for index in values.indices { values[index].reserveCapacity(capacity) }
        }
    }

    mutating func add(_ row: StoredRow, jitter: inout JitterState) {
        samples += 1
        if row.ok { ok += 1 }
        errors[row.errorKind] += 1
        first = min(first, row.timestamp)
        last = max(last, row.timestamp)
        guard row.answered else { return }
        answered += 1
        for metric in 0..<8 {
            let value = row.metrics[metric]
            guard value != ScannedLine.nullDuration else { continue }
            if keepsValues { values[metric].append(value) }
            counts[metric] += 1
            sums[metric] += UInt64(value)
            lows[metric] = min(lows[metric], value)
            highs[metric] = max(highs[metric], value)
            let previous = jitter.last[metric]
            if previous != ScannedLine.nullDuration {
                jitterSums[metric] += UInt64(value > previous ? value - previous : previous - value)
                jitterCounts[metric] += 1
            }
            jitter.last[metric] = value
        }
    }

    /// What counting found for one metric of a group whose values were not kept: its quantiles
    /// (``GroupAggregator/quantiles``, µs) and the sum of squared deviations from its mean.
    struct Counted {
        var quantiles: [Double]
        var squares: Double
    }

    /// The group's statistics; `counted` gives each metric's quantiles and squares when the values were not
    /// kept.
    mutating func finish(region: String?, counted: [Counted]? = nil) -> GroupStats {
        var errorCounts: [ErrorCount] = []
        for (index, kind) in SampleError.Kind.allCases.enumerated() where errors[index + 1] > 0 {
            errorCounts.append(ErrorCount(kind: kind, count: errors[index + 1]))
        }
        errorCounts.sort { ($0.count, $1.kind.rawValue) > ($1.count, $0.kind.rawValue) }
        var metrics: [MetricStats] = []
        for metric in Metric.allCases {
            let index = metric.index
            guard counts[index] > 0 else {
                metrics.append(MetricStats(metric: metric, count: 0))
                continue
            }
            let mean = Double(sums[index]) / Double(counts[index])
            let found: Counted
            if let counted {
                found = counted[index]
            } else {
                var squares = 0.0
                for value in values[index] {
                    let delta = Double(value) - mean
                    squares += delta * delta
                }
                found = Counted(
                    quantiles: Quantiles.continuous(&values[index], at: GroupAggregator.quantiles), squares: squares)
                values[index] = []
            }
            metrics.append(stats(metric, mean: mean, counted: found))
        }
        return GroupStats(
            key: key, region: region, samples: samples, answered: answered, ok: ok, errors: errorCounts,
            firstTimestamp: first, lastTimestamp: last, metrics: metrics)
    }

    /// Statistics of one metric (µs in, ms out).
    private func stats(_ metric: Metric, mean: Double, counted: Counted) -> MetricStats {
        let index = metric.index
        let count = counts[index]
        let q = counted.quantiles
        return MetricStats(
            metric: metric, count: count, p50: q[1] / 1_000, p90: q[2] / 1_000, p95: q[3] / 1_000, p99: q[4] / 1_000,
            min: Double(lows[index]) / 1_000, max: Double(highs[index]) / 1_000, mean: mean / 1_000,
            stddev: count > 1 ? (counted.squares / Double(count - 1)).squareRoot() / 1_000 : nil,
            spread: (q[2] - q[0]) / 1_000,
            jitter: jitterCounts[index] > 0 ? Double(jitterSums[index]) / Double(jitterCounts[index]) / 1_000 : nil)
    }
}
