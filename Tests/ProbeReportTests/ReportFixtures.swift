import Foundation
import ProbeCore
import ProbeReport

/// Hand-built reports for the renderer tests: no statistics are computed, every number is written here, so a
/// renderer test checks rendering only.
///
/// ``full()`` has two sites (`ams`, `sin`) and two targets, one of them named ``hostileTarget``; a
/// peering-service and an internet path everywhere (plus a second internet path and an ExpressRoute path at
/// one place); one comparison of each verdict kind; chart data with minute, hour and day buckets, a gap and an
/// isolated point; PoP usage with changes (one list cut at the limit); bad and torn lines with markup and
/// control characters; and provider names, sources and filters with characters that need escaping.
enum ReportFixtures {
    /// A target name that breaks any markup it is pasted into unescaped.
    static let hostileTarget = "a<b>&\"c'"

    /// A friendly target name.
    static let loginTarget = "login.microsoftonline.com"

    /// An internet provider name that needs escaping.
    static let hostileISP = "Fabrikam <Transit> & \"Co\""

    /// 2026-11-28T08:00:00Z in microseconds since the epoch.
    static let start: Int64 =
        Timestamp.daysSinceEpoch(year: 2026, month: 11, day: 28) * 86_400_000_000
        + 8 * 3_600_000_000

    /// Microseconds in a minute.
    static let minute: Int64 = 60_000_000

    /// Microseconds in an hour.
    static let hour: Int64 = 3_600_000_000

    /// Microseconds in a day.
    static let day: Int64 = 86_400_000_000

    /// The charts of ``full()``, in order: (site, target, bucket width).
    static let chartKeys: [(site: String, target: String, bucket: Int64)] = [
        ("ams", loginTarget, minute), ("ams", hostileTarget, day), ("sin", loginTarget, hour),
    ]

    /// The full report described above.
    static func full() -> Report {
        let input = InputSummary(
            sources: ["batches/ams/2026-11-28.ndjson.gz", "batches/sin/odd <name> & more.ndjson"],
            lines: 12_422, parsed: 12_419, kept: 12_100, skipped: 2, torn: 1,
            badLines: [
                BadLine(
                    source: "batches/ams/2026-11-28.ndjson.gz", line: 17, reason: "not JSON",
                    excerpt: "<script>alert(\"x\")</script> & \u{0}\u{1B}[31m", torn: false),
                BadLine(
                    source: "batches/sin/odd <name> & more.ndjson", line: 4_031,
                    reason: "missing field \"ts\"", excerpt: "{\"v\":1,\"target\":\"a<b>&\"}", torn: false),
                BadLine(
                    source: "batches/sin/odd <name> & more.ndjson", line: 9_310, reason: "ends without a newline",
                    excerpt: "{\"v\":1,\"ts\":\"2026-11-29T0", torn: true),
            ],
            firstTimestamp: start, lastTimestamp: start + 10 * day - minute,
            filters: ["since=2026-11-28T08:00:00Z", "target=\(hostileTarget)"])
        return Report(
            input: input, grouping: GroupDimension.defaultGrouping, comparedMetric: .total,
            minimumEffect: .default, groups: groups(), comparisons: comparisons(), pops: pops(), charts: charts())
    }

    /// A report of nothing: no samples, no comparisons, no charts, no groups.
    static func empty() -> Report {
        Report(
            input: InputSummary(
                sources: ["empty.ndjson"], lines: 0, parsed: 0, kept: 0, skipped: 0, torn: 0,
                badLines: [], firstTimestamp: nil, lastTimestamp: nil, filters: []),
            grouping: GroupDimension.defaultGrouping, comparedMetric: .total, minimumEffect: .default,
            groups: [], comparisons: [], pops: [], charts: [])
    }

    // MARK: - Comparisons

    /// The Peering Service side of a comparison.
    static func peeringSide(samples: Int, ok: Int, p50: Double?, p90: Double?) -> ComparisonSide {
        ComparisonSide(
            path: "ps-contoso", isp: "Contoso Fiber", asn: 64_500, prefix: "203.0.113.0/24",
            samples: samples, answered: ok, ok: ok, p50: p50, p90: p90)
    }

