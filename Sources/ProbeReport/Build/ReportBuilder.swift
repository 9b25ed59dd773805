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
        // Groups, and each path of each site and target, are independent of each other: one queue of them on
        // every core, the groups (the default tables) first, so that a core that finishes early takes the next
        // item whatever it is. Then the comparisons of each site and target, from its paths' summaries.
        let aggregator = GroupAggregator(
            table: table, grouping: options.grouping, threads: options.threads, budget: options.workBytesPerThread)
        let analysis = TargetAnalysis(
            table: table, metric: options.metric, minimumEffect: options.minimumEffect,
            budget: options.workBytesPerThread)
        let groupWork = aggregator.work()
        let places = analysis.places()
        let work =
            groupWork.indices.map { WorkItem.group($0) }
            + places.indices.flatMap { place in places[place].paths.indices.map { WorkItem.path(place, $0) } }
        let groupsLeft = Atomic<Int>(groupWork.count)
        let tallyPool = Atomic<Int>(options.tallyBytes)
        let groupsDone = Mutex<Double>(ReportTimings.now())
        let results = try Parallel.map(work, threads: options.threads) { item throws(ReportError) -> WorkResult in
            switch item {
            case .group(let index):
                let groups = try aggregator.aggregate(groupWork[index])
                if groupsLeft.subtract(1, ordering: .relaxed).newValue == 0 {
                    groupsDone.withLock { $0 = ReportTimings.now() }
                }
                return .groups(groups)
            case .path(let place, let path):
                return .path(try analysis.summarize(places[place], path: path, pool: tallyPool))
            }
        }
        var groupResults: [[GroupStats]] = []
        var paths: [TargetAnalysis.SummarizedPath] = []
        for result in results {
            switch result {
            case .groups(let groups): groupResults.append(groups)
            case .path(let path): paths.append(path)
            }
        }
        var firstPath = 0
        let placePaths = places.map { place in
            defer { firstPath += place.paths.count }
            return Array(paths[firstPath..<firstPath + place.paths.count])
        }
        let placeResults = try Parallel.map(Array(places.indices), threads: options.threads) {
            index throws(ReportError) in
            try analysis.analyse(places[index], paths: placePaths[index])
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

/// One item of the report's first parallel stage: a series-level group, or one path of a site and target.
private enum WorkItem: Sendable {
    case group(Int)
    case path(Int, Int)
}

/// What one ``WorkItem`` gave.
private enum WorkResult: Sendable {
    case groups([GroupStats])
    case path(TargetAnalysis.SummarizedPath)
}
