import CurlKit
import Foundation
import ProbeCore
import Synchronization
import TestSupport
import Testing

/// A cancelled round ends promptly and still yields one outcome, and one sample, per scheduled probe.
@Suite("Round cancellation", .serialized)
struct RoundCancellationTests {
    /// A hanging target (three samples; the first never answers) beside a quick one (`quick` samples, 100 ms
    /// each).
    private func jobs(_ server: LoopbackServer, quick count: Int = 4) throws -> [ProbeJob] {
        let hang = try ProbeHarness.spec(
            server.url("/hang", query: ["hang": "1"]), name: "hang", count: 3, timeout: .seconds(20))
        let quick = try ProbeHarness.spec(
            server.url("/quick", query: ["wait_ms": "100"]), name: "quick", count: count, spacing: .milliseconds(20))
        return [ProbeJob(target: hang, path: .default), ProbeJob(target: quick, path: .default)]
    }

    @Test("cancel() from another thread wakes the poll at once; running and unstarted probes become cancelled")
    func cancelMidRound() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        // The quick job is done after about 250 ms; then only the hanging transfer is left, and the engine
        // polls with its longest timeout (1 s), which only the wake-up pipe cuts short.
        let jobs = try jobs(server, quick: 2)
        let engine = try ProbeEngine()
        let stop = RoundCancellation()
        engine.cancellation = stop
        let cancelledAt = Mutex<Date?>(nil)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(600)) {
            cancelledAt.withLock { $0 = Date() }
            stop.cancel()
        }
        var outcomes: [ProbeOutcome] = []
        engine.runRound(jobs: jobs, concurrency: 8) { outcomes.append($0) }
        let ended = Date()
        let latency = ended.timeIntervalSince(try #require(cancelledAt.withLock { $0 }))
        #expect(stop.isCancelled && stop.signal == nil)
        #expect(latency < 0.3, "the round ended \(latency) s after cancel()")

        #expect(outcomes.count == 5)
        for (job, count) in [(0, 3), (1, 2)] {
            #expect(outcomes.filter { $0.job == job }.map(\.n).sorted() == Array(0..<count))
        }
        let hang = outcomes.filter { $0.job == 0 }
        #expect(hang.allSatisfy { $0.report.cancelled && !$0.report.succeeded })
        let inFlight = try #require(hang.first { $0.n == 0 })
        #expect(inFlight.report.total >= 500_000, "it ran from the start until cancel(): \(inFlight.report.total) µs")
        #expect(hang.filter { $0.n > 0 }.allSatisfy { $0.report.total == 0 && $0.report.startedAt > 0 })
        #expect(outcomes.filter { $0.job == 1 }.allSatisfy { $0.report.succeeded })
        // Finished outcomes first, then the cancelled ones in (n, job) order.
        #expect(outcomes.map { "\($0.job)/\($0.n)" } == ["1/0", "1/1", "0/0", "0/1", "0/2"])

        // The same engine and cancellation: a later round ends at once, all cancelled.
        var later: [ProbeOutcome] = []
        engine.runRound(jobs: jobs, concurrency: 8) { later.append($0) }
        #expect(later.count == 5 && later.allSatisfy { $0.report.cancelled && $0.report.total == 0 })
    }

    @Test("The runner turns cancelled outcomes into cancelled samples with consecutive seq, no status, only total")
    func cancelledSamples() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let jobs = try jobs(server)
        let engine = try ProbeEngine()
        let stop = RoundCancellation()
        engine.cancellation = stop
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(400)) { stop.cancel() }
        let runner = RoundRunner(identity: AgentIdentity(agent: "a", site: nil, region: nil), concurrency: 8)
        let result = runner.run(jobs, round: 3, batch: "b", firstSeq: 20, engine: engine)
        #expect(result.samples.map(\.seq) == Array(20..<27))
        let cancelled = result.samples.filter { $0.error?.kind == .cancelled }
        #expect(cancelled.count == 7 - result.samples.filter(\.ok).count)
        #expect(result.samples.filter(\.ok).count >= 2)
        for sample in cancelled {
            #expect(!sample.ok && sample.status == nil && sample.httpVersion == nil && sample.error?.code == nil)
            #expect(sample.phases == Phases(total: sample.phases.total))
        }
        let hang = cancelled.filter { $0.target == "hang" }.sorted { $0.n < $1.n }
        #expect(hang.map(\.n) == [0, 1, 2])
        #expect((hang.first?.phases.total ?? 0) >= 300_000)
        #expect(hang.dropFirst().allSatisfy { $0.phases.total == nil && $0.timestamp > 0 })
        let line = String(decoding: SampleEncoder().encode([try #require(hang.last)]), as: UTF8.self)
        #expect(line.contains(#""error":{"kind":"cancelled","code":null,"#), "\(line)")
        #expect(line.contains(#""total_ms":null"#), "\(line)")
    }

    @Test("A cancellation set before the round yields every probe as cancelled without sending anything")
    func cancelledBeforeRound() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let engine = try ProbeEngine()
        let stop = RoundCancellation()
        stop.cancel()
        stop.cancel()
        engine.cancellation = stop
        var outcomes: [ProbeOutcome] = []
        engine.runRound(jobs: try jobs(server), concurrency: 8) { outcomes.append($0) }
        #expect(outcomes.map { "\($0.job)/\($0.n)" } == ["0/0", "1/0", "0/1", "1/1", "0/2", "1/2", "1/3"])
        #expect(outcomes.allSatisfy { $0.report.cancelled && $0.report.total == 0 })
        #expect(try server.requests().isEmpty)
    }
}
