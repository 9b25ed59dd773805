import ProbeCore
import ProbeReport

/// A hand-built ``Report`` for the text renderers' tests: two sites (`ams1`, `zrh-2`), two targets (`graph`,
/// `login`), a Peering Service and an internet path at each site, one comparison per verdict kind, errors,
/// PoP changes, skipped and torn lines, nil values, a NaN and an infinity, a name too long for a terminal
/// column, a hostile path name with `,"|<` and a line break, and a group whose samples came from two regions.
enum TextReportFixture {
    /// The hostile internet path name at `zrh-2`.
    static let hostileName = "evil,\"quoted\"|<b>\nnext"
    /// A Peering Service path name too long for any table column.
    static let longName = "ps-swisscom-backup-through-the-secondary-uplink-at-the-zurich-campus-building-b"
    /// A bad line's excerpt holding an escape sequence.
    static let escapeExcerpt = "{\"schema\":1,\"ts\":\"2026-11-28T09:14:00Z\",\"target\":\u{1b}[31mred\u{1b}[0m"
    /// 2026-11-28T08:00:00Z in microseconds.
    static let start: Int64 = 1_795_852_800_000_000
    /// 2026-11-28T20:00:00.5Z in microseconds.
    static let end: Int64 = start + 12 * 3_600_000_000 + 500_000

    /// One path of the fixture.
    struct Path {
        /// Site.
        var site: String
        /// Region.
        var region: String
        /// Path name.
        var name: String
        /// `peering-service` or `internet`.
        var type: String
        /// Provider.
        var isp: String
        /// Provider ASN.
        var asn: Int64
        /// Registered prefix.
        var prefix: String?
    }

    /// The four paths.
    static let paths = [
        Path(
            site: "ams1", region: "westeurope", name: "inet-kpn", type: "internet", isp: "KPN", asn: 1136, prefix: nil
        ),
        Path(
            site: "ams1", region: "westeurope", name: "ps-colt", type: "peering-service", isp: "Colt", asn: 8220,
            prefix: "203.0.113.0/24"
        ),
        Path(
            site: "zrh-2", region: "switzerlandnorth", name: hostileName, type: "internet", isp: "Init7 (Zürich)",
            asn: 13030, prefix: nil
        ),
        Path(
            site: "zrh-2", region: "switzerlandnorth", name: longName, type: "peering-service", isp: "Swisscom",
            asn: 3303, prefix: "198.51.100.0/24"
        ),
    ]

    /// The report.
    static func report() -> Report {
        Report(
            input: input(), grouping: [.site, .target, .pathType, .path], comparedMetric: .total,
            minimumEffect: .default, groups: groups(), comparisons: comparisons(), pops: pops(), charts: []
        )
    }

    /// The report grouped by site, target and path type (``GroupDimension/defaultGrouping``): the same groups
    /// without the path in their keys (each site has one path of each type).
    static func defaultGroupedReport() -> Report {
        var report = report()
        report.grouping = GroupDimension.defaultGrouping
        for index in report.groups.indices { report.groups[index].key.removeLast() }
        return report
    }

    /// The input summary: three sources, two skipped lines and a torn one.
    static func input() -> InputSummary {
        InputSummary(
            sources: ["/data/ams1/batch-0001.ndjson.gz", "/data/zrh-2/batch-0001.ndjson", "-"], lines: 4_903,
            parsed: 4_900, kept: 4_812, skipped: 2, torn: 1,
            badLines: [
                BadLine(
                    source: "/data/ams1/batch-0001.ndjson.gz", line: 17, reason: "not JSON",
                    excerpt: "{\"ts\": \"2026-11-28T08:0", torn: false
                ),
                BadLine(
                    source: "/data/zrh-2/batch-0001.ndjson", line: 230, reason: "target: expected a string",
                    excerpt: escapeExcerpt, torn: false
                ),
                BadLine(
                    source: "-", line: 4_903, reason: "unterminated string",
                    excerpt: "{\"schema\":1,\"ts\":\"2026-11-28T19:5" + String(repeating: "x", count: 86), torn: true
                ),
            ],
            firstTimestamp: start, lastTimestamp: end, filters: ["since=2026-11-28T08:00:00Z", "target=graph,login"]
        )
    }

