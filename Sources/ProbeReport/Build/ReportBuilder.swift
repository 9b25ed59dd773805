/// Makes a ``Report`` from NDJSON sources: scans them on every core, merges what the threads found, then
/// computes groups, comparisons, PoP usage and chart data.
public struct ReportBuilder: Sendable {
    /// How the report is made.
    public var options: ReportOptions

    /// Makes a builder.
    public init(options: ReportOptions = ReportOptions()) {
        self.options = options
    }

    /// Reads `sources` and computes the report. Throws ``ReportError`` when a source cannot be read or no
    /// sample is left to report on; bad lines are counted in ``Report/input``, not thrown.
    public func build(sources: [InputSource]) throws(ReportError) -> Report {
        var timings = ReportTimings()
        return try build(sources: sources, timings: &timings)
    }

    /// ``build(sources:)``, also saying how long each phase took (for `Scripts/bench` and `--timings`).
    public func build(sources: [InputSource], timings: inout ReportTimings) throws(ReportError) -> Report {
        let started = ReportTimings.now()
        let scan = try ScanPhase.run(sources: sources, options: options)
        let table = SampleTable(workers: scan.workers)
        let input = scan.summary(sources: sources, filters: options.filter.descriptions)
        timings.scan = ReportTimings.now() - started
        guard input.kept > 0 else {
            let first = input.badLines.first.map { "\($0.source):\($0.line): \($0.reason)" }
            throw .noSamples(
                read: input.parsed, afterFilters: input.parsed > 0, skipped: input.skipped + input.torn,
                firstBadLine: first)
        }
        let groups = try GroupAggregator(
            table: table, grouping: options.grouping, threads: options.threads, budget: options.workBytesPerThread
        ).groups()
        timings.groups = ReportTimings.now() - started - timings.scan
        let analysis = TargetAnalysis(
            table: table, metric: options.metric, minimumEffect: options.minimumEffect,
            budget: options.workBytesPerThread)
        let results = try Parallel.map(analysis.places(), threads: options.threads) { place throws(ReportError) in
            try analysis.analyse(place)
        }
        timings.comparisons = ReportTimings.now() - started - timings.scan - timings.groups
        timings.spilledBytes = scan.workers.reduce(0) { $0 + $1.rows.spilledBytes }
        return Report(
            input: input, grouping: options.grouping, comparedMetric: options.metric,
            minimumEffect: options.minimumEffect, groups: groups, comparisons: results.flatMap(\.comparisons),
            pops: results.flatMap(\.pops), charts: results.map(\.charts))
    }
}
