/// The top of the report: title, time span, what was read and left out (with the first bad lines quoted),
/// filters, grouping and the rule a verdict follows.
enum HeaderSection {
    /// Sources listed by name before the rest are counted.
    private static let sourceListLimit = 12

    /// Writes the header of `report`.
    static func write(_ report: Report, into writer: inout HTMLWriter) {
        let input = report.input
        writer.element("header", ["id": "summary"]) { writer in
            writer.element("h1", text: "Peering Service report")
            writer.element(
                "p", ["class": "lede"],
                text: "HTTP latency to Microsoft endpoints over Peering Service "
                    + "paths compared with internet paths. All times are UTC; Δ means Peering Service minus internet, "
                    + "so a negative Δ favours Peering Service.")
            writer.element("dl", ["class": "facts"]) { writer in
                writer.element("dt", text: "Time span")
                writer.element("dd") { writer in
                    if let first = input.firstTimestamp, let last = input.lastTimestamp {
                        writer.text(DisplayText.dateTime(first) + " – " + DisplayText.dateTime(last) + " UTC")
                        writer.element(
                            "span", ["class": "muted"],
                            text: " (" + DisplayText.shortDuration(microseconds: last - first) + ")")
                    } else {
                        writer.text("no samples")
                    }
                }
                writer.element("dt", text: "Sources")
                writer.element("dd") { writer in writeSources(input.sources, into: &writer) }
                writer.element("dt", text: "Samples")
                writer.element(
                    "dd",
                    text: DisplayText.count(input.lines, "line") + " read, "
                        + DisplayText.count(input.parsed, "sample") + " parsed, "
                        + DisplayText.count(input.kept) + " kept after filters")
                writer.element("dt", text: "Left out")
                writer.element(
                    "dd", ["class": input.skipped + input.torn > 0 ? "warn" : nil],
                    text: DisplayText.count(input.skipped, "unusable line") + ", "
                        + DisplayText.count(input.torn, "torn last line"))
                writer.element("dt", text: "Filters")
                writer.element("dd") { writer in
                    if input.filters.isEmpty {
                        writer.text("none")
                    } else {
                        for (index, filter) in input.filters.enumerated() {
                            if index > 0 { writer.text(", ") }
                            writer.element("code", text: filter)
                        }
                    }
                }
                writer.element("dt", text: "Groups")
                writer.element(
                    "dd",
                    text: report.grouping.map(\.rawValue).joined(separator: " × ")
                        + " (" + DisplayText.count(report.groups.count, "group") + ")")
                writer.element("dt", text: "Verdict rule")
                writer.element(
                    "dd",
                    text: "metric \(report.comparedMetric.rawValue) (\(report.comparedMetric.field)); "
                        + "a side is called faster when p < 0.01 and the median differs by at least max("
                        + ChartScale.label(report.minimumEffect.milliseconds) + " ms, "
                        + ChartScale.label(report.minimumEffect.percent) + "% of the internet median)")
            }
            if !input.badLines.isEmpty { writeBadLines(input.badLines, into: &writer) }
        }
    }

    /// The longest folder (ending in `/`) that holds every source, or "" when they share none.
    private static func commonFolder(_ sources: [String]) -> String {
        guard var prefix = sources.first.map(Array.init) else { return "" }
        for source in sources.dropFirst() {
            let characters = Array(source)
            var length = 0
            while length < min(prefix.count, characters.count), prefix[length] == characters[length] { length += 1 }
            prefix = Array(prefix[0..<length])
        }
        guard let slash = prefix.lastIndex(of: "/") else { return "" }
        return String(prefix[...slash])
    }

    /// Writes the source list, the first ``sourceListLimit`` by name.
    private static func writeSources(_ sources: [String], into writer: inout HTMLWriter) {
        guard !sources.isEmpty else {
            writer.text("none")
            return
        }
        // Many batch files from one folder: name the folder and the first and last file, not a wall of paths.
        let folder = commonFolder(sources)
        if sources.count > 3, !folder.isEmpty {
            writer.text(DisplayText.count(sources.count, "file") + " under ")
            writer.element("code", text: folder)
            writer.text(", from ")
            writer.element("code", text: String(sources[0].dropFirst(folder.count)))
            writer.text(" to ")
            writer.element("code", text: String(sources[sources.count - 1].dropFirst(folder.count)))
            return
        }
        writer.text(DisplayText.count(sources.count, "file") + ": ")
        for (index, source) in sources.prefix(sourceListLimit).enumerated() {
            if index > 0 { writer.text(", ") }
            writer.element("code", text: source)
        }
        if sources.count > sourceListLimit {
            writer.text(" and \(DisplayText.count(sources.count - sourceListLimit)) more")
        }
    }

    /// Writes the table of the first lines that were skipped or torn.
    private static func writeBadLines(_ lines: [BadLine], into writer: inout HTMLWriter) {
        writer.element("div", ["class": "scroll"]) { writer in
            writer.element("table", ["class": "bad-lines"]) { writer in
                writer.element("caption", text: "First lines left out")
                writer.element("thead") { writer in
                    writer.element("tr") { writer in
                        writer.element("th", text: "Where")
                        writer.element("th", text: "Why")
                        writer.element("th", text: "Line (start)")
                    }
                }
                writer.element("tbody") { writer in
                    for line in lines {
                        writer.element("tr") { writer in
                            writer.element("td") { writer in
                                writer.element("code", text: "\(line.source):\(line.line)")
                            }
                            writer.element("td", text: (line.torn ? "torn last line: " : "") + line.reason)
                            writer.element("td") { writer in
                                writer.element("code", ["class": "excerpt"], text: line.excerpt)
                            }
                        }
                    }
                }
            }
        }
    }
}