    /// The internet side of a comparison.
    static func internetSide(samples: Int, ok: Int, p50: Double?, p90: Double?) -> ComparisonSide {
        ComparisonSide(
            path: "inet-fabrikam", isp: hostileISP, asn: 64_501, prefix: "198.51.100.0/24",
            samples: samples, answered: ok, ok: ok, p50: p50, p90: p90)
    }

    /// One comparison of each verdict kind, in the order peering-faster, internet-faster, no-difference,
    /// insufficient-data.
    static func comparisons() -> [Comparison] {
        [
            Comparison(
                site: "ams", region: "westeurope", target: loginTarget,
                peering: peeringSide(samples: 1_200, ok: 1_199, p50: 42.6, p90: 51.3),
                internet: internetSide(samples: 1_200, ok: 1_188, p50: 55.0, p90: 71.9),
                windowStart: start, windowEnd: start + 3 * hour, trimmedSamples: 0, paired: true, pairs: 1_180,
                medianDifference: -12.4, medianDifferencePercent: -22.5, p90Difference: -20.6,
                p90DifferencePercent: -28.7, availabilityDifference: 0.92, confidenceLow: -14.1,
                confidenceHigh: -10.8, pValue: 0.000_2, verdict: .peeringFaster(milliseconds: 12.4, pValue: 0.000_2)),
            Comparison(
                site: "ams", region: "westeurope", target: hostileTarget,
                peering: peeringSide(samples: 2_880, ok: 2_871, p50: 68.2, p90: 140.0),
                internet: internetSide(samples: 2_902, ok: 2_890, p50: 62.1, p90: 151.2),
                windowStart: start, windowEnd: start + 10 * day - minute, trimmedSamples: 37, paired: false, pairs: 0,
                medianDifference: 6.1, medianDifferencePercent: 9.8, p90Difference: -11.2,
                p90DifferencePercent: -7.4, availabilityDifference: -0.1, confidenceLow: 3.0, confidenceHigh: 9.2,
                pValue: 0.004, verdict: .internetFaster(milliseconds: 6.1, pValue: 0.004)),
            Comparison(
                site: "sin", region: "southeastasia", target: loginTarget,
                peering: peeringSide(samples: 2_160, ok: 2_160, p50: 31.8, p90: 38.0),
                internet: internetSide(samples: 2_160, ok: 2_151, p50: 32.2, p90: 39.5),
                windowStart: start, windowEnd: start + 36 * hour, trimmedSamples: 0, paired: true, pairs: 2_150,
                medianDifference: -0.4, medianDifferencePercent: -1.2, p90Difference: -1.5,
                p90DifferencePercent: -3.8, availabilityDifference: 0.42, confidenceLow: -1.9, confidenceHigh: 1.2,
                pValue: 0.41, verdict: .noSignificantDifference),
            Comparison(
                site: "sin", region: "southeastasia", target: hostileTarget,
                peering: peeringSide(samples: 8, ok: 6, p50: 80.5, p90: 95.0),
                internet: internetSide(samples: 300, ok: 297, p50: 77.0, p90: 90.1),
                windowStart: start + 2 * hour, windowEnd: start + 3 * hour, trimmedSamples: 12, paired: false,
                pairs: 0, medianDifference: nil, medianDifferencePercent: nil, p90Difference: nil,
                p90DifferencePercent: nil, availabilityDifference: -24.0, confidenceLow: nil, confidenceHigh: nil,
                pValue: nil, verdict: .insufficientData),
        ]
    }

    // MARK: - Charts

    /// A CDF of 200 evenly spaced quantiles of `base + scale * (-ln(1 - q))^shape`.
    static func cdf(_ pathType: String, count: Int, base: Double, scale: Double, shape: Double) -> CDFSeries {
        let points = (0..<200).map { index in
            let fraction = (Double(index) + 0.5) / 200
            return CDFPoint(milliseconds: base + scale * pow(-log(1 - fraction), shape), fraction: fraction)
        }
        return CDFSeries(pathType: pathType, count: count, points: points)
    }

    /// A time series of `buckets` buckets from the one holding ``start`` (buckets start at whole multiples of
    /// their width, as the report builds them): a slow wave around `level`, minus the buckets in `missing`.
    static func series(
        _ path: String, _ pathType: String, bucket: Int64, buckets: Int, level: Double, swing: Double,
        missing: Set<Int> = []
    ) -> TimeSeries {
        let points = (0..<buckets).filter { !missing.contains($0) }.map { index in
            TimePoint(
                bucketStart: start / bucket * bucket + Int64(index) * bucket, count: 20 + index % 7,
                median: level + swing * sin(Double(index) / 9) + (index % 11 == 5 ? swing : 0))
        }
        return TimeSeries(path: path, pathType: pathType, points: points)
    }

