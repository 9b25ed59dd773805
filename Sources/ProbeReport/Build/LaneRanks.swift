internal import ProbeCore

/// The values at chosen ranks of each lane of ``LaneCounts``' ascending slices: ranks asked for before the
/// slices are read, values known after the last one (a ``RankResolver`` per lane).
struct LaneRanks {
    private var lanes: [RankResolver]

    /// Asks for `first` ranks of the first lane and `second` of the second (any order, repeats allowed).
    init(first: [Int], second: [Int] = []) {
        lanes = [RankResolver(ranks: first), RankResolver(ranks: second)]
    }

    /// Reads the next ascending slice.
    mutating func consume(_ slice: [LaneCounts.Entry]) {
        lanes[0].consume(slice.map { ($0.value, $0.first) })
        lanes[1].consume(slice.map { ($0.value, $0.second) })
    }

    /// The values of lane `lane`'s ranks, in the order asked.
    func values(lane: Int) -> [Int64] { lanes[lane].values() }

    /// The ranks of type-7 quantiles (DuckDB's `quantile_cont`) of `count` values: for each quantile the ranks
    /// either side of its position.
    static func quantileRanks(count: Int, _ quantiles: [Double]) -> [Int] {
        guard count > 0 else { return [] }
        return quantiles.flatMap { quantile -> [Int] in
            let at = Quantiles.position(of: quantile, count: count)
            return [at.low, at.high]
        }
    }

    /// The quantiles from the values at ``quantileRanks(count:_:)`` (the first of `values`), divided by `scale`.
    static func quantiles(count: Int, _ quantiles: [Double], values: [Int64], scale: Double = 1) -> [Double] {
        guard count > 0 else { return [] }
        return quantiles.enumerated().map { index, quantile in
            let at = Quantiles.position(of: quantile, count: count)
            return Quantiles.interpolate(Double(values[2 * index]), Double(values[2 * index + 1]), at.fraction)
                / scale
        }
    }
}
