internal import ProbeCore
internal import Synchronization

/// Everything a report says per site and target: comparisons of each Peering Service path with each internet
/// path, PoP usage per path, and the chart data. Each site and target is read once, path by path.
struct TargetAnalysis {
    let table: SampleTable
    let metric: Metric
    let minimumEffect: MinimumEffect
    /// Bytes one place's analysis may hold at once.
    let budget: Int

    /// A site and target, with the series of each path (in series order).
    struct Place: Sendable {
        var site: String?
        var region: String?
        var target: String
        var paths: [(name: String, type: String, series: [Int])]
    }

    /// The results for one place.
    struct Result: Sendable {
        var comparisons: [Comparison]
        var pops: [PopUsage]
        var charts: TargetCharts
    }

    /// The places in the table, in series order.
    func places() -> [Place] {
        var places: [Place] = []
        var index: [PlaceKey: Int] = [:]
        for (position, series) in table.series.enumerated() {
            let key = PlaceKey(site: series.key.site, target: series.key.target)
            let at: Int
            if let existing = index[key] {
                at = existing
            } else {
                at = places.count
                index[key] = at
                places.append(
                    Place(site: series.key.site, region: series.key.region, target: series.key.target, paths: []))
            }
            if let path = places[at].paths.firstIndex(where: {
                $0.name == series.key.path && $0.type == series.key.pathType
            }) {
                places[at].paths[path].series.append(position)
            } else {
                places[at].paths.append((series.key.path, series.key.pathType, [position]))
            }
        }
        return places
    }

    private struct PlaceKey: Hashable {
        var site: String?
        var target: String
    }

    /// A path read once (``PathSummary``), with the first pass of its type's CDF tally.
    struct SummarizedPath: Sendable {
        var summary: PathSummary
        var tally: LaneCounts
    }

    /// The chart bucket of a place: from the span of all its series.
    private func bucket(_ place: Place) -> Int64 {
        let allSeries = place.paths.flatMap(\.series)
        let first = allSeries.map { table.series[$0].first }.min() ?? 0
        let last = allSeries.map { table.series[$0].last }.max() ?? 0
        return Self.bucketWidth(span: last - first)
    }

    /// The path types of a place two to a CDF tally, in ``PathType`` order.
    private func typePairs(_ place: Place) -> [[String]] {
        let types = PathType.allCases.map(\.rawValue).filter { type in place.paths.contains { $0.type == type } }
        return stride(from: 0, to: types.count, by: 2).map { Array(types[$0..<min($0 + 2, types.count)]) }
    }

    /// Reads path `index` of `place` once. Paths are independent of each other, so they can be read on any
    /// thread; ``analyse(_:paths:)`` then compares them. The path's CDF counts are kept only while `pool` (bytes
    /// shared by every path waiting for its comparison) has room for them; else the CDF reads the path again.
    func summarize(_ place: Place, path index: Int, pool: borrowing Atomic<Int>) throws(ReportError)
        -> SummarizedPath
    {
        let path = place.paths[index]
        let pairs = typePairs(place)
        let lane = pairs.first { $0.contains(path.type) }?.firstIndex(of: path.type) ?? 0
        var tally = LaneCounts(cap: budget / 2 / LaneCounts.bytesPerValue)
        let summary = try PathSummary(
            name: path.name, type: path.type, series: path.series, table: table, metric: metric,
            bucket: bucket(place), site: place.site, target: place.target
        ) { tally.add(Int64($0), lane: lane) }
        let bytes = tally.heldBytes
        if pool.subtract(bytes, ordering: .relaxed).newValue < 0 {
            pool.add(bytes, ordering: .relaxed)
            tally.dropCounts()
        }
        return SummarizedPath(summary: summary, tally: tally)
    }

    /// Analyses one place whose paths were read (``summarize(_:path:)``, in path order).
    func analyse(_ place: Place, paths: [SummarizedPath]) throws(ReportError) -> Result {
        let sides = paths.map(\.summary)
        var cdfs: [CDFSeries] = []
        for lanes in typePairs(place) {
            var tally = LaneCounts(cap: budget / 2 / LaneCounts.bytesPerValue)
            for path in paths where lanes.contains(path.summary.type) { tally.merge(path.tally) }
            cdfs += try self.cdfs(sides, types: lanes, tally: &tally)
        }
        var comparisons: [Comparison] = []
        for peering in sides where peering.type == PathType.peeringService.rawValue {
            for internet in sides where internet.type == PathType.internet.rawValue {
                let outcome = try PathComparison(
                    peering: peering, internet: internet, table: table, metric: metric, budget: budget
                ).outcome()
                comparisons.append(compare(outcome, place: place))
            }
        }
        return Result(
            comparisons: comparisons, pops: sides.map(\.pops),
            charts: TargetCharts(
                site: place.site, target: place.target, cdfs: cdfs, bucketMicroseconds: bucket(place),
                timeSeries: sides.map(\.timeSeries)))
    }

