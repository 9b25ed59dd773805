/// Renders a ``Report`` as one self-contained HTML page: inline CSS and SVG charts, no scripts and nothing
/// loaded from anywhere, written as polyglot XHTML (well-formed XML that browsers read as HTML).
///
/// The page holds, in order: the header (time span, sources and counts, lines left out with the first ones
/// quoted, filters); the verdicts, one row per Peering Service / internet comparison; per site and target a
/// latency CDF per path type, the medians over time per path and the edge PoP mix; and the statistics of
/// every group. Every piece of data is escaped, whatever it holds.
public struct HTMLRenderer: Sendable {
    /// Makes a renderer.
    public init() {}

    /// The page for `report`.
    public func render(_ report: Report) -> String {
        var writer = HTMLWriter()
        writer.raw("<!DOCTYPE html>\n")
        writer.open("html", ["xmlns": "http://www.w3.org/1999/xhtml", "lang": "en", "xml:lang": "en"])
        writer.raw("\n")
        writer.element("head") { writer in
            writer.empty("meta", ["charset": "utf-8"])
            writer.empty("meta", ["name": "viewport", "content": "width=device-width, initial-scale=1"])
            writer.element("title", text: title(report))
            writer.element("style") { writer in writer.raw(HTMLStyleSheet.css) }
        }
        writer.element("body") { writer in
            HeaderSection.write(report, into: &writer)
            let ids = report.charts.indices.map { "target-\($0 + 1)" }
            VerdictSection.write(
                report,
                anchors: { site, target in
                    report.charts.firstIndex { $0.site == site && $0.target == target }.map { ids[$0] }
                }, into: &writer)
            writer.element("section", ["id": "targets"]) { writer in
                if report.charts.isEmpty {
                    writer.element("h2", text: "Charts per site and target")
                    writer.element(
                        "p", ["class": "empty-note"],
                        text: "No chart data: no answered samples left after the filters.")
                }
                for (charts, id) in zip(report.charts, ids) {
                    TargetSection.write(charts, id: id, report: report, into: &writer)
                }
            }
            GroupStatsSection.write(report, into: &writer)
            writer.element(
                "footer",
                text: "peering-probe report · a self-contained page: no scripts, nothing "
                    + "loaded from the network.")
        }
        writer.close("html")
        return writer.output
    }

    /// The page title: the report's name and its time span.
    private func title(_ report: Report) -> String {
        guard let first = report.input.firstTimestamp, let last = report.input.lastTimestamp else {
            return "Peering Service report"
        }
        return "Peering Service report, " + DisplayText.span(from: first, to: last)
    }
}
