import Foundation
import ProbeCore
import TestSupport
import Testing

@testable import ProbeReport

/// Comparisons, verdicts and PoP usage on samples whose truth is known.
@Suite("Comparisons and verdicts")
struct ComparisonTests {
    private static func report(_ synthesizers: [SampleSynthesizer], options: ReportOptions = ReportOptions())
        throws -> Report
    {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/batch.ndjson"
        try Data(synthesizers.flatMap { $0.ndjson() }).write(to: URL(fileURLWithPath: path))
        return try ReportBuilder(options: options).build(sources: [.file(path)])
    }

    /// Two paths at the given latencies (ms), everything else equal.
    private static func paths(peering: Double, internet: Double, jitter: Double = 2, rounds: Int = 200)
        -> SampleSynthesizer
    {
        var synthesizer = SampleSynthesizer.twoPaths(rounds: rounds, count: 3, seed: 51)
        synthesizer.targets = ["login"]
        synthesizer.paths[0].baseMilliseconds = peering
        synthesizer.paths[1].baseMilliseconds = internet
        synthesizer.paths[0].jitterMilliseconds = jitter
        synthesizer.paths[1].jitterMilliseconds = jitter
        synthesizer.paths[1].lossRate = 0
        return synthesizer
    }

    @Test("the verdict follows the data: Peering Service faster, internet faster, or no difference")
    func verdicts() throws {
        let faster = try Self.report([Self.paths(peering: 20, internet: 30)]).comparisons[0]
        guard case .peeringFaster(let ms, let p) = faster.verdict else {
            Issue.record("expected peering-faster, got \(faster.verdict)")
            return
        }
        #expect(ms > 8 && ms < 12)
        #expect(p < 0.001)
        #expect(faster.verdict.text.hasPrefix("Peering Service faster by "))

        let slower = try Self.report([Self.paths(peering: 30, internet: 20)]).comparisons[0]
        #expect(slower.verdict.code == "internet-faster", "\(slower.verdict)")
        #expect((slower.medianDifference ?? 0) > 8)

        let same = try Self.report([Self.paths(peering: 25, internet: 25)]).comparisons[0]
        #expect(same.verdict == .noSignificantDifference, "\(same.verdict), p = \(same.pValue ?? -1)")
        #expect(same.confidenceLow! < 0.5 && same.confidenceHigh! > -0.5)
    }

    @Test("a significant difference smaller than max(1 ms, 5%), or than --min-effect, is no difference")
    func minimumEffect() throws {
        let tiny = try Self.report([Self.paths(peering: 25.2, internet: 26, jitter: 0.3, rounds: 400)]).comparisons[0]
        #expect(tiny.pValue! < 0.001, "0.8 ms with little jitter is significant")
        #expect(tiny.verdict == .noSignificantDifference, "but below 1 ms: \(tiny.verdict)")

        let small = Self.paths(peering: 24, internet: 26, jitter: 0.3, rounds: 400)
        let byDefault = try Self.report([small]).comparisons[0]
        #expect(byDefault.verdict.code == "peering-faster", "2 ms is above max(1 ms, 1.3 ms): \(byDefault.verdict)")
        let demanding = try Self.report(
            [small], options: ReportOptions(minimumEffect: MinimumEffect(milliseconds: 3, percent: 0))
        ).comparisons[0]
        #expect(demanding.verdict == .noSignificantDifference, "2 ms is below --min-effect 3ms")
    }

    @Test("only the rounds both paths were probed in are compared; the rest is counted as trimmed")
    func window() throws {
        var late = Self.paths(peering: 20, internet: 30)
        late.paths = [late.paths[1]]  // the internet path only from round 101 on
        late.start += 100 * late.roundInterval
        late.firstRound = 101
        late.rounds = 100
        var early = Self.paths(peering: 20, internet: 30)
        early.paths = [early.paths[0]]  // the Peering Service path for all 200 rounds
        let comparison = try Self.report([early, late]).comparisons[0]
        let internetSamples = late.samples()
        let peeringSamples = early.samples()
        let outside = peeringSamples.filter { $0.round < 101 }
        #expect(comparison.trimmedSamples == outside.count)
        #expect(comparison.trimmedSamples == 300)
        #expect(comparison.peering.samples == peeringSamples.count - outside.count)
        #expect(comparison.internet.samples == internetSamples.count)
        let kept = peeringSamples.filter { $0.round >= 101 } + internetSamples
        #expect(comparison.windowStart == kept.map(\.timestamp).min())
        #expect(comparison.windowEnd == kept.map(\.timestamp).max())
        #expect(comparison.paired)
    }

    @Test("the slow path's last samples of the last round are not cut off (nothing trimmed when both run)")
    func nothingTrimmed() throws {
        let comparison = try Self.report([Self.paths(peering: 5, internet: 80)]).comparisons[0]
        #expect(comparison.trimmedSamples == 0)
        #expect(comparison.peering.samples == 600 && comparison.internet.samples == 600)
    }

    @Test("samples without a partner are compared unpaired, with Mann-Whitney")
    func unpaired() throws {
        var peering = Self.paths(peering: 20, internet: 30)
        peering.paths = [peering.paths[0]]
        var internet = Self.paths(peering: 20, internet: 30)
        internet.paths = [internet.paths[1]]
        internet.agent = "agent-2"  // another agent: rounds do not pair across agents
        let comparison = try Self.report([peering, internet]).comparisons[0]
        #expect(!comparison.paired)
        #expect(comparison.pairs == 0)
        #expect(comparison.verdict.code == "peering-faster")
        let difference = try #require(comparison.medianDifference)
        #expect(abs(difference - ((comparison.peering.p50 ?? 0) - (comparison.internet.p50 ?? 0))) < 1e-9)
    }

    @Test("PoP usage counts every answered sample and every change of PoP in time order")
    func pops() throws {
        let synthesizer = SampleSynthesizer.twoPaths(rounds: 150, count: 3, seed: 52)
        let report = try Self.report([synthesizer])
        let samples = synthesizer.samples()
        for usage in report.pops {
            let answered = samples.filter {
                $0.target == usage.target && $0.path.name == usage.path && $0.status != nil
            }.sorted { $0.timestamp < $1.timestamp }
            #expect(usage.answered == answered.count)
            #expect(usage.counts.reduce(0) { $0 + $1.count } == answered.count)
            for count in usage.counts {
                #expect(count.count == answered.filter { $0.pop == count.pop }.count, "\(usage.path) \(count)")
            }
            let pops = answered.compactMap(\.pop)
            let changes = zip(pops, pops.dropFirst()).filter { $0 != $1 }.count
            #expect(usage.changeCount == changes)
            #expect(usage.changes.count == min(changes, PopUsage.changeListLimit))
        }
        #expect(report.pops.contains { $0.changeCount > 0 })
    }
}