    // MARK: - Comparison

    private func compare(_ outcome: PathComparison.Outcome, place: Place) -> Comparison {
        let pSide = outcome.peering
        let iSide = outcome.internet
        let availabilityDifference = (pSide.availability - iSide.availability) * 100
        let verdict: Verdict
        if !outcome.enough || outcome.difference == nil || outcome.pValue == nil {
            verdict = .insufficientData
        } else if let difference = outcome.difference, let pValue = outcome.pValue, pValue < 0.01,
            abs(difference) >= minimumEffect.threshold(baseline: iSide.p50 ?? 0)
        {
            verdict =
                difference < 0
                ? .peeringFaster(milliseconds: -difference, pValue: pValue)
                : .internetFaster(milliseconds: difference, pValue: pValue)
        } else {
            verdict = .noSignificantDifference
        }
        func percent(_ delta: Double?, _ base: Double?) -> Double? {
            guard let delta, let base, base != 0 else { return nil }
            return delta / base * 100
        }
        let p90Difference = pSide.p90.flatMap { a in iSide.p90.map { a - $0 } }
        return Comparison(
            site: place.site, region: place.region, target: place.target, peering: pSide, internet: iSide,
            windowStart: outcome.windowStart, windowEnd: outcome.windowEnd, trimmedSamples: outcome.trimmed,
            paired: outcome.paired, pairs: outcome.pairs, medianDifference: outcome.difference,
            medianDifferencePercent: percent(outcome.difference, iSide.p50), p90Difference: p90Difference,
            p90DifferencePercent: percent(p90Difference, iSide.p90), availabilityDifference: availabilityDifference,
            confidenceLow: outcome.low, confidenceHigh: outcome.high, pValue: outcome.pValue, verdict: verdict)
    }

    // MARK: - Charts

    /// The CDF of the answered values of up to two path types, from a tally whose first pass the path
    /// summaries made (further passes, when the values do not fit, read the paths again).
    private func cdfs(_ sides: [PathSummary], types lanes: [String], tally: inout LaneCounts) throws(ReportError)
        -> [CDFSeries]
    {
        var ranks = LaneRanks(first: [])
        var totals = [0, 0]
        try tally.finish { add throws(ReportError) in
            for side in sides {
                guard let lane = lanes.firstIndex(of: side.type) else { continue }
                try PathCursor.forEach(series: side.series, table: table) { row, _ in
                    let value = PathSummary.value(row, metric: metric)
                    if value != ScannedLine.nullDuration { add(Int64(value), lane) }
                }
            }
        } begin: { first, second throws(ReportError) in
            totals = [first, second]
            ranks = LaneRanks(first: Self.cdfRanks(count: first), second: Self.cdfRanks(count: second))
            return true
        } slice: { entries throws(ReportError) in
            ranks.consume(entries)
        }
        var cdfs: [CDFSeries] = []
        for (lane, type) in lanes.enumerated() where totals[lane] > 0 {
            let values = ranks.values(lane: lane)
            let points = zip(Self.cdfRanks(count: totals[lane]), values).map { rank, value in
                CDFPoint(milliseconds: Double(value) / 1_000, fraction: Double(rank + 1) / Double(totals[lane]))
            }
            cdfs.append(CDFSeries(pathType: type, count: totals[lane], points: points))
        }
        return cdfs
    }

    /// The ranks of about 200 points of an empirical CDF of `count` values: evenly spaced, always the last.
    static func cdfRanks(count: Int) -> [Int] {
        guard count > 0 else { return [] }
        let steps = min(count, 200)
        var ranks: [Int] = []
        for step in 1...steps {
            let rank = (step * count + steps - 1) / steps - 1
            if rank != ranks.last { ranks.append(rank) }
        }
        return ranks
    }

    /// A minute for spans up to 6 hours, an hour up to 14 days, else a day.
    static func bucketWidth(span: Int64) -> Int64 {
        let minute: Int64 = 60_000_000
        if span <= 6 * 60 * minute { return minute }
        if span <= 14 * 24 * 60 * minute { return 60 * minute }
        return 24 * 60 * minute
    }
}
