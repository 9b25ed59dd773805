internal import ProbeCore

/// One path at one site and target, read once in time order: how many samples it has and when, the rounds each
/// agent probed it in (for pairing and common coverage), which PoPs it reached, and its chart line. Nothing per
/// sample is kept.
struct PathSummary {
    let name: String
    let type: String
    let isp: String?
    let asn: Int64?
    let prefix: String?
    /// The path's series (indices into the table), for further passes.
    let series: [Int]
    private(set) var count = 0
    private(set) var first = Int64.max
    private(set) var last = Int64.min
    /// The lowest and highest round each agent (by number) probed this path in, over samples whose pairing key
    /// fits (see ``pairKey(_:agent:)``).
    private(set) var rounds: [Int: (low: Int64, high: Int64)] = [:]
    /// The highest `n` over those samples (-1 when there are none): the width of a round in a dense pairing index.
    private(set) var highestN: Int64 = -1
    private(set) var pops: PopUsage
    private(set) var timeSeries: TimeSeries

    /// Reads the path's rows once; `bucket` is the chart's time bucket (µs); `record` is given every answered
    /// value of the metric (µs), for the CDF.
    init(
        name: String, type: String, series: [Int], table: SampleTable, metric: Metric, bucket: Int64,
        site: String?, target: String, record: (UInt32) -> Void
    ) throws(ReportError) {
        self.name = name
        self.type = type
        self.series = series
        let key = table.series[series[0]].key
        isp = key.isp
        asn = key.asn
        prefix = key.prefix
        // By PoP id (dense from 0, "no PoP"): an array rather than a dictionary, as it counts every answered row.
        var popCounts = [Int](repeating: 0, count: table.popNames.count)
        var answered = 0
        var changes: [PopChange] = []
        var changeCount = 0
        var currentPop: UInt32 = 0
        var points: [TimePoint] = []
        var bucketStart = Int64.min
        var bucketValues: [UInt32] = []
        func closeBucket() {
            guard !bucketValues.isEmpty else { return }
            let median = Quantiles.continuous(&bucketValues, at: [0.5])[0] / 1_000
            points.append(TimePoint(bucketStart: bucketStart, count: bucketValues.count, median: median))
            bucketValues.removeAll(keepingCapacity: true)
        }
        var count = 0
        var first = Int64.max
        var last = Int64.min
        // By agent number (dense from 0), an array rather than a dictionary: this runs for every row.
        var ranges = [(low: Int64, high: Int64)?](repeating: nil, count: (table.agentNumbers.max() ?? 0) + 1)
        var highestN: Int64 = -1
        try PathCursor.forEach(series: series, table: table) { row, agent in
            count += 1
            first = min(first, row.timestamp)
            last = max(last, row.timestamp)
            if Self.pairKey(row, agent: agent) != nil {
                let current = ranges[agent] ?? (row.round, row.round)
                ranges[agent] = (min(current.low, row.round), max(current.high, row.round))
                highestN = max(highestN, row.n)
            }
            let start = Self.floor(row.timestamp, bucket)
            if start != bucketStart {
                closeBucket()
                bucketStart = start
            }
            let value = Self.value(row, metric: metric)
            if value != ScannedLine.nullDuration {
                bucketValues.append(value)
                record(value)
            }
            guard row.answered else { return }
            answered += 1
            popCounts[Int(row.pop)] += 1
            guard row.pop != 0 else { return }
            if currentPop != 0, row.pop != currentPop {
                changeCount += 1
                if changes.count < PopUsage.changeListLimit {
                    changes.append(
                        PopChange(
                            timestamp: row.timestamp, from: table.popNames[Int(currentPop)] ?? "",
                            to: table.popNames[Int(row.pop)] ?? ""))
                }
            }
            currentPop = row.pop
        }
        closeBucket()
        self.count = count
        self.first = first
        self.last = last
        self.highestN = highestN
        for (agent, range) in ranges.enumerated() {
            if let range { rounds[agent] = range }
        }
        let list = popCounts.indices.filter { popCounts[$0] > 0 }
            .map { PopCount(pop: table.popNames[$0], count: popCounts[$0]) }
            .sorted { ($0.count, $1.pop ?? "") > ($1.count, $0.pop ?? "") }
        pops = PopUsage(
            site: site, target: target, path: name, pathType: type, answered: answered, counts: list,
            changes: changes, changeCount: changeCount)
        timeSeries = TimeSeries(path: name, pathType: type, points: points)
    }

    /// The compared metric of a row (µs), `nullDuration` when unanswered or null.
    static func value(_ row: StoredRow, metric: Metric) -> UInt32 {
        row.answered ? row.metrics[metric.index] : ScannedLine.nullDuration
    }

    /// (agent, round, n) packed for pairing samples of two paths; nil when a part does not fit.
    static func pairKey(_ row: StoredRow, agent: Int) -> UInt64? {
        guard row.round >= 0, row.round < 1 << 32, row.n >= 0, row.n < 1 << 16, agent < 1 << 16 else { return nil }
        return UInt64(agent) << 48 | UInt64(row.round) << 16 | UInt64(row.n)
    }

    private static func floor(_ value: Int64, _ width: Int64) -> Int64 {
        value >= 0 ? value / width * width : (value - width + 1) / width * width
    }
}