    /// Chart data for the keys of ``chartKeys``: minute buckets over 3 hours with an outage (and one isolated
    /// bucket inside it) on the internet path; day buckets over 10 days with four paths and a wide CDF (log
    /// scale); hour buckets over 36 hours.
    static func charts() -> [TargetCharts] {
        [
            TargetCharts(
                site: "ams", target: loginTarget,
                cdfs: [
                    cdf("internet", count: 1_188, base: 46, scale: 9, shape: 1),
                    cdf("peering-service", count: 1_199, base: 38, scale: 5, shape: 1),
                ],
                bucketMicroseconds: minute,
                timeSeries: [
                    series(
                        "inet-fabrikam", "internet", bucket: minute, buckets: 180, level: 56, swing: 5,
                        missing: Set(100..<112).subtracting([105])),
                    series("ps-contoso", "peering-service", bucket: minute, buckets: 180, level: 43, swing: 2),
                ]),
            TargetCharts(
                site: "ams", target: hostileTarget,
                cdfs: [
                    cdf("peering-service", count: 2_871, base: 30, scale: 22, shape: 1.6),
                    cdf("internet", count: 2_890, base: 24, scale: 25, shape: 1.8),
                    cdf("expressroute", count: 1_440, base: 18, scale: 6, shape: 1),
                    cdf("unknown", count: 52, base: 70, scale: 40, shape: 1),
                ],
                bucketMicroseconds: day,
                timeSeries: [
                    series("ps-contoso", "peering-service", bucket: day, buckets: 10, level: 68, swing: 4),
                    series("inet-fabrikam", "internet", bucket: day, buckets: 10, level: 62, swing: 6),
                    series("inet-backup", "internet", bucket: day, buckets: 10, level: 75, swing: 8, missing: [6]),
                    series("er-private", "expressroute", bucket: day, buckets: 10, level: 24, swing: 1),
                ]),
            TargetCharts(
                site: "sin", target: loginTarget,
                cdfs: [
                    cdf("peering-service", count: 2_160, base: 27, scale: 3.5, shape: 1),
                    cdf("internet", count: 2_151, base: 27, scale: 3.8, shape: 1),
                ],
                bucketMicroseconds: hour,
                timeSeries: [
                    series("ps-contoso", "peering-service", bucket: hour, buckets: 36, level: 32, swing: 1.5),
                    series("inet-fabrikam", "internet", bucket: hour, buckets: 36, level: 32.5, swing: 1.8),
                ]),
        ]
    }

    // MARK: - PoPs

    /// `count` PoP changes alternating between `first` and `second`, every 7 minutes from ``start``.
    static func changes(_ count: Int, _ first: String, _ second: String) -> [PopChange] {
        (0..<count).map { (index: Int) -> PopChange in
            let timestamp: Int64 = start + Int64(index + 1) * 7 * minute + 13_000_000
            let forward = index % 2 == 0
            return PopChange(timestamp: timestamp, from: forward ? first : second, to: forward ? second : first)
        }
    }

