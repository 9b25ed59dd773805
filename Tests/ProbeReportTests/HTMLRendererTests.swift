import Foundation
import ProbeReport
import TestSupport
import Testing

/// What `Oracles/check_html.py` reads from a page with a strict XML parser.
private struct PageFacts: Decodable {
    /// One site-and-target section.
    struct Target: Decodable {
        /// The section's id.
        var id: String
        /// The text of its heading.
        var heading: String
        /// CDF charts in it.
        var cdf: Int
        /// Time-series charts in it.
        var timeseries: Int
        /// Data lines in its CDF chart.
        var cdfLines: Int
        /// Data lines in its time-series chart.
        var seriesLines: Int
        /// `data-scale` of the CDF chart.
        var scale: String?
        /// `data-bucket` of the time-series chart.
        var bucket: String?
        /// The time axis labels, each as its lines.
        var xLabels: [[String]]
        /// Rows of the PoP mix table.
        var popRows: Int
        /// The PoP change list entries.
        var changes: [String]
    }

    /// One row of the verdict table.
    struct VerdictRow: Decodable {
        /// `data-verdict`.
        var verdict: String?
        /// The colour class of the row.
        var tone: String?
        /// The verdict cell's text.
        var text: String?
        /// The target's text.
        var target: String?
        /// The link to the target's charts.
        var link: String?
        /// Every cell's text.
        var cells: [String]
    }

    /// The root element's qualified name.
    var root: String
    /// `verdicts`, `cdf` and `timeseries` in document order.
    var order: [String]
    /// The site-and-target sections.
    var targets: [Target]
    /// The verdict table's rows.
    var verdictRows: [VerdictRow]
    /// Texts of the "nothing here" notes.
    var emptyNotes: [String]
    /// Every `href`/`src`-like attribute value.
    var references: [String]
    /// `<script>` elements.
    var scripts: Int
    /// Every `id` in document order.
    var ids: [String]
    /// The body's text.
    var text: String
    /// The header's text.
    var headerText: String
    /// Rows of the group statistics tables.
    var groupRows: Int
}

/// Parses `html` with the XML oracle; throws when it is not well-formed XML.
private func facts(_ html: String) throws -> PageFacts {
    let output = try PythonOracle.run(script: PythonOracle.script("check_html.py"), input: Data(html.utf8))
    return try JSONDecoder().decode(PageFacts.self, from: Data(output.utf8))
}

