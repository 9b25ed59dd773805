import Foundation
import ProbeCore
import TestSupport
import Testing

@testable import ProbeReport

/// The table, Markdown, CSV and JSON renderers, over ``TextReportFixture``; CSV and JSON are read back by
/// Python's own parsers.
@Suite("Text renderers")
struct TextRendererTests {
    /// The fixture.
    let report = TextReportFixture.report()

    // MARK: - Aligned table type

    @Test("TextTable aligns like the CLI's table: padded columns, numbers right, no trailing spaces")
    func textTableAlignment() {
        var table = TextTable(header: ["target", "path", "ms"])
        table.rows = [["graph", "ps-colt", "12.5"], ["login", "inet", "3.25"]]
        table.rightAligned = [2]
        #expect(table.render() == "target  path       ms\ngraph   ps-colt  12.5\nlogin   inet     3.25")
    }

    @Test("TextTable truncates with … to the column limits and narrows key columns to fit a line width")
    func textTableLimits() {
        var limited = TextTable(header: ["name", "n"], rows: [["abcdefghij", "1"]], rightAligned: [1])
        limited.maxColumnWidth = 5
        #expect(limited.lines() == ["name   n", "abcd…  1"])
        limited.maxColumnWidth = nil
        limited.columnWidthLimits = [0: 4]
        #expect(limited.lines() == ["name  n", "abc…  1"])

        let long = String(repeating: "k", count: 40)
        var fitted = TextTable(header: ["key", "other", "value"], rows: [[long, long, "123456"]], rightAligned: [2])
        fitted.maxLineWidth = 50
        let lines = fitted.lines()
        #expect(lines.allSatisfy { $0.count <= 50 }, "\(lines)")
        #expect(lines[1].hasSuffix("123456"), "numbers are never narrowed")
        #expect(lines[1].split(separator: " ").prefix(2).allSatisfy { $0.hasSuffix("…") && $0.count == 20 })
    }

    @Test("TextTable escapes line breaks and escape sequences in cells")
    func textTableEscapes() {
        let table = TextTable(header: ["name"], rows: [["a\nb\u{1b}[31m"]])
        #expect(table.lines() == ["name", "a\\nb\\u{1b}[31m"])
    }

