/// Renders a ``Report`` as GitHub-flavoured Markdown, to paste into a ticket.
///
/// The content is the table renderer's, without a width limit: a header paragraph, the skipped and torn
/// lines, the verdicts as a bullet list (the verdict in bold, the numbers behind it as a sub-item), then pipe
/// tables of the groups (with the region in a column of its own), of the phases, and of the PoPs. Every
/// name goes through ``DisplayText/markdown(_:)``: control characters are escaped and Markdown or HTML
/// punctuation (`|` included) is backslash-escaped, so a name renders literally and cannot break a table.
public struct MarkdownRenderer: Sendable {
    /// How many skipped or torn lines are quoted.
    public var badLineLimit: Int
    /// How many PoP changes are listed per path.
    public var popChangeLimit: Int

    /// Makes a renderer.
    public init(badLineLimit: Int = 5, popChangeLimit: Int = 3) {
        self.badLineLimit = badLineLimit
        self.popChangeLimit = popChangeLimit
    }

    /// The report as Markdown, ending with a newline.
    public func render(_ report: Report) -> String {
        let sections = [header(report), verdicts(report), groups(report), phases(report), pops(report)]
        return sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }

    // MARK: - Sections

    /// Title, header paragraph and the first bad lines.
    private func header(_ report: Report) -> [String] {
        let input = report.input
        let filters =
            input.filters.isEmpty ? "none" : input.filters.map { DisplayText.markdown($0) }.joined(separator: ", ")
        var lines = [
            "# peering-probe report",
            "",
            DisplayText.span(input)
                + " · \(input.kept) samples kept of \(input.parsed) read (\(input.lines) lines) from "
                + "\(input.sources.count) \(input.sources.count == 1 ? "source" : "sources") · filters: " + filters,
        ]
        guard input.skipped + input.torn > 0 else { return lines }
        lines += ["", "**\(input.skipped) lines skipped, \(input.torn) torn**" + (input.badLines.isEmpty ? "" : ":")]
        let shown = input.badLines.prefix(badLineLimit)
        if !shown.isEmpty { lines.append("") }
        for bad in shown {
            let place: String = DisplayText.markdown(bad.source, atLineStart: true) + ":\(bad.line): "
            let why: String = (bad.torn ? "torn: " : "") + DisplayText.markdown(bad.reason)
            lines.append("- " + place + why + ": \"" + DisplayText.markdown(bad.excerpt) + "\"")
        }
        let unlisted = input.skipped + input.torn - shown.count
        if !shown.isEmpty, unlisted > 0 { lines.append("- … and \(unlisted) more") }
        return lines
    }

    /// The verdicts as a bullet list.
    private func verdicts(_ report: Report) -> [String] {
        var lines = [
            "## Verdicts",
            "",
            "\(report.comparedMetric.rawValue), Peering Service minus internet; a verdict needs p < 0.01 and a "
                + "difference of at least " + DisplayText.minimumEffect(report.minimumEffect) + ".",
            "",
        ]
        if report.comparisons.isEmpty {
            lines.append("No site and target has both a Peering Service and an internet path.")
        }
        for comparison in report.comparisons {
            lines.append(
                "- **" + comparison.verdict.text + "**: "
                    + DisplayText.comparisonTitle(comparison) { DisplayText.markdown($0) }
            )
            lines.append("  - " + DisplayText.comparisonDetails(comparison).joined(separator: " · "))
        }
        return lines
    }