/// Every `http://` or `https://` address in `text`.
private func addresses(in text: String) -> [String] {
    let pattern = /https?:\/\/[^\s"'<>)]*/
    return text.matches(of: pattern).map { String($0.output) }
}

/// Where the tests expect Debian's Chromium.
private let chromium = "/usr/bin/chromium"

/// The HTML report: well-formed, self-contained, verdicts first, one CDF and one time series per site and
/// target, data escaped, and rendered by a real browser.
@Suite("HTML renderer")
struct HTMLRendererTests {
    /// The page of the full fixture.
    let page = HTMLRenderer().render(ReportFixtures.full())

    @Test("the page is well-formed XML in the XHTML namespace, with a DOCTYPE and no script")
    func wellFormed() throws {
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\""))
        let facts = try facts(page)
        #expect(facts.root == "{http://www.w3.org/1999/xhtml}html")
        #expect(facts.scripts == 0)
        #expect(Set(facts.ids).count == facts.ids.count, "ids are unique: \(facts.ids)")
    }

    @Test("the page refers to nothing outside itself: no addresses but the namespace names, only fragment links")
    func selfContained() throws {
        let foreign = addresses(in: page).filter { !$0.hasPrefix("http://www.w3.org/") }
        #expect(foreign.isEmpty, "network references: \(foreign)")
        #expect(!page.contains("url("), "CSS must not load anything")
        #expect(!page.contains("@import"))
        let facts = try facts(page)
        #expect(!facts.references.isEmpty)
        for reference in facts.references {
            #expect(reference.hasPrefix("#"), "\(reference) is not a link inside the page")
            #expect(facts.ids.contains(String(reference.dropFirst())), "\(reference) points nowhere")
        }
    }

    @Test("the header shows the span, the counts, the lines left out and the filters")
    func header() throws {
        let header = try facts(page).headerText
        #expect(header.contains("Peering Service report"))
        #expect(header.contains("2026-11-28 08:00:00 – 2026-12-08 07:59:00 UTC"))
        #expect(header.contains("9 d 23 h"))
        #expect(header.contains("12,422 lines read, 12,419 samples parsed, 12,100 kept after filters"))
        #expect(header.contains("2 unusable lines, 1 torn last line"))
        #expect(header.contains("batches/ams/2026-11-28.ndjson.gz:17"))
        #expect(header.contains("<script>alert(\"x\")</script>"))
        #expect(header.contains("target=" + ReportFixtures.hostileTarget))
    }

    @Test("many batch files under one folder are named by the folder and the first and last file")
    func manySources() throws {
        var report = ReportFixtures.full()
        report.input.sources = (1...40).map { "data/ams & co/batch-\($0 + 100).ndjson.gz" }
        let header = try facts(HTMLRenderer().render(report)).headerText
        #expect(
            header.contains("40 files under data/ams & co/, from batch-101.ndjson.gz to batch-140.ndjson.gz"),
            "\(header)")
        #expect(!header.contains("batch-120"))
    }

    @Test("verdicts come before every chart, one row per comparison, coloured by verdict")
    func verdictsFirst() throws {
        let facts = try facts(page)
        let firstChart = try #require(facts.order.firstIndex { $0 != "verdicts" })
        #expect(facts.order.firstIndex(of: "verdicts") == 0)
        #expect(firstChart == 1)
        let comparisons = ReportFixtures.comparisons()
        try #require(facts.verdictRows.count == comparisons.count)
        for (row, comparison) in zip(facts.verdictRows, comparisons) {
            #expect(row.verdict == comparison.verdict.code)
            #expect(row.text == comparison.verdict.text)
            #expect(row.target == comparison.target)
        }
        #expect(facts.verdictRows.map(\.tone) == ["good", "bad", "neutral", "neutral"])
        let first = facts.verdictRows[0].cells.joined(separator: " | ")
        #expect(first.contains("-12.4 ms (-22.5%)"), "\(first)")
        #expect(first.contains("CI -14.1 to -10.8 ms"), "\(first)")
        #expect(first.contains("p < 0.001"), "\(first)")
        #expect(first.contains("paired, 1,180 pairs"), "\(first)")
        #expect(first.contains("ok 99.92% (1,199/1,200)"), "\(first)")
        #expect(first.contains("ok 99.00% (1,188/1,200)"), "\(first)")
        let second = facts.verdictRows[1].cells.joined(separator: " | ")
        #expect(second.contains("unpaired"), "\(second)")
        #expect(second.contains("37 samples outside the common window left out"), "\(second)")
        #expect(second.contains(ReportFixtures.hostileISP), "\(second)")
        // The comparison without charts has no link; the others link to their section.
        #expect(facts.verdictRows.map(\.link) == ["#target-1", "#target-2", "#target-3", nil])
    }

    @Test("every site and target has one CDF and one time series with a line per path type and per path")
    func chartsPerTarget() throws {
        let facts = try facts(page)
        let charts = ReportFixtures.charts()
        try #require(facts.targets.count == charts.count)
        #expect(facts.order.filter { $0 == "cdf" }.count == charts.count)
        #expect(facts.order.filter { $0 == "timeseries" }.count == charts.count)
        for (target, chart) in zip(facts.targets, charts) {
            #expect(target.heading == (chart.site ?? "") + " · " + chart.target)
            #expect(target.cdf == 1)
            #expect(target.timeseries == 1)
            #expect(target.cdfLines == chart.cdfs.count)
            #expect(target.seriesLines == chart.timeSeries.count)
            #expect(target.popRows == 2)
        }
        #expect(facts.targets.map(\.scale) == ["linear", "log", "linear"])
        #expect(facts.targets.map(\.bucket) == ["1-minute", "1-day", "1-hour"])
    }

    @Test("time axis labels are UTC, fitted to the bucket width, with the date where it changes")
    func timeLabels() throws {
        let targets = try facts(page).targets
        try #require(targets.count == 3)
        // Minute buckets over 3 hours from 08:00 UTC: every 30 minutes, the date under the first label.
        #expect(
            targets[0].xLabels == [
                ["08:00", "11-28"], ["08:30"], ["09:00"], ["09:30"], ["10:00"], ["10:30"],
                ["11:00"],
            ])
        // Day buckets over 10 days: a tick every 2 days on the UTC calendar (2026-11-28 is an odd day since the
        // epoch, so the first tick is 11-29), dates, the year under the first.
        #expect(targets[1].xLabels.first == ["11-29", "2026"])
        #expect(targets[1].xLabels.allSatisfy { $0[0].wholeMatch(of: /\d\d-\d\d/) != nil })
        #expect(targets[1].xLabels.contains(["12-01"]))
        // Hour buckets over 36 hours: every 6 hours of the UTC clock, the date when the day turns.
        #expect(targets[2].xLabels.prefix(4) == [["12:00", "11-28"], ["18:00"], ["00:00", "11-29"], ["06:00"]])
        #expect(targets[0].changes.first == "2026-11-28 08:07:13 AMS → LON")
    }

    @Test("data from files is escaped wherever it appears: target, provider, PoP, bad lines, filters")
    func escaping() throws {
        #expect(!page.contains(ReportFixtures.hostileTarget))
        #expect(!page.contains(ReportFixtures.hostileISP))
        #expect(!page.contains("<script"))
        #expect(!page.contains("<FRA&>"))
        #expect(page.contains("a&lt;b&gt;&amp;&quot;c&#39;"))
        #expect(!page.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" })
        #expect(page.contains(#"\x00\x1B[31m"#))
        let facts = try facts(page)
        #expect(facts.targets.map(\.heading).contains("ams · " + ReportFixtures.hostileTarget))
        #expect(facts.text.contains(ReportFixtures.hostileISP))
        #expect(facts.text.contains("<FRA&> 2,000 (69.2%)"))
    }

    @Test("escaping replaces markup characters and characters XML forbids")
    func escapingRules() {
        #expect(HTMLEscaping.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
        #expect(HTMLEscaping.escape("tab\there\nnew") == "tab\there\nnew")
        #expect(HTMLEscaping.escape("\u{0}\u{1}\r\u{7F}\u{FFFE}") == #"\x00\x01\x0D\x7F"# + "\u{FFFD}")
        #expect(HTMLEscaping.escape("Zürich → 東京") == "Zürich → 東京")
    }

    @Test("a report without comparisons or charts says so and is still well-formed")
    func emptyReport() throws {
        let html = HTMLRenderer().render(ReportFixtures.empty())
        let facts = try facts(html)
        #expect(facts.order == ["verdicts"])
        #expect(facts.verdictRows.isEmpty)
        #expect(facts.targets.isEmpty)
        #expect(facts.groupRows == 0)
        #expect(facts.emptyNotes.contains { $0.hasPrefix("No Peering Service / internet pair to compare") })
        #expect(facts.emptyNotes.contains { $0.hasPrefix("No chart data") })
        #expect(facts.emptyNotes.contains { $0.hasPrefix("No samples left after the filters") })
        #expect(facts.headerText.contains("no samples"))
    }

    @Test("a chart without data shows a message instead of lines")
    func chartWithoutData() throws {
        var report = ReportFixtures.full()
        report.charts = [
            TargetCharts(
                site: nil, target: "empty.example", cdfs: [], bucketMicroseconds: 60_000_000,
                timeSeries: [])
        ]
        let html = HTMLRenderer().render(report)
        let facts = try facts(html)
        try #require(facts.targets.count == 1)
        #expect(facts.targets[0].heading == "empty.example")
        #expect(facts.targets[0].cdfLines == 0)
        #expect(facts.targets[0].seriesLines == 0)
        #expect(facts.text.contains("no answered samples to plot"))
        #expect(facts.emptyNotes.contains("No PoP information for this target."))
    }

    @Test("headless Chromium renders the page: a real PNG screenshot, and a DOM that kept the SVG charts")
    func chromiumRendering() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: chromium),
            "\(chromium) is missing: Scripts/test installs it (Debian package chromium)")
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let htmlPath = folder + "/report.html"
        try Data(page.utf8).write(to: URL(fileURLWithPath: htmlPath))
        let address = URL(fileURLWithPath: htmlPath).absoluteString
        let common = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--hide-scrollbars",
        ]

        let shot = folder + "/report.png"
        let screenshot = try CommandRunner(path: chromium).run(
            common + [
                "--user-data-dir=\(folder)/profile-screenshot", "--window-size=1200,2400", "--screenshot=\(shot)",
                address,
            ], timeout: 120)
        #expect(screenshot.status == 0, "chromium --screenshot failed: \(screenshot.standardError.suffix(2_000))")
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        let bytes = [UInt8](png)
        try #require(bytes.count > 24, "screenshot of \(bytes.count) bytes")
        #expect(bytes.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG signature")
        #expect(String(decoding: bytes[12..<16], as: UTF8.self) == "IHDR")
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1_200)
        #expect(height == 2_400)
        // A blank page compresses to a few kilobytes; text, tables and charts do not.
        #expect(bytes.count > 60_000, "screenshot of only \(bytes.count) bytes")

        let dump = try CommandRunner(path: chromium).run(
            common + [
                "--user-data-dir=\(folder)/profile-dom", "--dump-dom", address,
            ], timeout: 120)
        #expect(dump.status == 0, "chromium --dump-dom failed: \(dump.standardError.suffix(2_000))")
        let dom = dump.standardOutput
        let charts = ReportFixtures.charts()
        // The HTML parser keeps `viewBox` camel-cased only on elements it parsed as SVG.
        #expect(dom.matches(of: /<svg [^>]*class="chart cdf"[^>]*viewBox="0 0 560 330"/).count == charts.count)
        #expect(dom.matches(of: /<svg [^>]*class="chart timeseries"[^>]*viewBox="0 0 560 330"/).count == charts.count)
        let lines = charts.reduce(0) { $0 + $1.cdfs.count + $1.timeSeries.count }
        #expect(dom.matches(of: /<path class="line" d="M[0-9.]+ [0-9.]+L/).count == lines)
        #expect(dom.matches(of: /<tr class="verdict-row/).count == ReportFixtures.comparisons().count)
        #expect(dom.contains("a&lt;b&gt;&amp;\"c'"), "the hostile name is text in the DOM")
    }
}
