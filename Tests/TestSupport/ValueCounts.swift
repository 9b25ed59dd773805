/// A series of whole-number values (microseconds) kept as counts of its distinct values, with the same exact
/// quantiles as ProbeCore's `Quantiles` (type 7, DuckDB's `quantile_cont`): the tests' plain reference for the
/// counting statistics of the report (which counts within a memory cap, in `LaneCounts`).
///
/// Latencies are whole microseconds and a long series repeats them a great deal, so counting them answers what
/// a report needs of a series (quantiles, ranks with ties) without holding every sample. Add values with
/// ``add(_:count:)`` (or merge another series with ``merge(_:)``), then read ``quantiles(_:)``; the distinct
/// values are sorted once, on the first read after a change.
package struct ValueCounts: Sendable, Hashable {
    private var counts: [Int64: Int] = [:]
    private var sorted: [(value: Int64, cumulative: Int)] = []
    private var sortedIsCurrent = true

    /// How many values were added.
    package private(set) var count = 0

    /// An empty series.
    package init() {}

    /// A series of `values`.
    package init(_ values: some Sequence<Int64>) {
        for value in values { add(value) }
    }

    /// How many distinct values the series holds.
    package var distinctCount: Int { counts.count }

    /// Adds `value`, `count` times.
    package mutating func add(_ value: Int64, count: Int = 1) {
        guard count > 0 else { return }
        counts[value, default: 0] += count
        self.count += count
        sortedIsCurrent = false
    }

    /// Adds every value of `other`.
    package mutating func merge(_ other: ValueCounts) {
        for (value, count) in other.counts { add(value, count: count) }
    }

    /// The distinct values in ascending order, each with how often it occurs.
    package mutating func ascending() -> [(value: Int64, count: Int)] {
        sortIfNeeded()
        var previous = 0
        return sorted.map { entry in
            defer { previous = entry.cumulative }
            return (entry.value, entry.cumulative - previous)
        }
    }

    /// The value a full sort would put at `rank` (from 0); `rank` must be below ``count``.
    package mutating func value(atRank rank: Int) -> Int64 {
        precondition(rank >= 0 && rank < count, "rank \(rank) outside a series of \(count)")
        sortIfNeeded()
        // The first distinct value whose cumulative count passes the rank.
        var low = 0
        var high = sorted.count - 1
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].cumulative > rank { high = middle } else { low = middle + 1 }
        }
        return sorted[low].value
    }

    /// The `quantiles` (each in 0...1, in any order), in the order given, as `Quantiles` computes them from
    /// the full list: at `h = (n - 1) * q`, `x[floor h] + (h - floor h) * (x[ceil h] - x[floor h])`. Empty for an
    /// empty series.
    package mutating func quantiles(_ quantiles: [Double]) -> [Double] {
        for quantile in quantiles {
            precondition(quantile >= 0 && quantile <= 1, "quantile \(quantile) is outside 0...1")
        }
        guard count > 0 else { return [] }
        return quantiles.map { quantile in
            let position = Double(count - 1) * quantile
            let lowRank = Int(position.rounded(.down))
            let highRank = min(Int(position.rounded(.up)), count - 1)
            let low = Double(value(atRank: lowRank))
            guard highRank > lowRank else { return low }
            let high = Double(value(atRank: highRank))
            return low + (position - Double(lowRank)) * (high - low)
        }
    }

    /// The midrank (from 1, ties sharing the mean of their ranks) of each distinct value, ascending, as rank
    /// tests use them; and the sum over tie groups of `t^3 - t`, for the tie correction of their variance.
    package mutating func midranks() -> (ranks: [(value: Int64, midrank: Double, count: Int)], tieTerm: Double) {
        var below = 0
        var tieTerm = 0.0
        let ranks = ascending().map { entry in
            defer { below += entry.count }
            let t = Double(entry.count)
            tieTerm += t * t * t - t
            return (entry.value, Double(below) + (t + 1) / 2, entry.count)
        }
        return (ranks, tieTerm)
    }

    private mutating func sortIfNeeded() {
        guard !sortedIsCurrent else { return }
        var cumulative = 0
        sorted = counts.sorted { $0.key < $1.key }.map { entry in
            cumulative += entry.value
            return (entry.key, cumulative)
        }
        sortedIsCurrent = true
    }

    package static func == (lhs: ValueCounts, rhs: ValueCounts) -> Bool { lhs.counts == rhs.counts }

    package func hash(into hasher: inout Hasher) { hasher.combine(counts) }
}
