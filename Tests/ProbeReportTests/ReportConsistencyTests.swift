import Foundation
import ProbeCore
import TestSupport
import Testing

@testable import ProbeReport

/// The same samples give the same report whatever the line order, the number of threads, or how much of the
/// data went through the spill file.
@Suite("Report consistency")
struct ReportConsistencyTests {
    private static func report(_ text: String, options: ReportOptions) throws -> Report {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/batch.ndjson"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try ReportBuilder(options: options).build(sources: [.file(path)])
    }

    /// Everything a group says, as text, for comparing two reports.
    private static func summary(_ report: Report) -> [String] {
        report.groups.map { group in
            "\(group.key) \(group.samples) \(group.answered) \(group.ok) \(group.errors) "
                + group.metrics.map {
                    "\($0.count) \($0.p50 ?? -1) \($0.p99 ?? -1) \($0.mean ?? -1) \($0.jitter ?? -1)"
                }.joined(separator: " ")
        }
            + report.comparisons.map {
                "\($0.target) \($0.medianDifference ?? 0) \($0.pValue ?? -1) \($0.confidenceLow ?? 0) \($0.pairs)"
            } + report.pops.map { "\($0.path) \($0.counts) \($0.changeCount)" }
    }

    @Test(
        "shuffled lines, one or two threads, and a tiny memory budget (everything spilled, shuffled or not) change nothing"
    )
    func sameReport() throws {
        let lines = String(
            decoding: SampleSynthesizer.twoPaths(rounds: 400, count: 3, seed: 31).ndjson(), as: UTF8.self
        )
        .split(separator: "\n").map(String.init)
        var random = SeededGenerator(seed: 32)
        let shuffled = lines.shuffled(using: &random)
        let ordered = lines.joined(separator: "\n") + "\n"
        let reference = try Self.report(ordered, options: ReportOptions(threads: 1))
        #expect(reference.comparisons.count == 2)
        let variants = [
            try Self.report(ordered, options: ReportOptions(threads: 2)),
            try Self.report(shuffled.joined(separator: "\n") + "\n", options: ReportOptions(threads: 2)),
            try Self.report(ordered, options: ReportOptions(threads: 2, memoryLimitBytes: 1)),
            // Out of order and spilled: the stored chunks are merged back a window at a time.
            try Self.report(
                shuffled.joined(separator: "\n") + "\n", options: ReportOptions(threads: 2, memoryLimitBytes: 1)),
        ]
        for variant in variants {
            #expect(Self.summary(variant) == Self.summary(reference))
        }
        // Jitter follows time order, not file order: the shuffled file has the ordered file's jitter.
        #expect(reference.groups.allSatisfy { ($0[.total].jitter ?? 0) > 0 })
    }

    @Test(
        "A limit that makes every statistic take several passes (groups by hour, pairing in parts, counts in slices) changes nothing"
    )
    func passesChangeNothing() throws {
        // Latencies spread over many distinct microseconds, so that counting them passes the smallest budget.
        var synthesizer = SampleSynthesizer.twoPaths(rounds: 3_000, count: 3, seed: 51)
        synthesizer.targets = ["one"]
        let text = String(decoding: synthesizer.ndjson(), as: UTF8.self)
        func full(_ report: Report) -> [String] {
            Self.summary(report)
                + report.groups.map { group in
                    // The spread of values is summed per sample or per distinct value: equal to 1e-9 ms.
                    group.metrics.map {
                        "\($0.p90 ?? -1) \($0.p95 ?? -1) \((($0.stddev ?? -1) * 1e9).rounded()) \($0.spread ?? -1)"
                    }
                    .joined(separator: " ")
                }
                + report.comparisons.map {
                    "\($0.peering.p50 ?? -1) \($0.internet.p90 ?? -1) \($0.confidenceHigh ?? 0) \($0.paired)"
                }
                + report.charts.map { "\($0.cdfs) \($0.timeSeries)" }
        }
        for grouping in [GroupDimension.defaultGrouping, [.hour, .path]] {
            let roomy = try Self.report(text, options: ReportOptions(grouping: grouping, threads: 2))
            let tight = try Self.report(
                text, options: ReportOptions(grouping: grouping, threads: 2, memoryLimitBytes: 1))
            let roomyLines = full(roomy)
            let tightLines = full(tight)
            #expect(roomyLines.count == tightLines.count)
            for (a, b) in zip(roomyLines, tightLines) where a != b {
                Issue.record("differs:\n\(a)\n\(b)")
            }
        }
    }

