import ProbeCore
import ProbeReport

/// The compact per-target table `probe` prints on a terminal, from a ``RoundSummary``.
struct SummaryTable {
    /// What to show.
    let summary: RoundSummary

    /// A table of `summary`.
    init(_ summary: RoundSummary) {
        self.summary = summary
    }

    /// The table, and a line saying what the figures are.
    func render() -> String {
        var table = TextTable(header: [
            "target", "path", "ok", "status", "dns", "connect", "tls", "wait", "total", "error",
        ])
        table.rightAligned = [2, 4, 5, 6, 7, 8]
        for row in summary.rows {
            let medians = row.medians
            let firstError = row.firstError.map { "\($0.kind.rawValue): \($0.message)" } ?? ""
            table.rows.append([
                row.target, row.path, "\(row.ok)/\(row.count)",
                row.statuses.isEmpty ? "-" : row.statuses.map(String.init).joined(separator: ","),
                Self.milliseconds(medians.dns), Self.milliseconds(medians.connect), Self.milliseconds(medians.tls),
                Self.milliseconds(medians.wait), Self.milliseconds(medians.total), String(firstError.prefix(60)),
            ])
        }
        return table.render() + "\n(medians in ms over answered samples)"
    }

    /// `12.3` from microseconds, one decimal; `-` when there is no value.
    static func milliseconds(_ micros: Double?) -> String {
        micros.map { DisplayText.fixed($0 / 1_000, decimals: 1) } ?? "-"
    }
}
