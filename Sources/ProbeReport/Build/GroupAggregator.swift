internal import ProbeCore

/// Computes the per-group statistics: groups are unions of series (by the series-level dimensions of
/// `--by`), split further by PoP, hour or day when those are asked for. Groups are computed one at a time on
/// every core, so only one group's values per thread are in memory at once.
struct GroupAggregator {
    let table: SampleTable
    let grouping: [GroupDimension]
    let threads: Int

    /// The quantiles every metric reports, in the order `MetricStats` is filled.
    static let quantiles = [0.1, 0.5, 0.9, 0.95, 0.99]

    func groups() throws(ReportError) -> [GroupStats] {
        var order: [[String?]] = []
        var members: [[String?]: [Int]] = [:]
        for (index, series) in table.series.enumerated() {
            let key = grouping.map { series.key.value(for: $0) }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(index)
        }
        let table = self.table
        let grouping = self.grouping
        let work = order.map { (key: $0, series: members[$0]!) }
        let perGroup = try Parallel.map(work, threads: threads) { item throws(ReportError) in
            try Self.aggregate(key: item.key, series: item.series, table: table, grouping: grouping)
        }
        return perGroup.flatMap { $0 }.sorted { Self.keyPrecedes($0.key, $1.key) }
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
        key: [String?], series: [Int], table: SampleTable, grouping: [GroupDimension]
    ) throws(ReportError) -> [GroupStats] {
        let perSample = grouping.contains(where: \.isPerSample)
        var collectors: [GroupCollector] = []
        var collectorIndex: [SubKey: Int] = [:]
        var regions: [String] = []
        for index in series {
            if let region = table.series[index].key.region, !regions.contains(region) { regions.append(region) }
            // Jitter is taken within the series: its previous values start empty for every collector.
            var jitter = [JitterState](repeating: JitterState(), count: collectors.count)
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
                            GroupCollector(key: sub.values(grouping: grouping, base: key, pops: table.popNames)))
                    }
                } else if collectors.isEmpty {
                    collectors.append(
                        GroupCollector(key: key, capacity: series.reduce(0) { $0 + table.series[$1].rowCount }))
                }
                if slot >= jitter.count { jitter.append(JitterState()) }
                collectors[slot].add(row, jitter: &jitter[slot])
            }
        }
        let region = regions.isEmpty ? nil : regions.sorted().joined(separator: ", ")
        return collectors.indices.map { collectors[$0].finish(region: region) }
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
