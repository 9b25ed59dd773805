extension MannWhitneyU {
    /// Builds a ``MannWhitneyU`` from counts of the pooled sample's distinct values, one value at a time, in
    /// constant memory.
    ///
    /// Call ``add(value:xCount:yCount:)`` once for each distinct value of both samples together, in strictly
    /// ascending order, with how often it occurs in each; the values may come in several calls' worth of
    /// slices (one pass over the data each) as long as every slice lies above the one before. Then read
    /// ``result()``. The result equals ``MannWhitneyU/init(_:_:)`` on the samples written out: the sums are
    /// the same `Double` sums, exact while the rank sum stays below 2^53 and rounded beyond.
    package struct Accumulator: Sendable, Hashable {
        /// How many values of the first sample (`x`) were added.
        package private(set) var xCount = 0
        /// How many values of the second sample (`y`) were added.
        package private(set) var yCount = 0
        /// The sum of the average ranks of `x`'s values in the pooled sample so far.
        private var rankSum = 0.0
        /// The sum over groups of equal values of `t^3 - t`.
        private var tieTerm = 0.0
        /// The last value added, to check the order.
        private var lastValue: Int64?

        /// An accumulator with no values yet.
        package init() {}

        /// Adds the distinct value `value`, which occurs `xCount` times in the first sample and `yCount` times
        /// in the second (both at least 0). `value` must be above every value added before.
        package mutating func add(value: Int64, xCount: Int, yCount: Int) {
            precondition(xCount >= 0 && yCount >= 0, "negative count for value \(value)")
            if let lastValue {
                precondition(value > lastValue, "value \(value) added after \(lastValue): values must ascend")
            }
            lastValue = value
            let pooledStart = self.xCount + self.yCount
            let tied = Double(xCount + yCount)
            // Ranks pooledStart + 1 ... pooledStart + tied, averaged.
            rankSum += Double(xCount) * (Double(pooledStart) + (tied + 1) / 2)
            tieTerm += tied * tied * tied - tied
            self.xCount += xCount
            self.yCount += yCount
        }

        /// The test of the values added so far; nil while either sample is empty.
        package func result() -> MannWhitneyU? {
            guard xCount > 0, yCount > 0 else { return nil }
            return MannWhitneyU(firstCount: xCount, secondCount: yCount, rankSum: rankSum, tieTerm: tieTerm)
        }
    }
}
