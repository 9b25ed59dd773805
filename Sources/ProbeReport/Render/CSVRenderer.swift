import ProbeCore

/// Renders the groups of a ``Report`` as RFC 4180 CSV: one header row, then one row per group and metric.
///
/// Columns, in order: one per grouping dimension, named by ``GroupDimension/rawValue`` (`site`, `target`,
/// `path_type`, ...); `region` (left out when the grouping already has it); `metric`; the group's
/// `samples`, `answered`, `ok` and `availability` (a fraction from 0 to 1, repeated on each metric's row);
/// the metric's `count`, `p50`, `p90`, `p95`, `p99`, `min`, `max`, `mean`, `stddev`, `spread` and `jitter`
/// in milliseconds; the group's `first_ts` and `last_ts` (RFC 3339 UTC); and its `errors` as
/// `kind:count;kind:count`, most frequent first.
///
/// Numbers are written by ``MachineText/number(_:)``: the shortest text that reads back as the same value, with
/// `.` as the decimal separator; milliseconds are rounded to the nanosecond (6 decimals) first. A nil value, a
/// nil key and a NaN or infinite number are an empty field.
/// Records end with CRLF; fields holding a comma, a quote, CR or LF are quoted, quotes doubled. A text cell
/// (a group's key, its region) that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a `'` in
/// front (``MachineText/csvText(_:)``), so a spreadsheet never runs it as a formula; the JSON document keeps
/// the raw value, and numbers are never changed.
///
/// Only groups are written: comparisons, PoPs and the input summary are in the JSON document
/// (``JSONRenderer``); a CSV of comparisons may come later as a variant.
public struct CSVRenderer: Sendable {
    /// Makes a renderer.
    public init() {}

    /// The header row's column names for a report grouped on `grouping`.
    public static func columns(grouping: [GroupDimension]) -> [String] {
        grouping.map(\.rawValue) + (grouping.contains(.region) ? [] : ["region"]) + [
            "metric", "samples", "answered", "ok", "availability", "count", "p50", "p90", "p95", "p99", "min",
            "max", "mean", "stddev", "spread", "jitter", "first_ts", "last_ts", "errors",
        ]
    }

    /// The report's groups as CSV, every record ending with CRLF.
    public func render(_ report: Report) -> String {
        var out = Self.record(Self.columns(grouping: report.grouping))
        let regionColumn = !report.grouping.contains(.region)
        for group in report.groups {
            let key = report.grouping.indices.map { index in
                let value = index < group.key.count ? group.key[index] ?? "" : ""
                return report.grouping[index] == .asn ? value : MachineText.csvText(value)
            }
            let errors = group.errors.map { "\($0.kind.rawValue):\($0.count)" }.joined(separator: ";")
            for stats in group.metrics {
                let values =
                    [stats.p50, stats.p90, stats.p95, stats.p99, stats.min, stats.max, stats.mean]
                    + [stats.stddev, stats.spread, stats.jitter]
                out += Self.record(
                    key + (regionColumn ? [MachineText.csvText(group.region ?? "")] : []) + [
                        stats.metric.rawValue, String(group.samples), String(group.answered), String(group.ok),
                        MachineText.csvNumber(group.availability), String(stats.count),
                    ] + values.map { MachineText.csvNumber($0.map(MachineText.nanosecondRounded)) } + [
                        Timestamp.rfc3339(microseconds: group.firstTimestamp),
                        Timestamp.rfc3339(microseconds: group.lastTimestamp), errors,
                    ]
                )
            }
        }
        return out
    }

    /// One CSV record with its CRLF.
    private static func record(_ fields: [String]) -> String {
        fields.map(MachineText.csvField).joined(separator: ",") + "\r\n"
    }
}
