/// The Wilcoxon signed-rank test of paired differences, two-sided, by the normal approximation with tie and
/// continuity correction: the paired test of a comparison.
///
/// It computes what `scipy.stats.wilcoxon(d, zero_method="wilcox", correction=True, alternative="two-sided",
/// method="asymptotic")` does (SciPy 1.17): zero differences are dropped, the `n` others ranked by `|d|`
/// with average ranks for ties, `W+` and `W-` summed over the positive and negative ones,
/// `z = (W+ - n (n + 1) / 4) / se` with `se = sqrt((n (n + 1) (2n + 1) - sum(t^3 - t) / 2) / 24)`,
/// `z` moved 0.5 / se towards zero, and `p = 2 * sf(|z|)`. The reported statistic is SciPy's two-sided one,
/// `min(W+, W-)`.
///
/// The test needs only how often each distinct difference occurs, so whole-microsecond differences can be
/// tested from their counts (``init(counts:)``, or ``Accumulator`` one magnitude at a time) in memory per
/// distinct value; the result is the same as for the differences themselves, in any unit.
package struct WilcoxonSignedRank: Sendable, Hashable {
    /// `min(W+, W-)`; 0 when every difference is zero.
    package var statistic: Double
    /// The two-sided p-value, in 0...1; 1 when every difference is zero (SciPy gives NaN there: with no
    /// nonzero difference there is no evidence of a shift either way).
    package var pValue: Double
    /// The nonzero differences the test ranked.
    package var nonZeroCount: Int

    /// Tests `differences` (milliseconds, `first - second` per pair; not NaN) for a shift away from zero.
    /// Nil when there are no differences at all. Sorts a copy: the report counts instead (`init?(counts:)`).
    package init?(differences: [Double]) {
        guard !differences.isEmpty else { return nil }
        let ranked = differences.filter { $0 != 0 }.sorted { $0.magnitude < $1.magnitude }
        var positiveSum = 0.0
        var tieTerm = 0.0
        var start = 0
        while start < ranked.count {
            let magnitude = ranked[start].magnitude
            var end = start
            var positives = 0
            while end < ranked.count && ranked[end].magnitude == magnitude {
                if ranked[end] > 0 { positives += 1 }
                end += 1
            }
            let tied = Double(end - start)
            // Ranks start + 1 ... end, averaged.
            positiveSum += Double(positives) * (Double(start) + (tied + 1) / 2)
            tieTerm += tied * tied * tied - tied
            start = end
        }
        self.init(nonZeroCount: ranked.count, positiveRankSum: positiveSum, tieTerm: tieTerm)
    }

    /// Tests the differences counted by `differences`: the distinct signed differences (`first - second` per
    /// pair, whole microseconds or any whole unit; above `Int64.min`) in strictly ascending order, each with how
    /// often it occurs (counts of 0 are skipped), as the report counts them. Negative and
    /// positive differences of one magnitude are ranked together, zeros dropped. Nil when there are no
    /// differences at all. The same result as ``init(differences:)`` on the differences written out, in
    /// memory per distinct value.
    package init?(counts differences: [(value: Int64, count: Int)]) {
        var accumulator = Accumulator()
        // The first nonnegative difference; the negative ones before it ascend in magnitude backwards.
        var positiveIndex = differences.firstIndex { $0.value >= 0 } ?? differences.endIndex
        var negativeIndex = positiveIndex - 1
        if positiveIndex < differences.endIndex && differences[positiveIndex].value == 0 {
            accumulator.addZeros(differences[positiveIndex].count)
            positiveIndex += 1
        }
        while negativeIndex >= 0 || positiveIndex < differences.endIndex {
            let negative = negativeIndex >= 0 ? differences[negativeIndex] : nil
            let positive = positiveIndex < differences.endIndex ? differences[positiveIndex] : nil
            precondition(negative.map { $0.value > .min } ?? true, "a difference of Int64.min has no magnitude")
            let negativeMagnitude = negative.map { -$0.value }
            if let positive, let negativeMagnitude, positive.value == negativeMagnitude {
                accumulator.add(magnitude: positive.value, positives: positive.count, negatives: negative?.count ?? 0)
                positiveIndex += 1
                negativeIndex -= 1
            } else if let positive, negativeMagnitude.map({ positive.value < $0 }) ?? true {
                accumulator.add(magnitude: positive.value, positives: positive.count, negatives: 0)
                positiveIndex += 1
            } else if let negative, let negativeMagnitude {
                accumulator.add(magnitude: negativeMagnitude, positives: 0, negatives: negative.count)
                negativeIndex -= 1
            }
        }
        guard let result = accumulator.result() else { return nil }
        self = result
    }

    /// The test from its sums: `nonZeroCount` nonzero differences (`n`, at least 0); `positiveRankSum`, the sum
    /// of the average ranks of the positive ones by magnitude (`W+`); and `tieTerm`, the sum over groups of
    /// equal magnitudes of `t^3 - t`.
    init(nonZeroCount: Int, positiveRankSum: Double, tieTerm: Double) {
        self.nonZeroCount = nonZeroCount
        guard nonZeroCount > 0 else {
            statistic = 0
            pValue = 1
            return
        }
        let n = Double(nonZeroCount)
        let negativeSum = n * (n + 1) / 2 - positiveRankSum
        statistic = min(positiveRankSum, negativeSum)
        // Always positive for n >= 1: ties take off at most (n^3 - n) / 2 of n (n + 1) (2n + 1).
        let standardError = ((n * (n + 1) * (2 * n + 1) - tieTerm / 2) / 24).squareRoot()
        var z = (positiveRankSum - n * (n + 1) / 4) / standardError
        if z != 0 {
            z -= (z > 0 ? 0.5 : -0.5) / standardError
        }
        pValue = min(1, 2 * NormalDistribution.survival(z.magnitude))
    }
}