    /// The statistics of every metric for a path whose total median is `total` ms over `count` values.
    static func metrics(total: Double, count: Int) -> [MetricStats] {
        Metric.allCases.map { metric in
            let share: Double =
                switch metric {
                case .total: 1
                case .ttfb: 0.8
                case .dns: 0.05
                case .connect: 0.15
                case .tls: 0.25
                case .request: 0.01
                case .wait: 0.34
                case .transfer: 0.2
                }
            let median = total * share
            return MetricStats(
                metric: metric, count: count, p50: median, p90: median * 1.25, p95: median * 1.5, p99: median * 2,
                min: median * 0.75, max: median * 3, mean: median * 1.1, stddev: median * 0.2,
                spread: median * 0.5, jitter: median * 0.05
            )
        }
    }

    /// Eight groups: site x target x path type x path, sorted by key.
    static func groups() -> [GroupStats] {
        var groups: [GroupStats] = []
        for (siteIndex, site) in ["ams1", "zrh-2"].enumerated() {
            for target in ["graph", "login"] {
                for path in paths where path.site == site {
                    let first = start + Int64(siteIndex) * 1_000_000
                    var group = GroupStats(
                        key: [site, target, path.type, path.name], region: path.region, samples: 480, answered: 480,
                        ok: 480, errors: [], firstTimestamp: first, lastTimestamp: end,
                        metrics: metrics(
                            total: (target == "graph" ? 40 : 60) + (path.type == "internet" ? 12.4 : 0),
                            count: 480)
                    )
                    switch (site, target, path.type) {
                    case ("ams1", "graph", "internet"):
                        group.answered = 477
                        group.ok = 476
                        group.errors = [ErrorCount(kind: .timeout, count: 3), ErrorCount(kind: .dns, count: 1)]
                    case ("ams1", "login", "internet"):
                        group.metrics[Metric.connect.index].mean = .nan
                        group.metrics[Metric.dns.index].spread = .infinity
                    case ("zrh-2", "login", "internet"):
                        group.region = "switzerlandnorth, switzerlandwest"
                        group.samples = 8
                        group.answered = 3
                        group.ok = 3
                        group.errors = [ErrorCount(kind: .connect, count: 4), ErrorCount(kind: .tls, count: 1)]
                        group.metrics = metrics(total: 71.25, count: 3)
                        group.metrics[Metric.tls.index] = MetricStats(metric: .tls, count: 0)
                    default:
                        break
                    }
                    groups.append(group)
                }
            }
        }
        return groups
    }

    /// One side of a comparison.
    static func side(_ path: Path, samples: Int, answered: Int, ok: Int, p50: Double?, p90: Double?)
        -> ComparisonSide
    {
        ComparisonSide(
            path: path.name, isp: path.isp, asn: path.asn, prefix: path.prefix, samples: samples, answered: answered,
            ok: ok, p50: p50, p90: p90
        )
    }

