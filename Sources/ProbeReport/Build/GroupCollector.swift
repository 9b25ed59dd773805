internal import ProbeCore

/// The previous answered value of each metric within one series, for jitter.
struct JitterState {
    var last = InlineArray<8, UInt32>(repeating: ScannedLine.nullDuration)
}

/// Accumulates one group: counts, errors, time span, and the answered values of every metric.
struct GroupCollector {
    let key: [String?]
    var samples = 0
    var answered = 0
    var ok = 0
    var errors = [Int](repeating: 0, count: SampleError.Kind.allCases.count + 1)
    var first = Int64.max
    var last = Int64.min
    var values: [[UInt32]] = Array(repeating: [], count: Metric.allCases.count)
    var jitterSums = [UInt64](repeating: 0, count: Metric.allCases.count)
    var jitterCounts = [Int](repeating: 0, count: Metric.allCases.count)

    /// Makes a collector; `capacity` (the most values it will hold, when known) saves regrowing.
    init(key: [String?], capacity: Int = 0) {
        self.key = key
        if capacity > 0 {
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
            values[metric].append(value)
            let previous = jitter.last[metric]
            if previous != ScannedLine.nullDuration {
                jitterSums[metric] += UInt64(value > previous ? value - previous : previous - value)
                jitterCounts[metric] += 1
            }
            jitter.last[metric] = value
        }
    }

    mutating func finish(region: String?) -> GroupStats {
        var errorCounts: [ErrorCount] = []
        for (index, kind) in SampleError.Kind.allCases.enumerated() where errors[index + 1] > 0 {
            errorCounts.append(ErrorCount(kind: kind, count: errors[index + 1]))
        }
        errorCounts.sort { ($0.count, $1.kind.rawValue) > ($1.count, $0.kind.rawValue) }
        var metrics: [MetricStats] = []
        for metric in Metric.allCases {
            metrics.append(
                Self.stats(
                    metric, values: &values[metric.index], jitterSum: jitterSums[metric.index],
                    jitterCount: jitterCounts[metric.index]))
            values[metric.index] = []
        }
        return GroupStats(
            key: key, region: region, samples: samples, answered: answered, ok: ok, errors: errorCounts,
            firstTimestamp: first, lastTimestamp: last, metrics: metrics)
    }

    /// Statistics of one metric's values (µs), in ms.
    static func stats(_ metric: Metric, values: inout [UInt32], jitterSum: UInt64, jitterCount: Int) -> MetricStats {
        let count = values.count
        guard count > 0 else { return MetricStats(metric: metric, count: 0) }
        var sum: UInt64 = 0
        var low = UInt32.max
        var high: UInt32 = 0
        for value in values {
            sum += UInt64(value)
            low = min(low, value)
            high = max(high, value)
        }
        let mean = Double(sum) / Double(count)
        var squares = 0.0
        for value in values {
            let delta = Double(value) - mean
            squares += delta * delta
        }
        let q = Quantiles.continuous(&values, at: GroupAggregator.quantiles)
        return MetricStats(
            metric: metric, count: count, p50: q[1] / 1_000, p90: q[2] / 1_000, p95: q[3] / 1_000, p99: q[4] / 1_000,
            min: Double(low) / 1_000, max: Double(high) / 1_000, mean: mean / 1_000,
            stddev: count > 1 ? (squares / Double(count - 1)).squareRoot() / 1_000 : nil,
            spread: (q[2] - q[0]) / 1_000,
            jitter: jitterCount > 0 ? Double(jitterSum) / Double(jitterCount) / 1_000 : nil)
    }
}
