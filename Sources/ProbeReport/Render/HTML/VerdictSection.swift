/// The verdicts, first thing after the header: one row per Peering Service / internet comparison with the
/// difference, its confidence interval and p-value, the test, both sides' medians and availability, and the
/// verdict coloured green (Peering Service faster), red (internet faster) or grey.
enum VerdictSection {
    /// Writes the section; `anchors` maps a comparison's site and target to the id of its chart section.
    static func write(_ report: Report, anchors: (String?, String) -> String?, into writer: inout HTMLWriter) {
        writer.element("section", ["id": "verdicts"]) { writer in
            writer.element("h2", text: "Verdicts: Peering Service against internet")
            guard !report.comparisons.isEmpty else {
                writer.element(
                    "p", ["class": "empty-note"],
                    text: "No Peering Service / internet pair to compare: a comparison needs samples of "
                        + "a peering-service path and of an internet path for the same site and target.")
                return
            }
            writeTally(report.comparisons, into: &writer)
            writer.element("div", ["class": "scroll"]) { writer in
                writer.element("table", ["class": "verdicts"]) { writer in
                    writer.element("thead") { writer in
                        writer.element("tr") { writer in
                            for (title, classes) in [
                                ("Site · target", nil), ("Peering Service path", "ps"),
                                ("Internet path", "inet"), ("Δ median (95% CI)", "num"), ("Test", nil),
                                ("Verdict", nil),
                            ] as [(String, String?)] {
                                writer.element("th", ["class": classes], text: title)
                            }
                        }
                    }
                    writer.element("tbody") { writer in
                        for comparison in report.comparisons {
                            writeRow(comparison, anchor: anchors(comparison.site, comparison.target), into: &writer)
                        }
                    }
                }
            }
            writer.element(
                "p", ["class": "note"],
                text: "Δ = Peering Service − internet, in ms and as % of the "
                    + "internet value; the interval is a 95% bootstrap interval of Δ median. Paired tests (Wilcoxon "
                    + "signed-rank) match samples of the same agent, round and request; unpaired ones use Mann-Whitney U. "
                    + "ok is the availability: the share of samples that succeeded.")
        }
    }

    /// The CSS class of a verdict's colour.
    static func tone(_ verdict: Verdict) -> String {
        switch verdict {
        case .peeringFaster: "good"
        case .internetFaster: "bad"
        case .noSignificantDifference, .insufficientData: "neutral"
        }
    }

    /// Writes the count of comparisons per verdict.
    private static func writeTally(_ comparisons: [Comparison], into writer: inout HTMLWriter) {
        let kinds: [(code: String, label: String, tone: String)] = [
            ("peering-faster", "Peering Service faster", "good"), ("internet-faster", "internet faster", "bad"),
            ("no-difference", "no significant difference", "neutral"),
            ("insufficient-data", "not enough samples", "neutral"),
        ]
        writer.element("p", ["class": "tally"]) { writer in
            writer.text(DisplayText.count(comparisons.count, "comparison") + ": ")
            for kind in kinds {
                let count = comparisons.filter { $0.verdict.code == kind.code }.count
                guard count > 0 else { continue }
                writer.element("span", ["class": "chip " + kind.tone], text: "\(count) \(kind.label)")
                writer.text(" ")
            }
        }
    }

    /// Writes one comparison's row.
    private static func writeRow(_ comparison: Comparison, anchor: String?, into writer: inout HTMLWriter) {
        let tone = tone(comparison.verdict)
        writer.element("tr", ["class": "verdict-row " + tone, "data-verdict": comparison.verdict.code]) { writer in
            writer.element("td", ["class": "target-cell"]) { writer in
                writer.element("div", ["class": "small"]) { writer in
                    writer.element("span", ["class": "site"], text: comparison.site ?? "no site")
                    if let region = comparison.region { writer.text(" · " + region) }
                }
                if let anchor {
                    writer.element("a", ["class": "target", "href": "#" + anchor], text: comparison.target)
                } else {
                    writer.element("span", ["class": "target"], text: comparison.target)
                }
                writer.element(
                    "div", ["class": "small nowrap"],
                    text: "window "
                        + DisplayText.shortSpan(from: comparison.windowStart, to: comparison.windowEnd))
                if comparison.trimmedSamples > 0 {
                    writer.element(
                        "div", ["class": "small warn"],
                        text: DisplayText.count(comparison.trimmedSamples, "sample") + " outside the "
                            + "common window left out")
                }
            }
            writeSide(comparison.peering, pathType: "peering-service", into: &writer)
            writeSide(comparison.internet, pathType: "internet", into: &writer)
            writer.element("td", ["class": "num"]) { writer in
                writer.element(
                    "span", ["class": "delta"],
                    text: delta(
                        comparison.medianDifference,
                        comparison.medianDifferencePercent))
                if let low = comparison.confidenceLow, let high = comparison.confidenceHigh {
                    writer.element(
                        "div", ["class": "small nowrap"],
                        text: "CI " + DisplayText.signedMilliseconds(low) + " to "
                            + DisplayText.signedMilliseconds(high) + " ms")
                }
                writer.element(
                    "div", ["class": "small nowrap"],
                    text: "Δ p90 " + delta(comparison.p90Difference, comparison.p90DifferencePercent))
                let availability = DisplayText.signedPercentagePoints(comparison.availabilityDifference)
                writer.element("div", ["class": "small nowrap"], text: "Δ availability " + availability)
            }
            writer.element("td") { writer in
                writer.element("span", ["class": "p"], text: comparison.pValue.map(DisplayText.pValue) ?? "no test")
                writer.element(
                    "div", ["class": "small nowrap"],
                    text: comparison.paired
                        ? "paired, " + DisplayText.count(comparison.pairs, "pair") : "unpaired")
            }
            writer.element("td", ["class": "verdict " + tone], text: comparison.verdict.text)
        }
    }

    /// Writes the cell of one side: path, provider, medians and availability.
    private static func writeSide(_ side: ComparisonSide, pathType: String, into writer: inout HTMLWriter) {
        writer.element("td", ["class": "side"]) { writer in
            LegendSwatch.write(color: ChartPalette.color(pathType: pathType), dash: nil, into: &writer)
            writer.element("span", ["class": "path-name"], text: side.path)
            let provider = [side.isp, side.asn.map { "AS\($0)" }, side.prefix].compactMap { $0 }
            if !provider.isEmpty {
                writer.element("div", ["class": "small"], text: provider.joined(separator: " · "))
            }
            writer.element(
                "div", ["class": "small nowrap"],
                text: "p50 " + DisplayText.millisecondsWithUnit(side.p50) + " · p90 "
                    + DisplayText.millisecondsWithUnit(side.p90))
            writer.element(
                "div", ["class": "small nowrap"],
                text: "ok " + DisplayText.percent(fraction: side.availability) + " ("
                    + DisplayText.count(side.ok) + "/" + DisplayText.count(side.samples) + ")")
        }
    }

    /// `-12.4 ms (-23.1%)`, or an em dash without a value.
    private static func delta(_ milliseconds: Double?, _ percent: Double?) -> String {
        guard let milliseconds else { return "—" }
        let relative = percent.map { " (" + DisplayText.signedPercent($0) + ")" } ?? ""
        return DisplayText.signedMilliseconds(milliseconds) + " ms" + relative
    }
}