    /// PoP usage of both paths at `ams` for both targets and at `sin` for the login target; the internet
    /// path's change list at `ams` is cut at the limit.
    static func pops() -> [PopUsage] {
        [
            PopUsage(
                site: "ams", target: loginTarget, path: "ps-contoso", pathType: "peering-service",
                answered: 1_199,
                counts: [
                    PopCount(pop: "AMS", count: 921), PopCount(pop: "LON", count: 248),
                    PopCount(pop: nil, count: 30),
                ],
                changes: changes(3, "AMS", "LON"), changeCount: 3),
            PopUsage(
                site: "ams", target: loginTarget, path: "inet-fabrikam", pathType: "internet", answered: 1_188,
                counts: [
                    PopCount(pop: "AMS", count: 402), PopCount(pop: "FRA", count: 351),
                    PopCount(pop: "PAR", count: 305), PopCount(pop: "DUB", count: 120),
                    PopCount(pop: nil, count: 10),
                ],
                changes: changes(PopUsage.changeListLimit, "FRA", "PAR"), changeCount: 57),
            PopUsage(
                site: "ams", target: hostileTarget, path: "ps-contoso", pathType: "peering-service",
                answered: 2_871, counts: [PopCount(pop: "AMS", count: 2_871)], changes: [], changeCount: 0),
            PopUsage(
                site: "ams", target: hostileTarget, path: "inet-fabrikam", pathType: "internet",
                answered: 2_890,
                counts: [PopCount(pop: "<FRA&>", count: 2_000), PopCount(pop: "AMS", count: 890)],
                changes: changes(2, "AMS", "<FRA&>"), changeCount: 2),
            PopUsage(
                site: "sin", target: loginTarget, path: "ps-contoso", pathType: "peering-service",
                answered: 2_160, counts: [PopCount(pop: "SIN", count: 2_160)], changes: [], changeCount: 0),
            PopUsage(
                site: "sin", target: loginTarget, path: "inet-fabrikam", pathType: "internet",
                answered: 2_151, counts: [PopCount(pop: "SIN", count: 1_900), PopCount(pop: "HKG", count: 251)],
                changes: changes(4, "SIN", "HKG"), changeCount: 4),
        ]
    }

    // MARK: - Groups

    /// Statistics of every metric, scaled from `total`'s median (phases take fixed shares of it).
    static func metrics(count: Int, p50 total: Double) -> [MetricStats] {
        let shares: [Metric: Double] = [
            .total: 1, .ttfb: 0.93, .dns: 0.02, .connect: 0.18, .tls: 0.36, .request: 0.01, .wait: 0.36,
            .transfer: 0.07,
        ]
        return Metric.allCases.map { metric in
            let p50 = total * shares[metric]!
            return MetricStats(
                metric: metric, count: count, p50: p50, p90: p50 * 1.3, p95: p50 * 1.5,
                p99: p50 * 2.4, min: p50 * 0.8, max: p50 * 6, mean: p50 * 1.1,
                stddev: p50 * 0.25, spread: p50 * 0.5, jitter: p50 * 0.08)
        }
    }

    /// One group per site, target and path type present, grouped as `site × target × path_type`.
    static func groups() -> [GroupStats] {
        let rows:
            [(
                site: String, region: String, target: String, type: String, samples: Int, ok: Int,
                p50: Double, errors: [ErrorCount]
            )] = [
                ("ams", "westeurope", hostileTarget, "expressroute", 1_440, 1_440, 24.1, []),
                (
                    "ams", "westeurope", hostileTarget, "internet", 2_902, 2_890, 62.1,
                    [ErrorCount(kind: .timeout, count: 9), ErrorCount(kind: .connect, count: 3)]
                ),
                (
                    "ams", "westeurope", hostileTarget, "peering-service", 2_880, 2_871, 68.2,
                    [ErrorCount(kind: .tls, count: 9)]
                ),
                ("ams", "westeurope", hostileTarget, "unknown", 60, 52, 110.0, [ErrorCount(kind: .dns, count: 8)]),
                (
                    "ams", "westeurope", loginTarget, "internet", 1_200, 1_188, 55.0,
                    [ErrorCount(kind: .http, count: 12)]
                ),
                (
                    "ams", "westeurope", loginTarget, "peering-service", 1_200, 1_199, 42.6,
                    [ErrorCount(kind: .recv, count: 1)]
                ),
                (
                    "sin", "southeastasia", hostileTarget, "internet", 300, 297, 77.0,
                    [ErrorCount(kind: .timeout, count: 3)]
                ),
                (
                    "sin", "southeastasia", hostileTarget, "peering-service", 8, 6, 80.5,
                    [ErrorCount(kind: .connect, count: 2)]
                ),
                (
                    "sin", "southeastasia", loginTarget, "internet", 2_160, 2_151, 32.2,
                    [ErrorCount(kind: .timeout, count: 9)]
                ),
                ("sin", "southeastasia", loginTarget, "peering-service", 2_160, 2_160, 31.8, []),
            ]
        return rows.map { row in
            GroupStats(
                key: [row.site, row.target, row.type], region: row.region, samples: row.samples,
                answered: row.ok, ok: row.ok, errors: row.errors, firstTimestamp: start,
                lastTimestamp: start + 10 * day - minute, metrics: metrics(count: row.ok, p50: row.p50))
        }
    }
}
