// TEMPORARY stand-in until the renderer branches are merged; deleted then.
public enum ReportFormat: String, CaseIterable, Sendable { case table, markdown, csv, json, html }
public enum ReportRendering {
    public static func render(_ report: Report, as format: ReportFormat) -> String {
        var out = "samples \(report.input.kept) skipped \(report.input.skipped) torn \(report.input.torn)\n"
        for bad in report.input.badLines { out += "\(bad.source):\(bad.line): \(bad.reason)\n" }
        for c in report.comparisons { out += "\(c.target) \(c.peering.path) vs \(c.internet.path): \(c.verdict.text)\n" }
        for g in report.groups {
            out += g.key.map { $0 ?? "-" }.joined(separator: " ") + " n=\(g.samples) p50=\(g[.total].p50 ?? -1)\n"
        }
        return out
    }
}
