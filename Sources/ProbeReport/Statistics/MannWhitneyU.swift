/// The Mann-Whitney U test of two independent samples, two-sided, by the normal approximation with tie and
/// continuity correction: the unpaired test of a comparison.
///
/// It computes what `scipy.stats.mannwhitneyu(x, y, alternative="two-sided", method="asymptotic",
/// use_continuity=True)` does (SciPy 1.17): `U1 = R1 - n1 (n1 + 1) / 2` from the average ranks of `x` in
/// the pooled sample, `U = max(U1, n1 n2 - U1)`,
/// `z = (U - n1 n2 / 2 - 0.5) / sqrt(n1 n2 / 12 * ((n + 1) - sum(t^3 - t) / (n (n - 1))))` over the tie
/// group sizes `t`, and `p = min(1, 2 * sf(z))`. The reported statistic is SciPy's, `U1` (of `x`, the
/// first sample).
///
/// The test needs only how often each distinct value occurs on each side, so whole-microsecond samples can be
/// tested from their counts (``init(counts:counts:)``, or ``Accumulator`` one distinct value at a time) in
/// memory per distinct value; the result is the same as for the samples themselves, in any unit.
package struct MannWhitneyU: Sendable, Hashable {
    /// `U1`: the number of pairs `(x_i, y_j)` with `x_i > y_j`, ties counting one half.
    package var u: Double
    /// The two-sided p-value, in 0...1; 1 when every value is the same (the variance is zero and SciPy's
    /// infinite z gives 1 as well).
    package var pValue: Double

    /// Tests `x` against `y` (milliseconds; not NaN). Nil when either sample is empty, as there is nothing
    /// to test (SciPy raises). Sorts copies of both: the report counts instead (`init?(counts:counts:)`).
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
        self.init(firstCount: first.count, secondCount: second.count, rankSum: rankSum, tieTerm: tieTerm)
    }

    /// Tests the sample counted by `x` against the one counted by `y`: each lists the distinct values of its
    /// sample (whole microseconds, or any whole unit) in strictly ascending order with how often each occurs
    /// (counts of 0 are skipped), as the report counts them. Nil when either sample is empty.
    /// The same result as ``init(_:_:)`` on the samples written out, in memory per distinct value.
    package init?(counts x: [(value: Int64, count: Int)], counts y: [(value: Int64, count: Int)]) {
        var accumulator = Accumulator()
        var firstIndex = 0
        var secondIndex = 0
        // Merge the two ascending lists into the pooled sample's distinct values.
        while firstIndex < x.count || secondIndex < y.count {
            if secondIndex == y.count || (firstIndex < x.count && x[firstIndex].value < y[secondIndex].value) {
                accumulator.add(value: x[firstIndex].value, xCount: x[firstIndex].count, yCount: 0)
                firstIndex += 1
            } else if firstIndex == x.count || y[secondIndex].value < x[firstIndex].value {
                accumulator.add(value: y[secondIndex].value, xCount: 0, yCount: y[secondIndex].count)
                secondIndex += 1
            } else {
                accumulator.add(value: x[firstIndex].value, xCount: x[firstIndex].count, yCount: y[secondIndex].count)
                firstIndex += 1
                secondIndex += 1
            }
        }
        guard let result = accumulator.result() else { return nil }
        self = result
    }

    /// The test from its sums: `firstCount` (`n1`) and `secondCount` (`n2`) samples, both at least 1;
    /// `rankSum`, the sum of the average ranks of the first sample in the pooled one (`R1`); and `tieTerm`,
    /// the sum over groups of equal values of `t^3 - t`.
    init(firstCount: Int, secondCount: Int, rankSum: Double, tieTerm: Double) {
        let n1 = Double(firstCount)
        let n2 = Double(secondCount)
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
