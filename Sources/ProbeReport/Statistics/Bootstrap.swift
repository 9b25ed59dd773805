/// Percentile-bootstrap 95% intervals for the median difference of a comparison, with a fixed seed so that a
/// report is the same every time it is made from the same samples.
///
/// Each of `resamples` resamples draws with replacement (``SplitMix64/index(below:)``) and takes its
/// statistic with ``Quantiles``; the interval is the 2.5% and 97.5% quantiles of the resampled statistics,
/// interpolated like every other quantile (DuckDB's `quantile_cont`). The resample buffers are allocated
/// once per interval, not per resample.
package enum Bootstrap {
    /// The most samples per side a comparison hands to the bootstrap and the rank tests, taken evenly in
    /// time with ``evenlySpaced(_:limit:)``.
    package static let sampleLimit = 20_000

    /// The 95% interval of `median(x) - median(y)`, resampling each side independently; nil when a side is
    /// empty or `resamples` is not positive. Per resample, `x` is drawn first, then `y`.
    package static func medianDifferenceInterval(
        _ x: [Double], _ y: [Double], resamples: Int = 1_000, seed: UInt64 = 0x5EED
    ) -> (low: Double, high: Double)? {
        guard !x.isEmpty, !y.isEmpty, resamples > 0 else { return nil }
        var generator = SplitMix64(seed: seed)
        var first = x
        var second = y
        var statistics = [Double](repeating: 0, count: resamples)
        for resample in 0..<resamples {
            draw(from: x, into: &first, using: &generator)
            draw(from: y, into: &second, using: &generator)
            statistics[resample] = Quantiles.median(&first) - Quantiles.median(&second)
        }
        return percentileInterval(&statistics)
    }

    /// The 95% interval of `median(differences)`, resampling the paired differences; nil when there are none
    /// or `resamples` is not positive.
    package static func pairedMedianInterval(
        _ differences: [Double], resamples: Int = 1_000, seed: UInt64 = 0x5EED
    ) -> (low: Double, high: Double)? {
        guard !differences.isEmpty, resamples > 0 else { return nil }
        var generator = SplitMix64(seed: seed)
        var drawn = differences
        var statistics = [Double](repeating: 0, count: resamples)
        for resample in 0..<resamples {
            draw(from: differences, into: &drawn, using: &generator)
            statistics[resample] = Quantiles.median(&drawn)
        }
        return percentileInterval(&statistics)
    }

    /// At most `limit` of `values`, spread evenly: element `i * n / limit` for `i` in `0..<limit` when there
    /// are more (`n`), else all of them. Callers pass values in time order, so the kept ones are taken
    /// evenly in time rather than all from the start. `limit` must not be negative.
    package static func evenlySpaced<T>(_ values: [T], limit: Int) -> [T] {
        precondition(limit >= 0, "negative limit \(limit)")
        let count = values.count
        guard count > limit else { return values }
        return (0..<limit).map { values[$0 * count / limit] }
    }

    /// Fills `buffer` (as long as `source`) with draws with replacement from `source`.
    private static func draw(from source: [Double], into buffer: inout [Double], using generator: inout SplitMix64) {
        let count = source.count
        source.withUnsafeBufferPointer { source in
            buffer.withUnsafeMutableBufferPointer { buffer in
                for index in 0..<count {
                    buffer[index] = source[generator.index(below: count)]
                }
            }
        }
    }

    /// The 2.5% and 97.5% quantiles of the resampled statistics.
    private static func percentileInterval(_ statistics: inout [Double]) -> (low: Double, high: Double) {
        let bounds = Quantiles.continuous(&statistics, at: [0.025, 0.975])
        return (bounds[0], bounds[1])
    }
}
