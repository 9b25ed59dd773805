internal import Synchronization

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
        // Groups and comparisons are independent of each other: one queue of both on every core, the groups
        // (the default tables) first, so that a core that finishes early takes the next item whatever it is.
        let aggregator = GroupAggregator(
            table: table, grouping: options.grouping, threads: options.threads, budget: options.workBytesPerThread)
        let analysis = TargetAnalysis(
            table: table, metric: options.metric, minimumEffect: options.minimumEffect,
            budget: options.workBytesPerThread)
        let groupWork = aggregator.work()
        let places = analysis.places()
        let work = groupWork.indices.map { WorkItem.group($0) } + places.indices.map { WorkItem.place($0) }
        let groupsLeft = Atomic<Int>(groupWork.count)
        let groupsDone = Mutex<Double>(ReportTimings.now())
        let results = try Parallel.map(work, threads: options.threads) { item throws(ReportError) -> WorkResult in
            switch item {
            case .group(let index):
                let groups = try aggregator.aggregate(groupWork[index])
                if groupsLeft.subtract(1, ordering: .relaxed).newValue == 0 {
                    groupsDone.withLock { $0 = ReportTimings.now() }
                }
                return .groups(groups)
            case .place(let index):
                return .place(try analysis.analyse(places[index]))
            }
        }
        var groupResults: [[GroupStats]] = []
        var placeResults: [TargetAnalysis.Result] = []
        for result in results {
            switch result {
            case .groups(let groups): groupResults.append(groups)
            case .place(let place): placeResults.append(place)
            }
        }
        let groups = GroupAggregator.ordered(groupResults)
        let finished = ReportTimings.now()
        timings.groups = max(0, groupsDone.withLock { $0 } - started - timings.scan)
        timings.comparisons = finished - started - timings.scan - timings.groups
        timings.spilledBytes = scan.workers.reduce(0) { $0 + $1.rows.spilledBytes }
        return Report(
            input: input, grouping: options.grouping, comparedMetric: options.metric,
            minimumEffect: options.minimumEffect, groups: groups, comparisons: placeResults.flatMap(\.comparisons),
            pops: placeResults.flatMap(\.pops), charts: placeResults.map(\.charts))
    }
}

/// One item of the report's parallel work: a series-level group or a site and target.
private enum WorkItem: Sendable {
    case group(Int)
    case place(Int)
}

/// What one ``WorkItem`` gave.
private enum WorkResult: Sendable {
    case groups([GroupStats])
    case place(TargetAnalysis.Result)
}
