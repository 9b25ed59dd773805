internal import ProbeCore

/// Everything a report says per site and target: comparisons of each Peering Service path with each internet
/// path, PoP usage per path, and the chart data. Each site and target is read once, path by path.
struct TargetAnalysis {
    let table: SampleTable
    let metric: Metric
    let minimumEffect: MinimumEffect

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

    /// Analyses one place.
    func analyse(_ place: Place) throws(ReportError) -> Result {
        var sides: [PathData] = []
        for path in place.paths {
            sides.append(
                try PathData(name: path.name, type: path.type, series: path.series, table: table, metric: metric))
        }
        var comparisons: [Comparison] = []
        for peering in sides where peering.type == PathType.peeringService.rawValue {
            for internet in sides where internet.type == PathType.internet.rawValue {
                comparisons.append(compare(peering, internet, place: place))
            }
        }
        let pops = sides.map { $0.popUsage(site: place.site, target: place.target, names: table.popNames) }
        return Result(comparisons: comparisons, pops: pops, charts: charts(sides, place: place))
    }

    // MARK: - Comparison

    private func compare(_ peering: PathData, _ internet: PathData, place: Place) -> Comparison {
        let (p, i) = PathData.commonCoverage(peering, internet)
        let trimmed = (peering.count - p.count) + (internet.count - i.count)
        // The window reported is the time the kept samples span (both paths).
        let spans = [p.span, i.span].compactMap { $0 }
        let start = spans.map(\.first).min() ?? max(peering.first, internet.first)
        let end = spans.map(\.last).max() ?? min(peering.last, internet.last)
        let pValues = p.values()
        let iValues = i.values()
        let pSide = peering.side(p, values: pValues)
        let iSide = internet.side(i, values: iValues)
        let availabilityDifference = (pSide.availability - iSide.availability) * 100

        var paired = false
        var pairs = 0
        var difference: Double?
        var low: Double?
        var high: Double?
        var pValue: Double?
        let enough = pValues.count >= 10 && iValues.count >= 10
        if enough {
            let differences = PathData.pairedDifferences(p, i)
            if differences.count * 2 >= min(pValues.count, iValues.count) {
                paired = true
                pairs = differences.count
                var work = differences
                difference = Quantiles.median(&work)
                pValue = WilcoxonSignedRank(differences: differences)?.pValue
                let interval = Bootstrap.pairedMedianInterval(
                    Bootstrap.evenlySpaced(differences, limit: Bootstrap.sampleLimit))
                low = interval?.low
                high = interval?.high
            } else if let pMedian = pSide.p50, let iMedian = iSide.p50 {
                difference = pMedian - iMedian
                pValue = MannWhitneyU(pValues, iValues)?.pValue
                let interval = Bootstrap.medianDifferenceInterval(
                    Bootstrap.evenlySpaced(pValues, limit: Bootstrap.sampleLimit),
                    Bootstrap.evenlySpaced(iValues, limit: Bootstrap.sampleLimit))
                low = interval?.low
                high = interval?.high
            }
        }
        let verdict: Verdict
        if !enough || difference == nil || pValue == nil {
            verdict = .insufficientData
        } else if let difference, let pValue, pValue < 0.01,
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
            windowStart: start, windowEnd: end, trimmedSamples: trimmed, paired: paired, pairs: pairs,
            medianDifference: difference, medianDifferencePercent: percent(difference, iSide.p50),
            p90Difference: p90Difference, p90DifferencePercent: percent(p90Difference, iSide.p90),
            availabilityDifference: availabilityDifference, confidenceLow: low, confidenceHigh: high, pValue: pValue,
            verdict: verdict)
    }

    // MARK: - Charts

    private func charts(_ sides: [PathData], place: Place) -> TargetCharts {
        var cdfs: [CDFSeries] = []
        for type in PathType.allCases {
            var values: [UInt32] = []
            for side in sides where side.type == type.rawValue { values += side.answeredValues() }
            guard !values.isEmpty else { continue }
            values.sort()
            cdfs.append(CDFSeries(pathType: type.rawValue, count: values.count, points: Self.cdfPoints(values)))
        }
        let first = sides.map(\.first).min() ?? 0
        let last = sides.map(\.last).max() ?? 0
        let bucket = Self.bucketWidth(span: last - first)
        let series = sides.map { side in
            TimeSeries(path: side.name, pathType: side.type, points: side.medians(bucket: bucket))
        }
        return TargetCharts(
            site: place.site, target: place.target, cdfs: cdfs, bucketMicroseconds: bucket,
            timeSeries: series)
    }

    /// About 200 points of an empirical CDF of sorted values (µs): evenly spaced ranks, always the last.
    static func cdfPoints(_ sorted: [UInt32]) -> [CDFPoint] {
        let count = sorted.count
        let steps = min(count, 200)
        var points: [CDFPoint] = []
        var previous = -1
        for step in 1...steps {
            let rank = (step * count + steps - 1) / steps - 1
            guard rank != previous else { continue }
            previous = rank
            points.append(
                CDFPoint(milliseconds: Double(sorted[rank]) / 1_000, fraction: Double(rank + 1) / Double(count)))
        }
        return points
    }

    /// A minute for spans up to 6 hours, an hour up to 14 days, else a day.
    static func bucketWidth(span: Int64) -> Int64 {
        let minute: Int64 = 60_000_000
        if span <= 6 * 60 * minute { return minute }
        if span <= 14 * 24 * 60 * minute { return 60 * minute }
        return 24 * 60 * minute
    }
}