    @Test("samples pair only with the same agent's: an agent probing one path does not pair with another's")
    func pairingKeepsAgentsApart() throws {
        var both = SampleSynthesizer.twoPaths(rounds: 300, count: 3, seed: 41)
        both.agent = "agent-b"
        var internetOnly = SampleSynthesizer.twoPaths(rounds: 300, count: 3, seed: 42)
        internetOnly.agent = "agent-a"
        internetOnly.paths = [internetOnly.paths[1]]
        internetOnly.paths[0].baseMilliseconds = 80
        let text = String(decoding: both.ndjson() + internetOnly.ndjson(), as: UTF8.self)
        let report = try Self.report(text, options: ReportOptions(threads: 2))
        for comparison in report.comparisons {
            #expect(comparison.paired)
            #expect(
                comparison.pairs > 850 && comparison.pairs <= 900,
                "agent-b's 900 samples less its losses, none of agent-a's")
            let difference = comparison.medianDifference ?? 0
            #expect(difference > -12 && difference < -6, "about -9 ms between agent-b's paths: \(difference)")
        }
    }

    @Test("rounds numbered far apart pair through the hash table and give what dense rounds give through the index")
    func sparseRoundsPairAlike() throws {
        let dense = String(
            decoding: SampleSynthesizer.twoPaths(rounds: 500, count: 3, seed: 61).ndjson(), as: UTF8.self)
        // The same samples with every round number times 1,000: far more slots than samples, so no index.
        let sparse = try Regex(#""round":([0-9]+),"#)
        let spread = dense.replacing(sparse) { match in
            "\"round\":\(Int(match.output[1].substring!)! * 1_000),"
        }
        #expect(spread != dense)
        let first = try Self.report(dense, options: ReportOptions(threads: 2))
        #expect(first.comparisons.count == 2 && first.comparisons.allSatisfy { $0.paired && $0.pairs > 1_400 })
        #expect(Self.summary(try Self.report(spread, options: ReportOptions(threads: 2))) == Self.summary(first))
        // In parts too (the smallest budget).
        #expect(
            Self.summary(try Self.report(spread, options: ReportOptions(threads: 2, memoryLimitBytes: 1)))
                == Self.summary(first))
    }

    @Test("the pairing index: a slot per agent, round and n in the common rounds; none when rounds are sparse")
    func pairingIndex() throws {
        let common: [(low: Int64, high: Int64)?] = [(10, 12), nil, (5, 5)]
        let index = try #require(PairingIndex(common: common, highestN: 2, samples: 12))
        #expect(index.slots == 3 * 3 + 1 * 3)
        func row(round: Int64, n: Int64) -> StoredRow {
            StoredRow(
                timestamp: 0, round: round, n: n, metrics: .init(repeating: 0), pop: 0, status: 200, ok: true,
                errorKind: 0)
        }
        #expect(index.slot(row(round: 10, n: 0), agent: 0) == 0)
        #expect(index.slot(row(round: 12, n: 2), agent: 0) == 8)
        #expect(index.slot(row(round: 5, n: 1), agent: 2) == 10)
        #expect(index.slot(row(round: 13, n: 0), agent: 0) == nil, "after the common rounds")
        #expect(index.slot(row(round: 11, n: 3), agent: 0) == nil, "n past the internet path's highest")
        #expect(index.slot(row(round: 11, n: 0), agent: 1) == nil, "an agent with no common rounds")
        #expect(index.slot(row(round: 11, n: 0), agent: 3) == nil, "an agent the index does not know")
        #expect(PairingIndex(common: [(0, 1_000_000)], highestN: 2, samples: 1_000) == nil, "sparse: a hash table")
        #expect(PairingIndex(common: [(0, 10)], highestN: -1, samples: 0) == nil, "no pairable sample")
    }
}
