package import ProbeCore

/// Percentile-bootstrap 95% intervals for the median difference of a comparison, with a fixed seed so that a
/// report is the same every time it is made from the same samples.
///
/// Each of `resamples` resamples draws with replacement (ProbeCore's seeded `SplitMix64`) and takes its median;
/// the interval is the 2.5% and 97.5% quantiles of the resampled statistics, interpolated like every other
/// quantile (DuckDB's `quantile_cont`).
///
/// The intervals come from counts of distinct microsecond values (`counts:` forms, or their steps for counts
/// read in slices): a resample's median depends only on the ranks of its two middle draws, which
/// ``ResampledMedianRanks`` draws directly (with the distribution brute-force resampling gives them, in constant
/// time per resample whatever the number of samples) and ``RankResolver`` turns into values in one pass over
/// the counts.
///
/// The steps of the `counts:` forms, for counts that arrive in slices:
/// ```swift
/// let ranks = Bootstrap.medianDifferenceRanks(countX: nx, countY: ny, resamples: 1_000, seed: 0x5EED)
/// var x = RankResolver(medianRanks: ranks.x)
/// var y = RankResolver(medianRanks: ranks.y)
/// for slice in xSlices { x.consume(slice) }  // ascending (value, count) pairs, in µs
/// for slice in ySlices { y.consume(slice) }
/// let interval = Bootstrap.medianDifferenceInterval(resolved: x.values(), y.values())  // ms
/// ```
/// and for paired differences `var generator = SplitMix64(seed: 0x5EED)`,
/// `medianRanks(count:resamples:generator:)`, one resolver, then ``pairedMedianInterval(resolved:)``.
package enum Bootstrap {
    /// Resamples per interval.
    package static let resamples = 1_000

    /// The seed of every report's bootstrap, so that a report is the same every time it is made from the same
    /// samples.
    package static let seed: UInt64 = 0x5EED

    /// The 95% interval, in milliseconds, of `median(x) - median(y)` for series kept as counts of distinct
    /// microsecond values (each ascending by value, as the report counts them; zero counts are
    /// allowed); nil when a side has no values or `resamples` is not positive. Each side is resampled to its own
    /// size; per resample, `x`'s middle ranks are drawn first, then `y`'s
    /// (``medianDifferenceRanks(countX:countY:resamples:seed:)``).
    package static func medianDifferenceInterval(
        counts x: [(value: Int64, count: Int)], counts y: [(value: Int64, count: Int)], resamples: Int = 1_000,
        seed: UInt64 = 0x5EED
    ) -> (low: Double, high: Double)? {
        let countX = total(x)
        let countY = total(y)
        guard countX > 0, countY > 0, resamples > 0 else { return nil }
        let ranks = medianDifferenceRanks(countX: countX, countY: countY, resamples: resamples, seed: seed)
        var first = RankResolver(medianRanks: ranks.x)
        first.consume(x)
        var second = RankResolver(medianRanks: ranks.y)
        second.consume(y)
        return medianDifferenceInterval(resolved: first.values(), second.values())
    }

    /// The 95% interval, in milliseconds, of `median(differences)` for signed paired differences kept as counts
    /// of distinct microsecond values (ascending by signed value); nil when there are none or `resamples` is not
    /// positive. The ranks come from ``medianRanks(count:resamples:generator:)`` with `SplitMix64(seed: seed)`.
    package static func pairedMedianInterval(
        counts differences: [(value: Int64, count: Int)], resamples: Int = 1_000, seed: UInt64 = 0x5EED
    ) -> (low: Double, high: Double)? {
        let count = total(differences)
        guard count > 0, resamples > 0 else { return nil }
        var generator = SplitMix64(seed: seed)
        var resolver = RankResolver(medianRanks: medianRanks(count: count, resamples: resamples, generator: &generator))
        resolver.consume(differences)
        return pairedMedianInterval(resolved: resolver.values())
    }

    /// The ranks (from 0, in the sorted series) of the two middle values of each of `resamples` resamples of a
    /// series of `count` values (see ``ResampledMedianRanks``); `count` must be positive and `resamples` not
    /// negative.
    package static func medianRanks(
        count: Int, resamples: Int, generator: inout SplitMix64
    ) -> [(low: Int, high: Int)] {
        precondition(resamples >= 0, "negative resamples \(resamples)")
        var draws = ResampledMedianRanks(count: count)
        return (0..<resamples).map { _ in draws.next(using: &generator) }
    }

    /// The middle ranks of each side's resamples for ``medianDifferenceInterval(counts:counts:resamples:seed:)``:
    /// from `SplitMix64(seed: seed)`, per resample `x`'s first, then `y`'s. Both counts must be positive and
    /// `resamples` not negative.
    package static func medianDifferenceRanks(
        countX: Int, countY: Int, resamples: Int, seed: UInt64
    ) -> (x: [(low: Int, high: Int)], y: [(low: Int, high: Int)]) {
        precondition(resamples >= 0, "negative resamples \(resamples)")
        var generator = SplitMix64(seed: seed)
        var drawsX = ResampledMedianRanks(count: countX)
        var drawsY = ResampledMedianRanks(count: countY)
        var x: [(low: Int, high: Int)] = []
        var y: [(low: Int, high: Int)] = []
        x.reserveCapacity(resamples)
        y.reserveCapacity(resamples)
        for _ in 0..<resamples {
            x.append(drawsX.next(using: &generator))
            y.append(drawsY.next(using: &generator))
        }
        return (x, y)
    }

    /// The 95% interval, in milliseconds, of `median(x) - median(y)` from each side's resampled middle values in
    /// microseconds, `low, high` per resample in turn (``RankResolver/init(medianRanks:)``'s
    /// ``RankResolver/values()``); both sides must hold the same number of resamples. Nil when there are none.
    package static func medianDifferenceInterval(resolved x: [Int64], _ y: [Int64]) -> (low: Double, high: Double)? {
        precondition(x.count == y.count && x.count % 2 == 0, "unmatched resolved medians: \(x.count), \(y.count)")
        guard !x.isEmpty else { return nil }
        var statistics = (0..<(x.count / 2)).map { resampledMedian(x, $0) - resampledMedian(y, $0) }
        return percentileInterval(&statistics)
    }

    /// The 95% interval, in milliseconds, of `median(differences)` from the resampled middle differences in
    /// microseconds, `low, high` per resample in turn (``RankResolver/values()``). Nil when there are none.
    package static func pairedMedianInterval(resolved differences: [Int64]) -> (low: Double, high: Double)? {
        precondition(differences.count % 2 == 0, "unpaired resolved medians: \(differences.count)")
        guard !differences.isEmpty else { return nil }
        var statistics = (0..<(differences.count / 2)).map { resampledMedian(differences, $0) }
        return percentileInterval(&statistics)
    }

    /// The median in milliseconds of resample `index` from its two middle values in microseconds, interpolated
    /// like ``Quantiles`` on values converted one by one.
    private static func resampledMedian(_ resolved: [Int64], _ index: Int) -> Double {
        let low = Double(resolved[2 * index]) / 1_000
        let high = Double(resolved[2 * index + 1]) / 1_000
        return low + 0.5 * (high - low)
    }

    /// How many values the counts hold.
    private static func total(_ counts: [(value: Int64, count: Int)]) -> Int {
        counts.reduce(0) { sum, entry in
            precondition(entry.count >= 0, "negative count \(entry.count) of \(entry.value)")
            return sum + entry.count
        }
    }

    /// The 2.5% and 97.5% quantiles of the resampled statistics.
    private static func percentileInterval(_ statistics: inout [Double]) -> (low: Double, high: Double) {
        let bounds = Quantiles.continuous(&statistics, at: [0.025, 0.975])
        return (bounds[0], bounds[1])
    }
}
