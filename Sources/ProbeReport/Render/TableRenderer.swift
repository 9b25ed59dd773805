/// Renders a ``Report`` as aligned text for a terminal, every line at most ``width`` characters (100 by
/// default; much narrower than that, the numeric columns of a table alone may not fit).
///
/// The order follows what an engineer reads first: a header paragraph (span in UTC, samples kept of read,
/// sources, filters, and any skipped or torn lines with where they are and why), then the verdicts, one
/// compact block per comparison, then the groups table for the compared metric (samples, availability,
/// p50, p90, p99, mean, standard deviation, jitter, errors), the phases table (p50 of each phase), and the
/// edge PoPs each path reached. Nil values are shown as `-`.
///
/// When the first grouping dimension is the site, each site (with its region) heads its rows instead of
/// taking a column; otherwise the region is shown beside the site in the site column. Key cells that
/// would push a table past ``width`` are truncated with `…`. Names go through ``DisplayText/visible(_:)``: a
/// line break or escape sequence in a name shows as `\n` or `\u{1b}`.
public struct TableRenderer: Sendable {
    /// The longest a line may be, in characters (60 at least).
    public var width: Int
    /// How many skipped or torn lines the header quotes.
    public var badLineLimit: Int
    /// How many PoP changes are listed per path.
    public var popChangeLimit: Int

    /// Makes a renderer for lines of at most `width` characters.
    public init(width: Int = 100, badLineLimit: Int = 5, popChangeLimit: Int = 3) {
        self.width = width
        self.badLineLimit = badLineLimit
        self.popChangeLimit = popChangeLimit
    }

    /// The report as text, ending with a newline.
    public func render(_ report: Report) -> String {
        let sections = [header(report), verdicts(report), groups(report), phases(report), pops(report)]
        return sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n") + "\n"
    }

    /// ``width``, raised to 60.
    private var lineWidth: Int { max(60, width) }

    // MARK: - Sections

    /// The header paragraph and the first bad lines.
    private func header(_ report: Report) -> [String] {
        let input = report.input
        let sources = "\(input.sources.count) \(input.sources.count == 1 ? "source" : "sources")"
        let filters = input.filters.isEmpty ? "none" : input.filters.map(DisplayText.visible).joined(separator: ", ")
        var paragraph =
            "peering-probe report: " + DisplayText.span(input) + ". \(input.kept) samples kept of "
            + "\(input.parsed) read (\(input.lines) lines) from \(sources). Filters: \(filters)."
        if input.skipped + input.torn > 0 {
            paragraph += " \(input.skipped) lines skipped, \(input.torn) torn" + (input.badLines.isEmpty ? "." : ":")
        }
        var lines = DisplayText.pack([paragraph], width: lineWidth)
        let shown = input.badLines.prefix(badLineLimit)
        for bad in shown {
            let text =
                "  " + DisplayText.visible(bad.source) + ":\(bad.line): " + (bad.torn ? "torn: " : "")
                + DisplayText.visible(bad.reason) + ": \"" + DisplayText.visible(bad.excerpt) + "\""
            lines.append(DisplayText.truncated(text, to: lineWidth))
        }
        let unlisted = input.skipped + input.torn - shown.count
        if !shown.isEmpty, unlisted > 0 { lines.append("  … and \(unlisted) more") }
        return lines
    }

    /// One block per comparison: what is compared, the verdict, the numbers behind it.
    private func verdicts(_ report: Report) -> [String] {
        var lines = DisplayText.pack(
            [
                "VERDICTS", "\(report.comparedMetric.rawValue), Peering Service minus internet",
                "needs p < 0.01 and |Δ median| ≥ " + DisplayText.minimumEffect(report.minimumEffect),
            ],
            separator: " · ", width: lineWidth
        )
        if report.comparisons.isEmpty {
            lines.append("  no site and target has both a Peering Service and an internet path")
        }
        for comparison in report.comparisons {
            lines.append("")
            lines += DisplayText.pack(
                [DisplayText.comparisonTitle(comparison, escape: DisplayText.visible)], width: lineWidth,
                continuation: "    "
            )
            lines += DisplayText.pack(["→ " + comparison.verdict.text], width: lineWidth, indent: "  ")
            lines += DisplayText.pack(
                DisplayText.comparisonDetails(comparison), separator: " · ", width: lineWidth, indent: "  "
            )
        }
        return lines
    }

    /// The groups table of the compared metric.
    private func groups(_ report: Report) -> [String] {
        let metric = report.comparedMetric
        let title = DisplayText.pack(
            [
                "GROUPS", "\(metric.rawValue) in ms over answered samples",
                "by " + report.grouping.map(\.rawValue).joined(separator: ", "),
            ],
            separator: " · ", width: lineWidth
        )
        let headers = ["samples", "avail%", "p50", "p90", "p99", "mean", "sd", "jitter", "errors"]
        return title
            + keyedTable(report, headers: headers, textColumns: [8], textMinimumWidth: 16) { group in
                let stats = group.metrics.first { $0.metric == metric }
                return [
                    "\(group.samples)",
                    group.samples == 0 ? "-" : DisplayText.fixed(group.availability * 100, decimals: 2),
                    DisplayText.orDash(stats?.p50), DisplayText.orDash(stats?.p90), DisplayText.orDash(stats?.p99),
                    DisplayText.orDash(stats?.mean), DisplayText.orDash(stats?.stddev),
                    DisplayText.orDash(stats?.jitter),
                    DisplayText.errors(group.errors),
                ]
            }
    }

