import ProbeCore

/// Renders a ``Report`` as one JSON document with stable snake_case keys, documented key by key in
/// <doc:ReportJSON> (schema `peering-probe-report/1`).
///
/// Keys are always present, in a fixed order; a value the report does not have is `null`, never left out,
/// and never NaN or infinite. Latencies are milliseconds (keys end in `_ms`), availabilities fractions from
/// 0 to 1, availability differences percentage points, timestamps RFC 3339 UTC strings with microseconds.
/// Chart data is not included. Keys may be added in a later `/1` document, never renamed or removed.
public struct JSONRenderer: Sendable {
    /// The value of the document's `schema` key.
    public static let schema = "peering-probe-report/1"

    /// Whether to indent the document (two spaces per level) or write it on one line.
    public var pretty: Bool

    /// Makes a renderer.
    public init(pretty: Bool = true) {
        self.pretty = pretty
    }

    /// The report as a JSON document, ending with a newline.
    public func render(_ report: Report) -> String {
        document(report).serialized(pretty: pretty) + "\n"
    }

    /// The report as a JSON value.
    package func document(_ report: Report) -> JSONValue {
        .object([
            ("schema", .string(Self.schema)),
            ("input", input(report.input)),
            ("grouping", .array(report.grouping.map { .string($0.rawValue) })),
            ("compared_metric", .string(report.comparedMetric.rawValue)),
            (
                "min_effect",
                .object([
                    ("ms", .number(report.minimumEffect.milliseconds)),
                    ("percent", .number(report.minimumEffect.percent)),
                ])
            ),
            ("comparisons", .array(report.comparisons.map(comparison))),
            ("groups", .array(report.groups.map { group($0, grouping: report.grouping) })),
            ("pops", .array(report.pops.map(pops))),
        ])
    }

    // MARK: - Parts

    /// The `input` object.
    private func input(_ input: InputSummary) -> JSONValue {
        .object([
            ("sources", .array(input.sources.map { .string($0) })),
            ("lines", JSONValue(input.lines)),
            ("parsed", JSONValue(input.parsed)),
            ("kept", JSONValue(input.kept)),
            ("skipped", JSONValue(input.skipped)),
            ("torn", JSONValue(input.torn)),
            (
                "bad_lines",
                .array(
                    input.badLines.map { bad in
                        .object([
                            ("source", .string(bad.source)),
                            ("line", JSONValue(bad.line)),
                            ("reason", .string(bad.reason)),
                            ("excerpt", .string(bad.excerpt)),
                            ("torn", .bool(bad.torn)),
                        ])
                    }
                )
            ),
            ("first_ts", JSONValue(timestamp: input.firstTimestamp)),
            ("last_ts", JSONValue(timestamp: input.lastTimestamp)),
            ("filters", .array(input.filters.map { .string($0) })),
        ])
    }

    /// One element of `comparisons`.
    private func comparison(_ comparison: Comparison) -> JSONValue {
        let interval: JSONValue
        if let low = comparison.confidenceLow, let high = comparison.confidenceHigh {
            interval = .array([JSONValue(milliseconds: low), JSONValue(milliseconds: high)])
        } else {
            interval = .null
        }
        return .object([
            ("site", JSONValue(comparison.site)),
            ("region", JSONValue(comparison.region)),
            ("target", .string(comparison.target)),
            ("peering", side(comparison.peering)),
            ("internet", side(comparison.internet)),
            (
                "window",
                .object([
                    ("start", JSONValue(timestamp: comparison.windowStart)),
                    ("end", JSONValue(timestamp: comparison.windowEnd)),
                    ("trimmed_samples", JSONValue(comparison.trimmedSamples)),
                ])
            ),
            ("paired", .bool(comparison.paired)),
            ("pairs", JSONValue(comparison.pairs)),
            ("median_diff_ms", JSONValue(milliseconds: comparison.medianDifference)),
            ("median_diff_pct", JSONValue(comparison.medianDifferencePercent)),
            ("p90_diff_ms", JSONValue(milliseconds: comparison.p90Difference)),
            ("p90_diff_pct", JSONValue(comparison.p90DifferencePercent)),
            ("availability_diff_pp", JSONValue(comparison.availabilityDifference)),
            ("ci95_ms", interval),
            ("p_value", JSONValue(comparison.pValue)),
            ("verdict", .string(comparison.verdict.code)),
            ("verdict_text", .string(comparison.verdict.text)),
        ])
    }

