extension WilcoxonSignedRank {
    /// Builds a ``WilcoxonSignedRank`` from counts of the differences' distinct magnitudes, one magnitude at a
    /// time, in constant memory.
    ///
    /// Call ``add(magnitude:positives:negatives:)`` once for each distinct nonzero magnitude `|d|`, in strictly
    /// ascending order, with how many differences of that magnitude are positive and how many negative, and
    /// ``addZeros(_:)`` for the zero differences (at any point, any number of times); the magnitudes may come
    /// in several slices (one pass over the data each) as long as every slice lies above the one before. Then
    /// read ``result()``. The result equals ``WilcoxonSignedRank/init(differences:)`` on the differences
    /// written out: the sums are the same `Double` sums, exact while the rank sum stays below 2^53 and rounded
    /// beyond.
    package struct Accumulator: Sendable, Hashable {
        /// How many nonzero differences were added.
        package private(set) var nonZeroCount = 0
        /// How many zero differences were added (the test drops them).
        package private(set) var zeroCount = 0
        /// The sum of the average ranks of the positive differences so far (`W+`).
        private var positiveRankSum = 0.0
        /// The sum over groups of equal magnitudes of `t^3 - t`.
        private var tieTerm = 0.0
        /// The last magnitude added, to check the order.
        private var lastMagnitude: Int64 = 0

        /// An accumulator with no differences yet.
        package init() {}

        /// Adds the distinct magnitude `magnitude` (above 0, and above every magnitude added before), which
        /// `positives` differences have as `+magnitude` and `negatives` as `-magnitude` (both at least 0).
        package mutating func add(magnitude: Int64, positives: Int, negatives: Int) {
            precondition(positives >= 0 && negatives >= 0, "negative count for magnitude \(magnitude)")
            precondition(magnitude > 0, "magnitude \(magnitude) is not above 0: add zeros with addZeros(_:)")
            precondition(
                magnitude > lastMagnitude, "magnitude \(magnitude) added after \(lastMagnitude): magnitudes must ascend"
            )
            lastMagnitude = magnitude
            let start = nonZeroCount
            let tied = Double(positives + negatives)
            // Ranks start + 1 ... start + tied, averaged.
            positiveRankSum += Double(positives) * (Double(start) + (tied + 1) / 2)
            tieTerm += tied * tied * tied - tied
            nonZeroCount += positives + negatives
        }

        /// Adds `count` (at least 0) zero differences: they count as differences, so that a series of only
        /// zeros has a result, but the test drops them (SciPy's `zero_method="wilcox"`).
        package mutating func addZeros(_ count: Int) {
            precondition(count >= 0, "negative count of zeros")
            zeroCount += count
        }

        /// The test of the differences added so far; nil while there are none, zero or not.
        package func result() -> WilcoxonSignedRank? {
            guard nonZeroCount + zeroCount > 0 else { return nil }
            return WilcoxonSignedRank(nonZeroCount: nonZeroCount, positiveRankSum: positiveRankSum, tieTerm: tieTerm)
        }
    }
}
