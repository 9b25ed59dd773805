import ProbeCore

/// The statistics of every group: counts, availability and errors, the spread of the total time (and of the
/// compared metric when it is another one), and the median of every metric.
enum GroupStatsSection {
    /// Writes the section.
    static func write(_ report: Report, into writer: inout HTMLWriter) {
        writer.element("section", ["id": "groups"]) { writer in
            writer.element("h2", text: "Statistics per group")
            guard !report.groups.isEmpty else {
                writer.element("p", ["class": "empty-note"], text: "No samples left after the filters.")
                return
            }
            var detailed: [Metric] = [.total]
            if report.comparedMetric != .total { detailed.append(report.comparedMetric) }
            for metric in detailed { writeDetail(report, metric: metric, into: &writer) }
            writeMedians(report, into: &writer)
        }
    }

    /// Writes the table of counts and the distribution of `metric`.
    private static func writeDetail(_ report: Report, metric: Metric, into writer: inout HTMLWriter) {
        writer.element("h3", text: "Samples, availability and \(metric.rawValue) (ms)")
        let columns: [(String, (MetricStats) -> Double?)] = [
            ("p50", \.p50), ("p90", \.p90), ("p99", \.p99), ("mean", \.mean), ("stddev", \.stddev),
            ("jitter", \.jitter), ("max", \.max),
        ]
        writer.element("div", ["class": "scroll"]) { writer in
            writer.element("table", ["class": "stats"]) { writer in
                writer.element("thead") { writer in
                    writer.element("tr") { writer in
                        writeKeyHeaders(report.grouping, into: &writer)
                        for title in ["Samples", "Answered", "Available"] {
                            writer.element("th", ["class": "num"], text: title)
                        }
                        writer.element("th", text: "Errors")
                        for (title, _) in columns { writer.element("th", ["class": "num"], text: title) }
                    }
                }
                writer.element("tbody") { writer in
                    for group in report.groups {
                        writer.element("tr") { writer in
                            writeKeyCells(group, grouping: report.grouping, into: &writer)
                            writer.element("td", ["class": "num"], text: DisplayText.count(group.samples))
                            writer.element("td", ["class": "num"], text: DisplayText.count(group.answered))
                            writer.element(
                                "td", ["class": "num" + (group.availability < 0.99 ? " warn" : "")],
                                text: DisplayText.percent(fraction: group.availability))
                            writer.element("td", ["class": "errors"]) { writer in
                                if group.errors.isEmpty { writer.text("—") }
                                for (index, error) in group.errors.enumerated() {
                                    if index > 0 { writer.empty("br") }
                                    writer.text("\(error.kind.rawValue) \(DisplayText.count(error.count))")
                                }
                            }
                            let stats = group[metric]
                            for (_, value) in columns {
                                let text = value(stats).map(DisplayText.milliseconds) ?? "—"
                                writer.element("td", ["class": "num"], text: text)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes the table of every metric's median.
    private static func writeMedians(_ report: Report, into writer: inout HTMLWriter) {
        writer.element("h3", text: "Median of every phase (ms)")
        writer.element("div", ["class": "scroll"]) { writer in
            writer.element("table", ["class": "stats medians"]) { writer in
                writer.element("thead") { writer in
                    writer.element("tr") { writer in
                        writeKeyHeaders(report.grouping, into: &writer)
                        for metric in Metric.allCases {
                            let compared = metric == report.comparedMetric ? " compared" : ""
                            writer.element("th", ["class": "num" + compared], text: metric.rawValue)
                        }
                    }
                }
                writer.element("tbody") { writer in
                    for group in report.groups {
                        writer.element("tr") { writer in
                            writeKeyCells(group, grouping: report.grouping, into: &writer)
                            for metric in Metric.allCases {
                                let text = group[metric].p50.map(DisplayText.milliseconds) ?? "—"
                                writer.element("td", ["class": "num"], text: text)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Writes one header cell per grouping dimension.
    private static func writeKeyHeaders(_ grouping: [GroupDimension], into writer: inout HTMLWriter) {
        for dimension in grouping {
            writer.element("th", text: dimension == .pathType ? "path type" : dimension.rawValue)
        }
    }

    /// Writes the key cells of a group; the site cell carries the region, the path type cell its colour.
    private static func writeKeyCells(_ group: GroupStats, grouping: [GroupDimension], into writer: inout HTMLWriter) {
        for (index, dimension) in grouping.enumerated() {
            let value = index < group.key.count ? group.key[index] : nil
            writer.element("td", ["class": "key"]) { writer in
                if dimension == .pathType, let value {
                    LegendSwatch.write(color: ChartPalette.color(pathType: value), dash: nil, into: &writer)
                }
                writer.text(value ?? "—")
                if dimension == .site, let region = group.region {
                    writer.empty("br")
                    writer.element("span", ["class": "muted small"], text: region)
                }
            }
        }
    }
}