    /// The phases table: the p50 of each phase per group.
    private func phases(_ report: Report) -> [String] {
        let metrics: [Metric] = [.dns, .connect, .tls, .request, .wait, .transfer, .ttfb, .total]
        let title = DisplayText.pack(
            ["PHASES", "p50 in ms over answered samples"], separator: " · ", width: lineWidth
        )
        return title
            + keyedTable(report, headers: metrics.map(\.rawValue), textColumns: []) { group in
                metrics.map { metric in DisplayText.orDash(group.metrics.first { $0.metric == metric }?.p50) }
            }
    }

    /// The PoPs each path reached, with the first changes.
    private func pops(_ report: Report) -> [String] {
        var lines = DisplayText.pack(
            ["POPS", "share of answered samples per edge PoP (- : no PoP header)"], separator: " · ",
            width: lineWidth
        )
        if report.pops.isEmpty { lines.append("  no PoP information") }
        for usage in report.pops {
            let place =
                [usage.site, usage.target].compactMap(\.self).map(DisplayText.visible)
                + [DisplayText.visible(usage.path) + " (" + DisplayText.visible(usage.pathType) + ")"]
            let shares = usage.counts.isEmpty ? "no PoP seen" : DisplayText.visible(DisplayText.popShares(usage))
            lines += DisplayText.pack(
                [place.joined(separator: " · ") + ", \(usage.answered) answered: " + shares],
                width: lineWidth, continuation: "    "
            )
            if usage.changeCount == 0 {
                lines.append("  no PoP change")
                continue
            }
            let listed = usage.changes.prefix(popChangeLimit).map { change in
                DisplayText.dateTime(change.timestamp) + " " + DisplayText.visible(change.from) + "→"
                    + DisplayText.visible(change.to)
            }
            let count = "\(usage.changeCount) " + (usage.changeCount == 1 ? "change" : "changes")
            guard let first = listed.first else {
                lines.append("  " + count)
                continue
            }
            let lead = count + (usage.changeCount > listed.count ? ", first \(listed.count)" : "") + ": " + first
            let parts = [lead] + listed.dropFirst()
            lines += DisplayText.pack(
                parts.indices.map { parts[$0] + ($0 < parts.count - 1 ? "," : "") }, width: lineWidth, indent: "  ",
                continuation: "    "
            )
        }
        return lines
    }

    // MARK: - Tables

    /// A table with one row per group: the key columns, then `headers` filled by `cells`. Columns of
    /// `headers` are right-aligned except `textColumns`, which may be narrowed like the key columns, but
    /// only below `textMinimumWidth` once the key columns are as narrow as their headers.
    private func keyedTable(
        _ report: Report, headers: [String], textColumns: Set<Int>, textMinimumWidth: Int = 6,
        cells: (GroupStats) -> [String]
    ) -> [String] {
        guard !report.groups.isEmpty else { return ["  no samples"] }
        let grouping = report.grouping
        let sections = grouping.first == .site
        let regionBeside = grouping.contains(.site) && !grouping.contains(.region)
        let keyColumns = grouping.indices.filter { !(sections && $0 == 0) }
        func key(_ group: GroupStats, _ index: Int) -> String {
            let value = index < group.key.count ? group.key[index] ?? "-" : "-"
            guard grouping[index] == .site, regionBeside, let region = group.region else { return value }
            return value + " (" + region + ")"
        }
        let keyCount = keyColumns.count
        var table = TextTable(header: keyColumns.map { grouping[$0].rawValue } + headers)
        table.rows = report.groups.map { group in keyColumns.map { key(group, $0) } + cells(group) }
        table.rightAligned = Set(headers.indices.filter { !textColumns.contains($0) }.map { $0 + keyCount })
        table.shrinkable = Set(0..<keyCount).union(textColumns.map { $0 + keyCount })
        table.maxLineWidth = lineWidth - (sections ? 2 : 0)
        for column in textColumns { table.columnMinimumWidths[column + keyCount] = textMinimumWidth }
        let tableLines = table.lines()
        guard sections else { return tableLines }
        var lines = ["  " + tableLines[0]]
        var current: String?
        for (group, line) in zip(report.groups, tableLines.dropFirst()) {
            let heading = DisplayText.visible(key(group, 0))
            if heading != current {
                lines.append(DisplayText.truncated(heading, to: lineWidth))
                current = heading
            }
            lines.append("  " + line)
        }
        return lines
    }
}
