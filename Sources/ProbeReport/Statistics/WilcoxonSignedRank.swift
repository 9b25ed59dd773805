/// The Wilcoxon signed-rank test of paired differences, two-sided, by the normal approximation with tie and
/// continuity correction: the paired test of a comparison.
///
/// It computes what `scipy.stats.wilcoxon(d, zero_method="wilcox", correction=True, alternative="two-sided",
/// method="asymptotic")` does (SciPy 1.17): zero differences are dropped, the `n` others ranked by `|d|`
/// with average ranks for ties, `W+` and `W-` summed over the positive and negative ones,
/// `z = (W+ - n (n + 1) / 4) / se` with `se = sqrt((n (n + 1) (2n + 1) - sum(t^3 - t) / 2) / 24)`,
/// `z` moved 0.5 / se towards zero, and `p = 2 * sf(|z|)`. The reported statistic is SciPy's two-sided one,
/// `min(W+, W-)`.
package struct WilcoxonSignedRank: Sendable, Hashable {
    /// `min(W+, W-)`; 0 when every difference is zero.
    package var statistic: Double
    /// The two-sided p-value, in 0...1; 1 when every difference is zero (SciPy gives NaN there: with no
    /// nonzero difference there is no evidence of a shift either way).
    package var pValue: Double
    /// The nonzero differences the test ranked.
    package var nonZeroCount: Int

    /// Tests `differences` (milliseconds, `first - second` per pair; not NaN) for a shift away from zero.
    /// Nil when there are no differences at all. Sorts a copy: callers cap the pairs (20,000).
    package init?(differences: [Double]) {
        guard !differences.isEmpty else { return nil }
        let ranked = differences.filter { $0 != 0 }.sorted { $0.magnitude < $1.magnitude }
        nonZeroCount = ranked.count
        guard !ranked.isEmpty else {
            statistic = 0
            pValue = 1
            return
        }
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
        let n = Double(ranked.count)
        let negativeSum = n * (n + 1) / 2 - positiveSum
        statistic = min(positiveSum, negativeSum)
        // Always positive for n >= 1: ties take off at most (n^3 - n) / 2 of n (n + 1) (2n + 1).
        let standardError = ((n * (n + 1) * (2 * n + 1) - tieTerm / 2) / 24).squareRoot()
        var z = (positiveSum - n * (n + 1) / 4) / standardError
        if z != 0 {
            z -= (z > 0 ? 0.5 : -0.5) / standardError
        }
        pValue = min(1, 2 * NormalDistribution.survival(z.magnitude))
    }
}