    @Test("Packed lines never pass the width: parts kept whole, long parts broken at spaces, long words cut")
    func packing() {
        let parts = ["alpha beta", "gamma", String(repeating: "x", count: 25), "delta epsilon zeta eta theta"]
        let lines = DisplayText.pack(parts, separator: " · ", width: 20, indent: "  ", continuation: "    ")
        #expect(
            lines == [
                "  alpha beta · gamma", "    xxxxxxxxxxxxxxxx", "    xxxxxxxxx", "    delta epsilon",
                "    zeta eta theta",
            ])
        #expect(DisplayText.pack([], width: 10) == [""])
    }

    // MARK: - Table

    @Test("Every line of the table fits in 100 columns")
    func tableWidth() {
        let lines = TableRenderer().render(report).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 40)
        let long = lines.filter { $0.count > 100 }
        #expect(long.isEmpty, "lines over 100 columns: \(long)")
        // The groups table had to cut its key cells to fit.
        let groups = lines.drop { !$0.hasPrefix("GROUPS") }.prefix { !$0.hasPrefix("PHASES") }
        #expect(groups.count > 10 && groups.contains { $0.contains("…") })
    }

    @Test("Verdicts come first, one block per comparison, before the groups table")
    func tableVerdictsFirst() throws {
        let lines = TableRenderer().render(report).components(separatedBy: "\n")
        let verdicts = try #require(lines.firstIndex { $0.hasPrefix("VERDICTS") })
        let groups = try #require(lines.firstIndex { $0.hasPrefix("GROUPS") })
        let phases = try #require(lines.firstIndex { $0.hasPrefix("PHASES") })
        let pops = try #require(lines.firstIndex { $0.hasPrefix("POPS") })
        #expect(verdicts < groups && groups < phases && phases < pops)
        let expected = [
            "Peering Service faster by 12.4 ms (p < 0.001)", "internet path faster by 3.20 ms (p = 0.004)",
            "no significant difference", "not enough samples to compare",
        ]
        var previous = verdicts
        for text in expected {
            let index = try #require(lines.firstIndex { $0 == "  → " + text }, "missing verdict \(text)")
            #expect(previous < index && index < groups)
            previous = index
        }
        #expect(
            lines[verdicts..<groups].contains(
                "ams1 (westeurope) · graph: PS path 'ps-colt' (Colt, AS8220) vs "
                    + "internet 'inet-kpn' (KPN, AS1136)"))
    }

    @Test("The header names the span, the counts, the filters and the first bad lines")
    func tableHeader() {
        let text = TableRenderer().render(report)
        let header = String(text[..<(text.range(of: "VERDICTS")?.lowerBound ?? text.endIndex)])
        let paragraph = header.replacingOccurrences(of: "\n", with: " ")
        #expect(paragraph.contains("2026-11-28 08:00:00 to 2026-11-28 20:00:00 UTC (12 h 0 min)"))
        #expect(paragraph.contains("4812 samples kept of 4900 read (4903 lines) from 3 sources"))
        #expect(paragraph.contains("Filters: since=2026-11-28T08:00:00Z, target=graph,login."))
        #expect(paragraph.contains("2 lines skipped, 1 torn:"))
        #expect(header.contains("\n  /data/ams1/batch-0001.ndjson.gz:17: not JSON: \"{\"ts\": \"2026-11-28T08:0\""))
        #expect(header.contains("\n  -:4903: torn: unterminated string: "))
        #expect(header.contains("\n  /data/zrh-2/batch-0001.ndjson:230: target: expected a string: "))
        let wide = TableRenderer(width: 300).render(report)
        #expect(wide.contains("\"target\":\\u{1b}[31mred\\u{1b}[0m\"\n"), "the escape sequence is shown, not sent")
        #expect(!text.contains("\u{1b}") && !wide.contains("\u{1b}"))
    }

    @Test("Verdict details: differences, interval, availability, test, trimmed window, - for nil")
    func tableVerdictDetails() {
        let text = TableRenderer(width: 400).render(report)
        #expect(
            text.contains(
                "  median 40.0 vs 52.4 ms · Δ median -12.4 ms (-23.7%), 95% CI [-13.1, -11.8] ms · Δ p90 -15.5 ms "
                    + "(-23.7%) · availability 100.00% vs 99.15% (+0.85 pp) · Wilcoxon signed-rank (paired), 466 pairs · "
                    + "window trimmed to 2026-11-28 08:01:00 to 2026-11-28 20:00:00 UTC, 12 samples left out\n"
            ))
        #expect(text.contains("Mann-Whitney U (unpaired), 480 vs 480 answered\n"))
        #expect(
            text.contains(
                "  median 60.0 vs - ms · Δ median -, 95% CI - · Δ p90 - · availability 100.00% vs 37.50% (+62.50 pp)"
            ))
        #expect(text.components(separatedBy: "window trimmed").count == 2, "only the first comparison was trimmed")
    }

    @Test("Groups table: sites head their rows, key cells are truncated, errors and - for nil")
    func tableGroups() throws {
        let lines = TableRenderer().render(report).components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("GROUPS") })
        let end = try #require(lines.firstIndex { $0.hasPrefix("PHASES") })
        let table = Array(lines[start..<end])
        let header = try #require(table.first { $0.hasPrefix("  target") })
        #expect(
            header.split(separator: " ") == [
                "target", "path_type", "path", "samples", "avail%", "p50", "p90", "p99", "mean", "sd", "jitter",
                "errors",
            ])
        #expect(table.contains("ams1 (westeurope)") && table.contains("zrh-2 (switzerlandnorth)"))
        let ams = try #require(table.firstIndex(of: "ams1 (westeurope)"))
        let kpn = table[ams + 1]
        #expect(kpn.hasPrefix("  graph   internet   inet-"))
        #expect(
            kpn.split(separator: " ", maxSplits: 9).dropFirst(3).prefix(6) == [
                "480", "99.17", "52.4", "65.5", "104.8", "57.6",
            ])
        #expect(kpn.contains("  timeout 3"))
        let hostile = try #require(table.first { $0.contains("evil,") && $0.contains("login") })
        #expect(hostile.hasSuffix("  connect 4, tls…"), "the errors column is cut last, past 16 characters")
        #expect(!lines.contains { $0.hasPrefix("next") }, "the line break in the name does not break the row")
        let phases = Array(lines[end...])
        let tlsMissing = try #require(phases.first { $0.contains("evil") && $0.contains("login") })
        #expect(tlsMissing.split(separator: " ").contains("-"), "a metric without values shows -")
    }

    @Test("With the default grouping and usual names, the groups table fits 100 columns without cutting")
    func tableDefaultGrouping() throws {
        let lines = TableRenderer().render(TextReportFixture.defaultGroupedReport()).components(separatedBy: "\n")
        #expect(lines.allSatisfy { $0.count <= 100 })
        let groups = Array(lines.drop { !$0.hasPrefix("GROUPS") }.prefix { !$0.hasPrefix("PHASES") })
        #expect(groups.first == "GROUPS · total in ms over answered samples · by site, target, path_type")
        #expect(
            groups[1].split(separator: " ") == [
                "target", "path_type", "samples", "avail%", "p50", "p90", "p99", "mean", "sd", "jitter", "errors",
            ])
        #expect(groups.count == 15, "two more headings: one group's samples came from two regions")
        #expect(groups.contains("zrh-2 (switzerlandnorth, switzerlandwest)"))
        #expect(!groups.contains { $0.contains("…") })
        #expect(
            groups.contains(
                "  graph   internet             480   99.17  52.4  65.5  104.8  57.6  10.5    2.62  "
                    + "timeout 3, dns 1"))
        #expect(groups.contains { $0.hasPrefix("  login   peering-service      480  100.00  60.0") })
    }

    @Test("PoPs: shares per path, the number of changes and the first few")
    func tablePops() {
        let text = TableRenderer(width: 200).render(report)
        #expect(text.contains("ams1 · graph · ps-colt (peering-service), 480 answered: AMS 95.0%, LON 5.0%\n"))
        #expect(
            text.contains(
                "\n  25 changes, first 3: 2026-11-28 08:10:00 AMS→LON, 2026-11-28 08:20:00 LON→AMS, 2026-11-28 08:30:00 "
                    + "AMS→LON\n"
            ))
        #expect(text.contains("3 answered: ZRH 66.7%, - 33.3%\n"))
        #expect(text.components(separatedBy: "  no PoP change\n").count == 8, "seven paths without a change")
    }

    @Test("A report without samples renders every format")
    func emptyReport() throws {
        let empty = Report(
            input: InputSummary(
                sources: ["-"], lines: 0, parsed: 0, kept: 0, skipped: 0, torn: 0, badLines: [], firstTimestamp: nil,
                lastTimestamp: nil, filters: []
            ),
            grouping: GroupDimension.defaultGrouping, comparedMetric: .ttfb, minimumEffect: .default, groups: [],
            comparisons: [], pops: [], charts: []
        )
        let table = TableRenderer().render(empty)
        #expect(table.hasPrefix("peering-probe report: no samples. 0 samples kept of 0 read (0 lines) from 1 source."))
        #expect(table.contains("GROUPS · ttfb in ms over answered samples · by site, target, path_type\n  no samples"))
        #expect(MarkdownRenderer().render(empty).contains("## Groups"))
        #expect(
            CSVRenderer().render(empty) == CSVRenderer.columns(grouping: GroupDimension.defaultGrouping)
                .joined(separator: ",") + "\r\n")
        let parsed = try readJSON(JSONRenderer().render(empty))
        #expect(parsed.leaves["input.first_ts"] == ["null", ""])
        #expect(parsed.leaves["groups"] == ["array", "[]"])
        #expect(parsed.leaves["compared_metric"] == ["string", "ttfb"])
    }

    // MARK: - Markdown

    @Test("Markdown tables have as many cells in every row as in their header, pipes escaped")
    func markdownTables() throws {
        let lines = MarkdownRenderer().render(report).components(separatedBy: "\n")
        var tables: [[String]] = []
        var current: [String] = []
        for line in lines + [""] {
            if line.hasPrefix("|") {
                current.append(line)
            } else if !current.isEmpty {
                tables.append(current)
                current = []
            }
        }
        #expect(tables.count == 3)
        #expect(tables.map(\.count) == [10, 10, 10])
        for table in tables {
            let widths = table.map { Self.markdownCells($0).count }
            #expect(Set(widths).count == 1, "cells per row: \(widths) in \(table[0])")
            #expect(Self.markdownCells(table[1]).allSatisfy { $0 == "---" || $0 == "---:" })
        }
        let groupHeader = Self.markdownCells(tables[0][0])
        #expect(groupHeader.prefix(6) == ["site", "region", "target", "path\\_type", "path", "samples"])
        let hostile = try #require(tables[0].first { $0.contains("evil") })
        #expect(Self.markdownCells(hostile)[4] == "evil,\"quoted\"\\|\\<b\\>\\\\nnext")
        #expect(!lines.contains { $0.hasPrefix("next") })
    }

    @Test("Markdown verdicts are a bullet list with bold verdicts, before the tables")
    func markdownVerdicts() throws {
        let text = MarkdownRenderer().render(report)
        let groups = try #require(text.range(of: "\n## Groups\n"))
        let verdictSection = try #require(text.range(of: "\n## Verdicts\n"))
        #expect(verdictSection.lowerBound < groups.lowerBound)
        let bullets = text[verdictSection.upperBound..<groups.lowerBound].components(separatedBy: "\n")
            .filter { $0.hasPrefix("- **") }
        #expect(bullets.count == 4)
        #expect(
            bullets.first == "- **Peering Service faster by 12.4 ms (p < 0.001)**: ams1 (westeurope) · graph: "
                + "PS path 'ps-colt' (Colt, AS8220) vs internet 'inet-kpn' (KPN, AS1136)")
        #expect(
            bullets.last?.contains("internet 'evil,\"quoted\"\\|\\<b\\>\\\\nnext' (Init7 (Zürich), AS13030)")
                == true)
        #expect(text.contains("\n- \\-:4903: torn: unterminated string: "), "a source named - cannot start a list")
    }

    @Test("Markdown escaping keeps names literal: punctuation, HTML, control characters, list markers")
    func markdownEscaping() {
        #expect(DisplayText.markdown("a|b<c>*d_`e`&#") == "a\\|b\\<c\\>\\*d\\_\\`e\\`\\&\\#")
        #expect(DisplayText.markdown("two\nlines\u{1b}") == "two\\\\nlines\\\\u{1b}")
        #expect(DisplayText.markdown("- x") == "- x")
        #expect(DisplayText.markdown("- x", atLineStart: true) == "\\- x")
        #expect(DisplayText.markdown("12. x", atLineStart: true) == "12\\. x")
        #expect(DisplayText.markdown("12 x", atLineStart: true) == "12 x")
    }

    // MARK: - CSV

    @Test("CSV read back by Python's csv module: one row per group and metric, values and escaping intact")
    func csvRoundTrip() throws {
        let text = CSVRenderer().render(report)
        #expect(text.hasSuffix("\r\n"))
        let output = try PythonOracle.run(
            script: PythonOracle.script("parse_rendered.py"), arguments: ["csv"], input: Data(text.utf8)
        )
        let rows = try JSONDecoder().decode([[String]].self, from: Data(output.utf8))
        let header = [
            "site", "target", "path_type", "path", "region", "metric", "samples", "answered", "ok", "availability",
            "count", "p50", "p90", "p95", "p99", "min", "max", "mean", "stddev", "spread", "jitter", "first_ts",
            "last_ts", "errors",
        ]
        #expect(rows.first == header)
        #expect(rows.count == 1 + 8 * 8)
        #expect(rows.allSatisfy { $0.count == header.count })
        func row(_ path: String, _ target: String, _ metric: String) throws -> [String: String] {
            let found = try #require(rows.first { $0[3] == path && $0[1] == target && $0[5] == metric })
            return Dictionary(uniqueKeysWithValues: zip(header, found))
        }
        let kpn = try row("inet-kpn", "graph", "total")
        #expect(kpn["site"] == "ams1" && kpn["region"] == "westeurope" && kpn["path_type"] == "internet")
        #expect(kpn["samples"] == "480" && kpn["answered"] == "477" && kpn["ok"] == "476")
        #expect(kpn["availability"].flatMap(Double.init) == 476.0 / 480.0)
        #expect(kpn["p50"].flatMap(Double.init) == 52.4)
        #expect(kpn["p99"].flatMap(Double.init) == 104.8)
        #expect(kpn["jitter"].flatMap(Double.init) == 52.4 * 0.05)
        #expect(kpn["errors"] == "timeout:3;dns:1")
        #expect(kpn["first_ts"] == "2026-11-28T08:00:00.000000Z" && kpn["last_ts"] == "2026-11-28T20:00:00.500000Z")
        #expect(try row("ps-colt", "graph", "dns")["p50"] == "2", "integral values are written without a fraction")
        let hostile = try row(TextReportFixture.hostileName, "login", "tls")
        #expect(hostile["count"] == "0" && hostile["p50"] == "" && hostile["stddev"] == "", "nil is an empty field")
        #expect(hostile["errors"] == "connect:4;tls:1")
        #expect(hostile["region"] == "switzerlandnorth, switzerlandwest")
        let nonFinite = try row("inet-kpn", "login", "connect")
        #expect(nonFinite["mean"] == "")
        #expect(nonFinite["p50"] == "10.86", "72.4 x 0.15 to the nanosecond, without binary noise")
        #expect(try row("inet-kpn", "login", "dns")["spread"] == "")
        #expect(rows.dropFirst().map { $0[5] }.prefix(8) == Metric.allCases.map(\.rawValue)[...])
    }

    @Test("CSV quotes fields with commas, quotes and line breaks, and only those")
    func csvQuoting() {
        #expect(MachineText.csvField("plain") == "plain")
        #expect(MachineText.csvField("a,b") == "\"a,b\"")
        #expect(MachineText.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(MachineText.csvField("two\nlines") == "\"two\nlines\"")
        #expect(MachineText.csvField("cr\r") == "\"cr\r\"")
        #expect(CSVRenderer().render(report).contains(",\"evil,\"\"quoted\"\"|<b>\nnext\","))
    }

    // MARK: - JSON

    @Test("JSON has exactly the keys documented in ReportJSON.md")
    func jsonKeysMatchDocumentation() throws {
        let parsed = try readJSON(JSONRenderer().render(report))
        let documented = try Self.documentedKeys()
        #expect(documented.count > 80)
        let written = Set(parsed.keys)
        #expect(written.subtracting(documented).sorted() == [], "written but not documented")
        #expect(documented.subtracting(written).sorted() == [], "documented but not written")
    }

    @Test("JSON values: names escaped and read back intact, null for nil and for NaN or infinity")
    func jsonValues() throws {
        let text = JSONRenderer().render(report)
        #expect(!text.contains("NaN") && !text.contains("Infinity") && !text.contains("\u{1b}"))
        #expect(text.contains("\"evil,\\\"quoted\\\"|<b>\\nnext\""))
        let leaves = try readJSON(text).leaves
        func string(_ path: String) -> String? { leaves[path]?.first == "string" ? leaves[path]?[1] : nil }
        func number(_ path: String) -> Double? {
            guard let leaf = leaves[path], leaf.first == "int" || leaf.first == "float" else { return nil }
            return Double(leaf[1])
        }
        #expect(string("schema") == "peering-probe-report/1")
        #expect(string("input.bad_lines[1].excerpt") == TextReportFixture.escapeExcerpt)
        #expect(leaves["input.bad_lines[2].torn"] == ["bool", "true"])
        #expect(string("input.first_ts") == "2026-11-28T08:00:00.000000Z")
        #expect(number("min_effect.percent") == 5)
        #expect(leaves["grouping[3]"] == ["string", "path"])
        #expect(string("comparisons[3].internet.path") == TextReportFixture.hostileName)
        #expect(string("comparisons[3].internet.isp") == "Init7 (Zürich)")
        #expect(string("groups[6].key.path") == TextReportFixture.hostileName)
        #expect(string("groups[6].region") == "switzerlandnorth, switzerlandwest")
        #expect(string("pops[6].path") == TextReportFixture.hostileName)
        #expect(leaves["pops[6].counts[1].pop"] == ["null", ""])
        #expect(string("comparisons[0].verdict") == "peering-faster")
        #expect(string("comparisons[0].verdict_text") == "Peering Service faster by 12.4 ms (p < 0.001)")
        #expect(
            leaves.filter { $0.key.hasSuffix(".verdict") }.values.map { $0[1] }.sorted()
                == ["insufficient-data", "internet-faster", "no-difference", "peering-faster"])
        #expect(number("comparisons[0].ci95_ms[0]") == -13.1 && number("comparisons[0].ci95_ms[1]") == -11.8)
        #expect(number("comparisons[0].window.trimmed_samples") == 12)
        #expect(string("comparisons[0].window.start") == "2026-11-28T08:01:00.000000Z")
        #expect(leaves["comparisons[0].paired"] == ["bool", "true"])
        #expect(number("comparisons[0].internet.availability") == 466.0 / 470.0)
        #expect(leaves["comparisons[0].internet.prefix"] == ["null", ""])
        #expect(number("comparisons[0].peering.asn") == 8220 && leaves["comparisons[0].peering.asn"]?[0] == "int")
        for key in ["median_diff_ms", "median_diff_pct", "p90_diff_ms", "p90_diff_pct", "ci95_ms", "p_value"] {
            #expect(leaves["comparisons[3].\(key)"] == ["null", ""], "comparisons[3].\(key)")
        }
        #expect(leaves["comparisons[3].internet.p50_ms"] == ["null", ""])
        #expect(leaves["groups[0].errors.timeout"] == ["int", "3"] && leaves["groups[0].errors.dns"] == ["int", "1"])
        #expect(leaves["groups[1].errors"] == ["object", "{}"])
        #expect(number("groups[0].metrics.total.p90_ms") == 52.4 * 1.25)
        #expect(leaves["groups[2].metrics.connect.mean_ms"] == ["null", ""], "NaN is written null")
        #expect(leaves["groups[2].metrics.dns.spread_ms"] == ["null", ""], "infinity is written null")
        #expect(leaves["groups[6].metrics.tls.count"] == ["int", "0"])
        #expect(leaves["groups[6].metrics.tls.p50_ms"] == ["null", ""])
        #expect(number("pops[1].change_count") == 25 && string("pops[1].changes[4].to") == "LON")
    }

    @Test("JSON strings: quotes, backslashes and control characters escaped, other text passed through")
    func jsonEscaping() throws {
        let hostile = "q\"b\\s/\u{0}\u{1}\u{8}\t\n\u{c}\r\u{1f}\u{7f}é東🇨🇭\u{2028}<&>"
        let quoted = JSONStringLiteral.quoted(hostile)
        #expect(
            quoted == "\"q\\\"b\\\\s/\\u0000\\u0001\\b\\t\\n\\f\\r\\u001f"
                + "\\u007fé東🇨🇭\\u2028<&>\"")
        #expect(JSONStringLiteral.quoted("<&>", escapingHTML: true) == "\"\\u003c\\u0026\\u003e\"")
        let decoded = try JSONSerialization.jsonObject(with: Data(quoted.utf8), options: .fragmentsAllowed)
        #expect(decoded as? String == hostile)
        let value = JSONValue.object([
            ("a", .array([.integer(1), .number(.nan), .number(-.infinity), .null, .bool(false)])),
            ("b", .object([])), ("c", .array([.object([("d", .string("e"))])])),
        ])
        #expect(value.serialized(pretty: false) == "{\"a\":[1,null,null,null,false],\"b\":{},\"c\":[{\"d\":\"e\"}]}")
        #expect(
            value.serialized() == """
                {
                  "a": [1, null, null, null, false],
                  "b": {},
                  "c": [
                    {
                      "d": "e"
                    }
                  ]
                }
                """)
    }

    // MARK: - Helpers

    /// What `parse_rendered.py json` says about a document.
    struct ParsedJSON: Decodable {
        /// Key paths, with placeholders for data-named keys.
        var keys: [String]
        /// Scalars and empty containers by exact path, as [type, text].
        var leaves: [String: [String]]
    }

    /// Parses `text` with Python's `json` module (strictly: no NaN, no duplicate keys).
    func readJSON(_ text: String) throws -> ParsedJSON {
        let output = try PythonOracle.run(
            script: PythonOracle.script("parse_rendered.py"),
            arguments: ["json", "groups[].key=<dimension>", "groups[].errors=<kind>", "groups[].metrics=<metric>"],
            input: Data(text.utf8)
        )
        return try JSONDecoder().decode(ParsedJSON.self, from: Data(output.utf8))
    }

    /// The key paths in the first cell of each row of the tables of `ReportJSON.md`.
    static func documentedKeys(filePath: String = #filePath) throws -> Set<String> {
        let article = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/ProbeReport/ProbeReport.docc/ReportJSON.md")
        let text = try String(contentsOf: article, encoding: .utf8)
        var keys: Set<String> = []
        for line in text.components(separatedBy: "\n") where line.hasPrefix("| `") {
            let cells = markdownCells(line)
            let spans = cells[0].components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }
            for span in spans { keys.insert(span.element) }
        }
        return keys
    }

    /// The cells of a Markdown table row, split at pipes that no backslash escapes, trimmed.
    static func markdownCells(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var escaped = false
        for character in line {
            if escaped {
                cell.append(character)
                escaped = false
            } else if character == "\\" {
                cell.append(character)
                escaped = true
            } else if character == "|" {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(character)
            }
        }
        cells.append(cell)
        return cells.dropFirst().dropLast().map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