    /// The groups table of the compared metric.
    private func groups(_ report: Report) -> [String] {
        let metric = report.comparedMetric
        let headers = ["samples", "answered", "ok", "avail %", "p50", "p90", "p99", "mean", "sd", "jitter", "errors"]
        let intro =
            "\(metric.rawValue) in ms over answered samples, by "
            + report.grouping.map(\.rawValue).joined(separator: ", ") + "."
        return ["## Groups", "", intro, ""]
            + keyedTable(report, headers: headers, textColumns: [10]) { group in
                let stats = group.metrics.first { $0.metric == metric }
                return [
                    "\(group.samples)", "\(group.answered)", "\(group.ok)",
                    group.samples == 0 ? "-" : DisplayText.fixed(group.availability * 100, decimals: 2),
                    DisplayText.orDash(stats?.p50), DisplayText.orDash(stats?.p90), DisplayText.orDash(stats?.p99),
                    DisplayText.orDash(stats?.mean), DisplayText.orDash(stats?.stddev),
                    DisplayText.orDash(stats?.jitter),
                    group.errors.isEmpty ? "-" : DisplayText.errors(group.errors),
                ]
            }
    }

    /// The phases table: the p50 of each phase per group.
    private func phases(_ report: Report) -> [String] {
        let metrics: [Metric] = [.dns, .connect, .tls, .request, .wait, .transfer, .ttfb, .total]
        let intro = "p50 of each phase in ms over answered samples."
        return ["## Phases", "", intro, ""]
            + keyedTable(report, headers: metrics.map(\.rawValue), textColumns: []) {
                group in metrics.map { metric in DisplayText.orDash(group.metrics.first { $0.metric == metric }?.p50) }
            }
    }

    /// The PoPs table.
    private func pops(_ report: Report) -> [String] {
        var lines = ["## PoPs", "", "Share of answered samples per edge PoP (- : no PoP header).", ""]
        guard !report.pops.isEmpty else { return lines + ["No PoP information."] }
        let rows = report.pops.map { usage in
            let listed = usage.changes.prefix(popChangeLimit).map { change in
                DisplayText.dateTime(change.timestamp) + " " + change.from + "→" + change.to
            }
            return [
                usage.site ?? "-", usage.target, usage.path, usage.pathType, "\(usage.answered)",
                usage.counts.isEmpty ? "-" : DisplayText.popShares(usage), "\(usage.changeCount)",
                listed.isEmpty ? "-" : listed.joined(separator: ", ") + (usage.changeCount > listed.count ? ", …" : ""),
            ]
        }
        lines += Self.table(
            header: ["site", "target", "path", "path_type", "answered", "PoPs", "changes", "first changes"],
            rows: rows, rightAligned: [4, 6]
        )
        return lines
    }

    // MARK: - Tables

    /// A table with one row per group: the key columns (the region beside the site when the grouping has a
    /// site but no region), then `headers` filled by `cells`, right-aligned except `textColumns`.
    private func keyedTable(
        _ report: Report, headers: [String], textColumns: Set<Int>, cells: (GroupStats) -> [String]
    ) -> [String] {
        guard !report.groups.isEmpty else { return ["No samples."] }
        let grouping = report.grouping
        let regionBeside = grouping.contains(.site) && !grouping.contains(.region)
        var keyHeader: [String] = []
        for dimension in grouping {
            keyHeader.append(dimension.rawValue)
            if dimension == .site, regionBeside { keyHeader.append("region") }
        }
        let rows = report.groups.map { group in
            var row: [String] = []
            for (index, dimension) in grouping.enumerated() {
                row.append(index < group.key.count ? group.key[index] ?? "-" : "-")
                if dimension == .site, regionBeside { row.append(group.region ?? "-") }
            }
            return row + cells(group)
        }
        let rightAligned = Set(headers.indices.filter { !textColumns.contains($0) }.map { $0 + keyHeader.count })
        return Self.table(header: keyHeader + headers, rows: rows, rightAligned: rightAligned)
    }

    /// A GitHub pipe table; every cell through ``DisplayText/markdown(_:)``, short rows padded with empty cells.
    static func table(header: [String], rows: [[String]], rightAligned: Set<Int>) -> [String] {
        func line(_ cells: [String]) -> String {
            let padded = header.indices.map { $0 < cells.count ? DisplayText.markdown(cells[$0]) : "" }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let delimiter =
            "| "
            + header.indices.map { rightAligned.contains($0) ? "---:" : "---" }
            .joined(separator: " | ") + " |"
        return [line(header), delimiter] + rows.map(line)
    }
}