    /// One comparison per verdict kind, in the order peering faster, internet faster, no difference,
    /// insufficient data.
    static func comparisons() -> [Comparison] {
        [
            Comparison(
                site: "ams1", region: "westeurope", target: "graph",
                peering: side(paths[1], samples: 470, answered: 470, ok: 470, p50: 40, p90: 50),
                internet: side(paths[0], samples: 470, answered: 467, ok: 466, p50: 52.4, p90: 65.5),
                windowStart: start + 60_000_000, windowEnd: end, trimmedSamples: 12, paired: true, pairs: 466,
                medianDifference: -12.4, medianDifferencePercent: -23.664, p90Difference: -15.5,
                p90DifferencePercent: -23.664, availabilityDifference: 0.8511, confidenceLow: -13.1,
                confidenceHigh: -11.8, pValue: 0.0002, verdict: .peeringFaster(milliseconds: 12.4, pValue: 0.0002)
            ),
            Comparison(
                site: "ams1", region: "westeurope", target: "login",
                peering: side(paths[1], samples: 480, answered: 480, ok: 480, p50: 63.2, p90: 79),
                internet: side(paths[0], samples: 480, answered: 480, ok: 480, p50: 60, p90: 75),
                windowStart: start, windowEnd: end, trimmedSamples: 0, paired: false, pairs: 0,
                medianDifference: 3.2, medianDifferencePercent: 5.333, p90Difference: 4,
                p90DifferencePercent: 5.333, availabilityDifference: 0, confidenceLow: 1.9, confidenceHigh: 4.4,
                pValue: 0.0042, verdict: .internetFaster(milliseconds: 3.2, pValue: 0.0042)
            ),
            Comparison(
                site: "zrh-2", region: "switzerlandnorth", target: "graph",
                peering: side(paths[3], samples: 480, answered: 480, ok: 480, p50: 52.7, p90: 65.9),
                internet: side(paths[2], samples: 480, answered: 480, ok: 480, p50: 52.4, p90: 65.5),
                windowStart: start + 1_000_000, windowEnd: end, trimmedSamples: 0, paired: true, pairs: 480,
                medianDifference: 0.3, medianDifferencePercent: 0.5725, p90Difference: 0.4,
                p90DifferencePercent: 0.61, availabilityDifference: 0, confidenceLow: -0.2, confidenceHigh: 0.9,
                pValue: 0.41, verdict: .noSignificantDifference
            ),
            Comparison(
                site: "zrh-2", region: "switzerlandnorth", target: "login",
                peering: side(paths[3], samples: 480, answered: 480, ok: 480, p50: 60, p90: 75),
                internet: side(paths[2], samples: 8, answered: 3, ok: 3, p50: nil, p90: nil),
                windowStart: start + 1_000_000, windowEnd: end, trimmedSamples: 0, paired: false, pairs: 0,
                medianDifference: nil, medianDifferencePercent: nil, p90Difference: nil, p90DifferencePercent: nil,
                availabilityDifference: 62.5, confidenceLow: nil, confidenceHigh: nil, pValue: nil,
                verdict: .insufficientData
            ),
        ]
    }

    /// PoP usage per site, target and path: `ps-colt` to `graph` changed PoP 25 times (5 listed), the hostile
    /// path to `login` has a sample without a PoP.
    static func pops() -> [PopUsage] {
        var usages: [PopUsage] = []
        for site in ["ams1", "zrh-2"] {
            for target in ["graph", "login"] {
                for path in paths where path.site == site {
                    var usage = PopUsage(
                        site: site, target: target, path: path.name, pathType: path.type, answered: 480,
                        counts: [PopCount(pop: site == "ams1" ? "AMS" : "ZRH", count: 480)], changes: [],
                        changeCount: 0
                    )
                    if site == "ams1", target == "graph", path.type == "peering-service" {
                        usage.counts = [PopCount(pop: "AMS", count: 456), PopCount(pop: "LON", count: 24)]
                        for index in 0..<5 {
                            let timestamp: Int64 = start + Int64(index + 1) * 600_000_000
                            let forth = index % 2 == 0
                            usage.changes.append(
                                PopChange(timestamp: timestamp, from: forth ? "AMS" : "LON", to: forth ? "LON" : "AMS")
                            )
                        }
                        usage.changeCount = 25
                    }
                    if site == "zrh-2", target == "login", path.type == "internet" {
                        usage.answered = 3
                        usage.counts = [PopCount(pop: "ZRH", count: 2), PopCount(pop: nil, count: 1)]
                    }
                    usages.append(usage)
                }
            }
        }
        return usages
    }
}
