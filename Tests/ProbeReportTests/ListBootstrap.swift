import ProbeCore

/// The bootstrap as the report made it before it counted values, kept as a reference for the tests: values in
/// milliseconds, each resample drawn position by position (`SplitMix64.index(below:)`) from the sorted values.
enum ListBootstrap {
    /// The most samples per side the report used to hand to the bootstrap, taken evenly in time.
    static let sampleLimit = 20_000

    /// The 95% interval of `median(x) - median(y)`, resampling each side independently; nil when a side is
    /// empty or `resamples` is not positive. Per resample, `x` is drawn first, then `y`.
    static func medianDifferenceInterval(
        _ x: [Double], _ y: [Double], resamples: Int = 1_000, seed: UInt64 = 0x5EED
    ) -> (low: Double, high: Double)? {
        guard !x.isEmpty, !y.isEmpty, resamples > 0 else { return nil }
        var generator = SplitMix64(seed: seed)
        var first = ResampleMedian(x)
        var second = ResampleMedian(y)
        var statistics = [Double](repeating: 0, count: resamples)
        for resample in 0..<resamples {
            statistics[resample] = first.next(using: &generator) - second.next(using: &generator)
        }
        return percentileInterval(&statistics)
    }

    /// The 95% interval of `median(differences)`, resampling the paired differences; nil when there are none
    /// or `resamples` is not positive.
    static func pairedMedianInterval(
        _ differences: [Double], resamples: Int = 1_000, seed: UInt64 = 0x5EED
    ) -> (low: Double, high: Double)? {
        guard !differences.isEmpty, resamples > 0 else { return nil }
        var generator = SplitMix64(seed: seed)
        var drawn = ResampleMedian(differences)
        var statistics = [Double](repeating: 0, count: resamples)
        for resample in 0..<resamples {
            statistics[resample] = drawn.next(using: &generator)
        }
        return percentileInterval(&statistics)
    }

    /// The 2.5% and 97.5% quantiles of the resampled statistics.
    private static func percentileInterval(_ statistics: inout [Double]) -> (low: Double, high: Double) {
        let bounds = Quantiles.continuous(&statistics, at: [0.025, 0.975])
        return (bounds[0], bounds[1])
    }
}

/// The median of one resample with replacement of fixed values: the values are sorted once; a resample counts
/// how often each sorted position is drawn, and the median is read off at the middle ranks (with the same
/// interpolation as ``Quantiles``).
private struct ResampleMedian {
    private let sorted: [Double]
    private var counts: [Int32]

    init(_ values: [Double]) {
        sorted = values.sorted()
        counts = [Int32](repeating: 0, count: values.count)
    }

    /// Draws `count` positions with replacement and returns the median of the values drawn.
    mutating func next(using generator: inout SplitMix64) -> Double {
        let count = sorted.count
        return counts.withUnsafeMutableBufferPointer { counts in
            counts.update(repeating: 0)
            for _ in 0..<count { counts[generator.index(below: count)] += 1 }
            let lowRank = (count - 1) / 2
            let highRank = count / 2
            var seen = 0
            var low = 0.0
            var index = 0
            while true {
                let next = seen + Int(counts[index])
                if next > lowRank, seen <= lowRank { low = sorted[index] }
                if next > highRank {
                    let high = sorted[index]
                    return low + 0.5 * (high - low)
                }
                seen = next
                index += 1
            }
        }
    }
}
