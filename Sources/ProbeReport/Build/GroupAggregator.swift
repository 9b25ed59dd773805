internal import ProbeCore

/// Computes the per-group statistics: groups are unions of series (by the series-level dimensions of
/// `--by`), split further by PoP, hour or day when those are asked for. Groups are computed one at a time on
/// every core, so only one group's values per thread are in memory at once.
struct GroupAggregator {
    let table: SampleTable
    let grouping: [GroupDimension]
    let threads: Int
    /// Bytes one group's values may take in memory; a larger group's quantiles come from counts (see
    /// ``LaneCounts``).
    let budget: Int

    /// The quantiles every metric reports, in the order `MetricStats` is filled.
    static let quantiles = [0.1, 0.5, 0.9, 0.95, 0.99]

    /// One series-level group: its key and its series.
    struct Work: Sendable {
        var key: [String?]
        var series: [Int]
    }

    /// The series-level groups, each computed by ``aggregate(_:)`` (on any thread).
    func work() -> [Work] {
        var order: [[String?]] = []
        var members: [[String?]: [Int]] = [:]
        for (index, series) in table.series.enumerated() {
            let key = grouping.map { series.key.value(for: $0) }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(index)
        }
        return order.map { Work(key: $0, series: members[$0]!) }
    }

    /// The groups of every work item, in key order.
    static func ordered(_ groups: [[GroupStats]]) -> [GroupStats] {
        groups.flatMap { $0 }.sorted { keyPrecedes($0.key, $1.key) }
    }

    /// Every group on every core.
    func groups() throws(ReportError) -> [GroupStats] {
        let aggregator = self
        return Self.ordered(
            try Parallel.map(work(), threads: threads) { item throws(ReportError) in try aggregator.aggregate(item) })
    }

    /// The statistics of one series-level group (several when per-sample dimensions split it).
    func aggregate(_ item: Work) throws(ReportError) -> [GroupStats] {
        try Self.aggregate(key: item.key, series: item.series, table: table, grouping: grouping, budget: budget)
    }

    static func keyPrecedes(_ a: [String?], _ b: [String?]) -> Bool {
        for (x, y) in zip(a, b) where x != y {
            guard let x else { return true }
            guard let y else { return false }
            return x < y
        }
        return false
    }

    /// One series-level group, split by the per-sample dimensions when there are any.
    private static func aggregate(
        key: [String?], series: [Int], table: SampleTable, grouping: [GroupDimension], budget: Int
    ) throws(ReportError) -> [GroupStats] {
        let perSample = grouping.contains(where: \.isPerSample)
        let rows = series.reduce(0) { $0 + table.series[$1].rowCount }
        let keepsValues = rows * Metric.allCases.count * MemoryLayout<UInt32>.stride <= budget
        var collectors: [GroupCollector] = []
        var collectorIndex: [SubKey: Int] = [:]
        var regions: [String] = []
        /// Calls `body` with each row of the group and the collector it belongs to (made on first sight).
        func forEachRow(_ body: (StoredRow, Int, _ seriesStart: Bool) -> Void) throws(ReportError) {
            for index in series {
                var seriesStart = true
                try table.forEachRow(of: index) { row in
                    var slot = 0
                    if perSample {
                        let sub = SubKey(row: row, grouping: grouping)
                        if let existing = collectorIndex[sub] {
                            slot = existing
                        } else {
                            slot = collectors.count
                            collectorIndex[sub] = slot
                            collectors.append(
                                GroupCollector(
                                    key: sub.values(grouping: grouping, base: key, pops: table.popNames),
                                    keepsValues: keepsValues))
                        }
                    } else if collectors.isEmpty {
                        collectors.append(
                            GroupCollector(key: key, keepsValues: keepsValues, capacity: keepsValues ? rows : 0))
                    }
                    body(row, slot, seriesStart)
                    seriesStart = false
                }
            }
        }
        // Jitter is taken within the series: its previous values start empty for every collector.
        var jitter: [JitterState] = []
        try forEachRow { row, slot, seriesStart in
            if seriesStart { jitter = [JitterState](repeating: JitterState(), count: collectors.count) }
            while slot >= jitter.count { jitter.append(JitterState()) }
            collectors[slot].add(row, jitter: &jitter[slot])
        }
        for index in series {
            if let region = table.series[index].key.region, !regions.contains(region) { regions.append(region) }
        }
        let region = regions.isEmpty ? nil : regions.sorted().joined(separator: ", ")
        guard !keepsValues else { return collectors.indices.map { collectors[$0].finish(region: region) } }
        // Too many values to hold: per metric, count the distinct (collector, value) pairs in passes that fit.
        var counted = [[GroupCollector.Counted]](repeating: [], count: collectors.count)
        for metric in Metric.allCases {
            let found = try countedStatistics(metric, collectors: collectors, budget: budget, forEachRow: forEachRow)
            for index in collectors.indices { counted[index].append(found[index]) }
        }
        return collectors.indices.map { collectors[$0].finish(region: region, counted: counted[$0]) }
    }

