import ProbeCore
import ProbeReport

/// The compact per-target table `probe` prints on a terminal: medians of the phases over the samples of
/// each (target, path), statuses seen, and the first error.
struct SummaryTable {
    /// The round's samples.
    let samples: [Sample]
    /// The round's jobs, in schedule order.
    let jobs: [ProbeJob]

    func render() -> String {
        var table = TextTable(header: [
            "target", "path", "ok", "status", "dns", "connect", "tls", "wait", "total",
            "error",
        ])
        table.rightAligned = [2, 4, 5, 6, 7, 8]
        var byJob: [String: [Sample]] = [:]
        for sample in samples { byJob[sample.target + "\u{0}" + sample.path.name, default: []].append(sample) }
        for job in jobs {
            let group = byJob[job.target.name + "\u{0}" + job.path.name] ?? []
            let answered = group.filter { $0.status != nil }
            var statuses: [Int] = []
            for status in group.compactMap(\.status) where !statuses.contains(status) { statuses.append(status) }
            func median(_ phase: KeyPath<Phases, Int64?>) -> String {
                let values = answered.compactMap { $0.phases[keyPath: phase] }.sorted()
                guard !values.isEmpty else { return "-" }
                let middle = values.count / 2
                let micros = values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
                return Self.milliseconds(micros)
            }
            let firstError = group.compactMap(\.error).first.map { "\($0.kind.rawValue): \($0.message)" } ?? ""
            table.rows.append([
                job.target.name, job.path.name, "\(group.filter(\.ok).count)/\(group.count)",
                statuses.isEmpty ? "-" : statuses.map(String.init).joined(separator: ","),
                median(\.dns), median(\.connect), median(\.tls), median(\.wait), median(\.total),
                String(firstError.prefix(60)),
            ])
        }
        return table.render() + "\n(medians in ms over answered samples)"
    }

    /// `12.3` from microseconds, one decimal.
    static func milliseconds(_ micros: Int64) -> String {
        let tenths = (micros + 50) / 100
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