    /// The `peering` or `internet` object of a comparison.
    private func side(_ side: ComparisonSide) -> JSONValue {
        .object([
            ("path", .string(side.path)),
            ("isp", JSONValue(side.isp)),
            ("asn", JSONValue(side.asn)),
            ("prefix", JSONValue(side.prefix)),
            ("samples", JSONValue(side.samples)),
            ("answered", JSONValue(side.answered)),
            ("ok", JSONValue(side.ok)),
            ("availability", JSONValue(side.availability)),
            ("p50_ms", JSONValue(milliseconds: side.p50)),
            ("p90_ms", JSONValue(milliseconds: side.p90)),
        ])
    }

    /// One element of `groups`.
    private func group(_ group: GroupStats, grouping: [GroupDimension]) -> JSONValue {
        .object([
            (
                "key",
                .object(
                    grouping.enumerated().map { index, dimension in
                        (dimension.rawValue, JSONValue(index < group.key.count ? group.key[index] : nil))
                    }
                )
            ),
            ("region", JSONValue(group.region)),
            ("samples", JSONValue(group.samples)),
            ("answered", JSONValue(group.answered)),
            ("ok", JSONValue(group.ok)),
            ("availability", JSONValue(group.availability)),
            ("errors", .object(group.errors.map { ($0.kind.rawValue, JSONValue($0.count)) })),
            ("first_ts", JSONValue(timestamp: group.firstTimestamp)),
            ("last_ts", JSONValue(timestamp: group.lastTimestamp)),
            ("metrics", .object(group.metrics.map { ($0.metric.rawValue, metric($0)) })),
        ])
    }

    /// One metric of a group.
    private func metric(_ stats: MetricStats) -> JSONValue {
        .object([
            ("count", JSONValue(stats.count)),
            ("p50_ms", JSONValue(milliseconds: stats.p50)),
            ("p90_ms", JSONValue(milliseconds: stats.p90)),
            ("p95_ms", JSONValue(milliseconds: stats.p95)),
            ("p99_ms", JSONValue(milliseconds: stats.p99)),
            ("min_ms", JSONValue(milliseconds: stats.min)),
            ("max_ms", JSONValue(milliseconds: stats.max)),
            ("mean_ms", JSONValue(milliseconds: stats.mean)),
            ("stddev_ms", JSONValue(milliseconds: stats.stddev)),
            ("spread_ms", JSONValue(milliseconds: stats.spread)),
            ("jitter_ms", JSONValue(milliseconds: stats.jitter)),
        ])
    }

    /// One element of `pops`.
    private func pops(_ usage: PopUsage) -> JSONValue {
        .object([
            ("site", JSONValue(usage.site)),
            ("target", .string(usage.target)),
            ("path", .string(usage.path)),
            ("path_type", .string(usage.pathType)),
            ("answered", JSONValue(usage.answered)),
            (
                "counts",
                .array(usage.counts.map { .object([("pop", JSONValue($0.pop)), ("count", JSONValue($0.count))]) })
            ),
            ("change_count", JSONValue(usage.changeCount)),
            (
                "changes",
                .array(
                    usage.changes.map { change in
                        .object([
                            ("ts", JSONValue(timestamp: change.timestamp)),
                            ("from", .string(change.from)),
                            ("to", .string(change.to)),
                        ])
                    }
                )
            ),
        ])
    }
}
