/// The Mann-Whitney U test of two independent samples, two-sided, by the normal approximation with tie and
/// continuity correction: the unpaired test of a comparison.
///
/// It computes what `scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic",
/// use_continuity=True)` does (SciPy 1.17): `U1 = R1 - n1 (n1 + 1) / 2` from the average ranks of `x` in
/// the pooled sample, `U = max(U1, n1 n2 - U1)`,
/// `z = (U - n1 n2 / 2 - 0.5) / sqrt(n1 n2 / 12 * ((n + 1) - sum(t^3 - t) / (n (n - 1))))` over the tie
/// group sizes `t`, and `p = min(1, 2 * sf(z))`. The reported statistic is SciPy's, `U1` (of `x`, the
/// first sample).
package struct MannWhitneyU: Sendable, Hashable {
    /// `U1`: the number of pairs `(x_i, y_j)` with `x_i > y_j`, ties counting one half.
    package var u: Double
    /// The two-sided p-value, in 0...1; 1 when every value is the same (the variance is zero and SciPy's
    /// infinite z gives 1 as well).
    package var pValue: Double

    /// Tests `x` against `y` (milliseconds; not NaN). Nil when either sample is empty, as there is nothing
    /// to test (SciPy raises). Sorts copies of both: callers cap each side (20,000 samples).
    package init?(_ x: [Double], _ y: [Double]) {
        guard !x.isEmpty, !y.isEmpty else { return nil }
        let first = x.sorted()
        let second = y.sorted()
        // Walk both sorted samples as one pooled sample, group by group of equal values.
        var firstIndex = 0
        var secondIndex = 0
        var rankSum = 0.0
        var tieTerm = 0.0
        while firstIndex < first.count || secondIndex < second.count {
            let value: Double
            if secondIndex == second.count || (firstIndex < first.count && first[firstIndex] <= second[secondIndex]) {
                value = first[firstIndex]
            } else {
                value = second[secondIndex]
            }
            let pooledStart = firstIndex + secondIndex
            var firstCount = 0
            while firstIndex < first.count && first[firstIndex] == value {
                firstIndex += 1
                firstCount += 1
            }
            while secondIndex < second.count && second[secondIndex] == value {
                secondIndex += 1
            }
            let tied = Double(firstIndex + secondIndex - pooledStart)
            // Ranks pooledStart + 1 ... pooledStart + tied, averaged.
            rankSum += Double(firstCount) * (Double(pooledStart) + (tied + 1) / 2)
            tieTerm += tied * tied * tied - tied
        }
        let n1 = Double(first.count)
        let n2 = Double(second.count)
        let n = n1 + n2
        let u1 = rankSum - n1 * (n1 + 1) / 2
        u = u1
        let variance = n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else {
            pValue = 1
            return
        }
        let z = (max(u1, n1 * n2 - u1) - n1 * n2 / 2 - 0.5) / variance.squareRoot()
        pValue = min(1, 2 * NormalDistribution.survival(z))
    }
}
