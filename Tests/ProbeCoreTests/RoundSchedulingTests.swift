import CurlKit
import ProbeCore
import TestSupport
import Testing

/// Rounds as ProbeCore's RoundsAndBatches article describes them: samples of one pair one after another,
/// spacing apart; pairs in parallel.
@Suite("Round scheduling", .serialized)
struct RoundSchedulingTests {
    @Test("count samples of one pair run one after another, spacing apart, n from 0")
    func sequentialWithSpacing() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let samples = try ProbeHarness.run(
            ProbeHarness.spec(
                server.url("/", query: ["wait_ms": "20"]), count: 4, spacing: .milliseconds(50)))
        #expect(samples.map(\.n) == [0, 1, 2, 3])
        for (previous, next) in zip(samples, samples.dropFirst()) {
            let previousEnd = previous.timestamp + (previous.phases.total ?? 0)
            #expect(next.timestamp - previousEnd >= 50_000, "gap \(next.timestamp - previousEnd) µs")
            #expect(next.timestamp - previousEnd < 80_000, "gap \(next.timestamp - previousEnd) µs")
        }
    }

    @Test("Different pairs run at the same time, up to the concurrency limit")
    func pairsInParallel() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let url = server.url("/", query: ["wait_ms": "100"])
        let jobs = try (0..<4).map { ProbeJob(target: try ProbeHarness.spec(url, name: "t\($0)"), path: .default) }
        let clock = ContinuousClock()
        let parallel = clock.measure { _ = try? ProbeHarness.run(jobs, concurrency: 4) }
        let serial = clock.measure { _ = try? ProbeHarness.run(jobs, concurrency: 1) }
        #expect(parallel < .milliseconds(250), "4 pairs at concurrency 4 took \(parallel)")
        #expect(serial >= .milliseconds(400), "4 pairs at concurrency 1 took \(serial)")
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
