/// The section of one site and target: its verdicts in brief, the latency CDF per path type, the medians
/// over time per path, and the PoP mix.
enum TargetSection {
    /// The heading of a site and target: `ams · login.microsoftonline.com`, or the target alone.
    static func subject(site: String?, target: String) -> String {
        site.map { $0 + " · " + target } ?? target
    }

    /// Writes the section of `charts` with the anchor `id`.
    static func write(_ charts: TargetCharts, id: String, report: Report, into writer: inout HTMLWriter) {
        let subject = subject(site: charts.site, target: charts.target)
        writer.element("section", ["class": "target", "id": id]) { writer in
            writer.element("h2") { writer in
                if let site = charts.site {
                    writer.element("span", ["class": "site"], text: site)
                    writer.text(" · ")
                }
                writer.element("span", ["class": "target-name"], text: charts.target)
            }
            let comparisons = report.comparisons.filter { $0.site == charts.site && $0.target == charts.target }
            if !comparisons.isEmpty {
                writer.element("ul", ["class": "brief"]) { writer in
                    for comparison in comparisons {
                        writer.element("li", ["class": VerdictSection.tone(comparison.verdict)]) { writer in
                            writer.element("span", ["class": "path-name"], text: comparison.peering.path)
                            writer.text(" vs ")
                            writer.element("span", ["class": "path-name"], text: comparison.internet.path)
                            writer.text(": ")
                            writer.element("strong", text: comparison.verdict.text)
                        }
                    }
                }
            }
            writer.element("div", ["class": "charts"]) { writer in
                CDFChart(series: charts.cdfs, metric: report.comparedMetric, subject: subject).write(into: &writer)
                TimeSeriesChart(charts: charts, metric: report.comparedMetric, subject: subject).write(into: &writer)
            }
            let usages = report.pops.filter { $0.site == charts.site && $0.target == charts.target }
            PopMixView(usages: usages).write(into: &writer)
        }
    }
}