    /// The quantiles and squared deviations of `metric` for each collector, from counts of its distinct values:
    /// one ``LaneCounts`` over (collector, value) pairs, so the collectors' values come out one collector after
    /// another in ascending order.
    private static func countedStatistics(
        _ metric: Metric, collectors: [GroupCollector], budget: Int,
        forEachRow: ((StoredRow, Int, Bool) -> Void) throws(ReportError) -> Void
    ) throws(ReportError) -> [GroupCollector.Counted] {
        let index = metric.index
        var resolvers = collectors.map {
            RankResolver(ranks: LaneRanks.quantileRanks(count: $0.counts[index], quantiles))
        }
        let means = collectors.map { $0.counts[index] > 0 ? Double($0.sums[index]) / Double($0.counts[index]) : 0 }
        var squares = [Double](repeating: 0, count: collectors.count)
        var counts = LaneCounts()
        try counts.forEachSlice(cap: max(budget / LaneCounts.bytesPerValue, 1)) { add throws(ReportError) in
            try withoutActuallyEscaping(add) { add throws(ReportError) in
                try forEachRow { row, slot, _ in
                    guard row.answered else { return }
                    let value = row.metrics[index]
                    guard value != ScannedLine.nullDuration else { return }
                    add(Int64(slot) << 32 | Int64(value), 0)
                }
            }
        } begin: { _, _ throws(ReportError) in
            true
        } slice: { entries throws(ReportError) in
            var start = 0
            while start < entries.count {
                let slot = Int(entries[start].value >> 32)
                var end = start
                var run: [(value: Int64, count: Int)] = []
                while end < entries.count, Int(entries[end].value >> 32) == slot {
                    let value = entries[end].value & 0xFFFF_FFFF
                    let delta = Double(value) - means[slot]
                    squares[slot] += Double(entries[end].first) * delta * delta
                    run.append((value, entries[end].first))
                    end += 1
                }
                resolvers[slot].consume(run)
                start = end
            }
        }
        return collectors.indices.map { slot in
            let count = collectors[slot].counts[index]
            let values = count > 0 ? resolvers[slot].values() : []
            return GroupCollector.Counted(
                quantiles: count > 0 ? LaneRanks.quantiles(count: count, quantiles, values: values) : [],
                squares: squares[slot])
        }
    }
}

/// The per-sample part of a group key: PoP id, UTC hour and UTC day, as asked for.
private struct SubKey: Hashable {
    var pop: UInt32 = 0
    var hour: Int64 = 0
    var day: Int64 = 0

    init(row: StoredRow, grouping: [GroupDimension]) {
        if grouping.contains(.pop) { pop = row.pop }
        let seconds = row.timestamp >= 0 ? row.timestamp / 1_000_000 : (row.timestamp - 999_999) / 1_000_000
        if grouping.contains(.hour) { hour = seconds >= 0 ? seconds / 3_600 : (seconds - 3_599) / 3_600 }
        if grouping.contains(.day) { day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400 }
    }

    func values(grouping: [GroupDimension], base: [String?], pops: [String?]) -> [String?] {
        var key = base
        for (position, dimension) in grouping.enumerated() {
            switch dimension {
            case .pop: key[position] = pops[Int(pop)]
            case .hour: key[position] = String(Timestamp.rfc3339(microseconds: hour * 3_600_000_000).prefix(13))
            case .day: key[position] = String(Timestamp.rfc3339(microseconds: day * 86_400_000_000).prefix(10))
            default: break
            }
        }
        return key
    }
}
