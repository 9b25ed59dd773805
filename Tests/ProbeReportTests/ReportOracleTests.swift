import Foundation
import ProbeCore
import TestSupport
import Testing

@testable import ProbeReport

/// Report groups against DuckDB: the same NDJSON read by `read_json` and aggregated in SQL must give the same
/// counts and, for every metric, the same percentiles (DuckDB's `quantile_cont`) within 1e-6 ms.
@Suite("Report groups against DuckDB")
struct ReportOracleTests {
    @Test("default grouping (site x target x path type) on two files")
    func defaultGrouping() throws {
        try check(
            grouping: GroupDimension.defaultGrouping,
            files: [
                SampleSynthesizer.twoPaths(rounds: 200, count: 3, seed: 7).ndjson(),
                SampleSynthesizer(
                    site: "lon-office", region: "uksouth", targets: ["login", "teams"],
                    paths: SampleSynthesizer.twoPaths(rounds: 1, seed: 1).paths, rounds: 150,
                    count: 2, seed: 8
                ).ndjson(),
            ])
    }

    @Test(
        "grouping by per-sample and path fields",
        arguments: [
            [GroupDimension.pop], [.hour, .path], [.day, .isp, .asn], [.agent, .prefix, .region], [.target],
        ])
    func otherGroupings(grouping: [GroupDimension]) throws {
        var synthesizer = SampleSynthesizer.twoPaths(rounds: 300, count: 2, seed: 11)
        synthesizer.roundInterval = 20 * 60_000_000  // 300 rounds over 100 hours: hours and days both split
        try check(grouping: grouping, files: [synthesizer.ndjson()])
    }

    private func check(grouping: [GroupDimension], files: [[UInt8]]) throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var paths: [String] = []
        for (index, bytes) in files.enumerated() {
            let path = folder + "/batch-\(index).ndjson"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let report = try ReportBuilder(options: ReportOptions(grouping: grouping, threads: 2))
            .build(sources: paths.map { .file($0) })
        let output = try PythonOracle.run(
            script: PythonOracle.script("duckdb_groups.py"),
            arguments: [grouping.map(\.rawValue).joined(separator: ",")] + paths)
        let oracle = try JSONDecoder().decode(OracleGroups.self, from: Data(output.utf8))
        #expect(report.groups.count == oracle.groups.count)
        #expect(report.groups.count > 1)
        for expected in oracle.groups {
            guard let group = report.groups.first(where: { $0.key == expected.key }) else {
                Issue.record("no group \(expected.key) in the report")
                continue
            }
            #expect(group.samples == expected.samples)
            #expect(group.answered == expected.answered)
            #expect(group.ok == expected.ok)
            #expect(
                Dictionary(uniqueKeysWithValues: group.errors.map { ($0.kind.rawValue, $0.count) }) == expected.errors)
            for metric in Metric.allCases {
                let stats = group[metric]
                let want = expected.metrics[metric.rawValue]!
                #expect(stats.count == want.count, "\(expected.key) \(metric)")
                guard want.count > 0, let quantiles = want.quantiles else { continue }
                let mine = [stats.p50, stats.p90, stats.p95, stats.p99]
                for (index, value) in mine.enumerated() {
                    #expect(abs(value! - quantiles[index + 1]) < 1e-6, "\(expected.key) \(metric) q\(index)")
                }
                #expect(abs(stats.spread! - (quantiles[2] - quantiles[0])) < 1e-6)
                #expect(abs(stats.min! - want.min!) < 1e-9)
                #expect(abs(stats.max! - want.max!) < 1e-9)
                #expect(abs(stats.mean! - want.mean!) < 1e-6)
                if let sd = want.stddev { #expect(abs(stats.stddev! - sd) < 1e-6) }
                if let jitter = want.jitter {
                    #expect(abs(stats.jitter! - jitter) < 1e-6, "\(expected.key) \(metric) jitter")
                } else {
                    #expect(stats.jitter == nil)
                }
            }
        }
    }
}

private struct OracleGroups: Decodable {
    struct Group: Decodable {
        var key: [String?]
        var samples: Int
        var answered: Int
        var ok: Int
        var errors: [String: Int]
        var metrics: [String: Stats]
    }

    struct Stats: Decodable {
        var count: Int
        var quantiles: [Double]?
        var min: Double?
        var max: Double?
        var mean: Double?
        var stddev: Double?
        var jitter: Double?
    }

    var groups: [Group]
}
