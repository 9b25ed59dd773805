import CurlKit
import ProbeCore
import TestSupport
import Testing

/// Rounds as ProbeCore's RoundsAndBatches article describes them: samples of one pair one after another,
/// spacing apart; pairs in parallel.
///
/// Upper time bounds are measured up to three times (``TimingAttempts``): a loaded machine can make one round
/// late, a scheduler that waits too long is late every time. Lower bounds hold on any machine and are checked
/// on every attempt.
@Suite("Round scheduling", .serialized)
struct RoundSchedulingTests {
    @Test("count samples of one pair run one after another, spacing apart, n from 0")
    func sequentialWithSpacing() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let spec = try ProbeHarness.spec(
            server.url("/", query: ["wait_ms": "20"]), count: 4, spacing: .milliseconds(50))
        /// The time from the end of each sample to the start of the next (µs).
        func gaps(_ samples: [Sample]) -> [Int64] {
            zip(samples, samples.dropFirst()).map { previous, next in
                next.timestamp - (previous.timestamp + (previous.phases.total ?? 0))
            }
        }
        let rounds = try TimingAttempts.measure({ try ProbeHarness.run(spec) }) { samples in
            gaps(samples).allSatisfy { $0 < 80_000 }
        }
        for samples in rounds.values {
            #expect(samples.map(\.n) == [0, 1, 2, 3])
            #expect(samples.allSatisfy { $0.ok })
            #expect(gaps(samples).allSatisfy { $0 >= 50_000 }, "gaps \(gaps(samples)) µs")
        }
        let spaced = rounds.passed
        #expect(spaced, "gaps of each attempt \(rounds.values.map(gaps)) µs; spacing is 50 ms")
    }

    @Test("Different pairs run at the same time, up to the concurrency limit")
    func pairsInParallel() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let url = server.url("/", query: ["wait_ms": "100"])
        let jobs = try (0..<4).map { ProbeJob(target: try ProbeHarness.spec(url, name: "t\($0)"), path: .default) }
        let clock = ContinuousClock()
        /// One round of `jobs` at `concurrency`, with how long it took; a failed run fails the test.
        func round(concurrency: Int) throws -> (elapsed: Duration, samples: [Sample]) {
            let start = clock.now
            let samples = try ProbeHarness.run(jobs, concurrency: concurrency)
            return (clock.now - start, samples)
        }
        let parallel = try TimingAttempts.measure({ try round(concurrency: 4) }) { $0.elapsed < .milliseconds(250) }
        let serial = try round(concurrency: 1)
        for run in parallel.values + [serial] {
            #expect(run.samples.count == 4 && run.samples.allSatisfy { $0.ok }, "\(run.samples.map(\.error))")
        }
        let overlapped = parallel.passed
        #expect(overlapped, "4 pairs of 100 ms at concurrency 4 took \(parallel.values.map(\.elapsed))")
        #expect(serial.elapsed >= .milliseconds(400), "4 pairs of 100 ms at concurrency 1 took \(serial.elapsed)")
    }

    @Test("Every scheduled probe yields exactly one sample, even when the transfer cannot be configured")
    func exactlyOneSampleEach() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let good = try ProbeHarness.spec(server.url(), name: "good", count: 3)
        var bad = try ProbeHarness.spec(server.url(), name: "bad", count: 2)
        bad.transfer.interface = "no-such-interface-xyz"
        let samples = try ProbeHarness.run([
            ProbeJob(target: good, path: .default), ProbeJob(target: bad, path: .default),
        ])
        #expect(samples.filter { $0.target == "good" }.count == 3)
        #expect(samples.filter { $0.target == "bad" }.count == 2)
        #expect(samples.filter { $0.target == "bad" }.allSatisfy { $0.error?.kind == .connect })
    }

    @Test("A name pinned with resolve connects to the pinned address; no DNS query is made")
    func resolvePinning() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let url = "http://login.microsoftonline.com:\(server.port)/pinned"
        let sample = try #require(
            try ProbeHarness.run(
                ProbeHarness.spec(
                    url, resolve: ["login.microsoftonline.com:\(server.port):127.0.0.1"])
            ).first)
        #expect(sample.ok)
        #expect(sample.remoteIP == "127.0.0.1")
        #expect(try server.requests().last?.header("Host") == "login.microsoftonline.com:\(server.port)")
    }

    @Test("The URL in a sample has no user info, query or fragment")
    func redaction() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let url = "http://user:secret@127.0.0.1:\(server.port)/path?token=abc#frag"
        let sample = try #require(try ProbeHarness.run(ProbeHarness.spec(url)).first)
        #expect(sample.url == "http://127.0.0.1:\(server.port)/path")
    }
}
