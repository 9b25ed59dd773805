import CurlKit
import ProbeCore
import TestSupport
import Testing

/// Every error kind comes from a real fault, and a failed probe keeps every phase that did complete.
@Suite("Errors are data", .serialized)
struct ProbeErrorTests {
    @Test("A closed port is a connect error with only dns and total")
    func closedPort() throws {
        let port = try freeLoopbackPortThatIsClosed()
        let sample = try #require(try ProbeHarness.run(ProbeHarness.spec("http://127.0.0.1:\(port)/")).first)
        #expect(!sample.ok)
        #expect(sample.error?.kind == .connect)
        #expect(sample.error?.code == 7)
        #expect(sample.status == nil)
        #expect(sample.phases.dns != nil)
        #expect(sample.phases.connect == nil && sample.phases.tls == nil && sample.phases.wait == nil)
        #expect(sample.phases.total != nil)
    }

    @Test("A server that accepts and never answers is a timeout, with the time until it gave up")
    func hangIsTimeout() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let spec = try ProbeHarness.spec(server.url("/", query: ["hang": "1"]), timeout: .milliseconds(400))
        // Up to five attempts at the time, as in PhaseTimingTests (``TimingAttempts``): a loaded machine can
        // make one late.
        let samples = try TimingAttempts.measure(attempts: 5, { try #require(try ProbeHarness.run(spec).first) }) {
            ProbeHarness.close($0.phases.total, to: 400)
        }
        for sample in samples.values {
            #expect(sample.error?.kind == .timeout)
            #expect(sample.error?.code == 28)
            #expect(sample.phases.connect != nil, "the TCP connect did complete")
            #expect(sample.phases.wait == nil)
        }
        let landed = samples.passed
        #expect(landed, "total µs of each attempt \(samples.values.map(\.phases.total))")
    }

    @Test("A blackhole TLS server (never handshakes) is a timeout with connect kept")
    func blackholeIsTimeout() throws {
        let server = try LoopbackServer.start(.init(blackhole: true))
        defer { server.stop() }
        let sample = try #require(
            try ProbeHarness.run(
                ProbeHarness.spec("https://127.0.0.1:\(server.port)/", insecure: true, timeout: .milliseconds(300))
            ).first)
        #expect(sample.error?.kind == .timeout)
        #expect(sample.phases.tls == nil)
    }

    @Test("An untrusted certificate without insecure is a tls error; connect is null, not a false zero")
    func untrustedCertificate() throws {
        let server = try LoopbackServer.start(.init(tls: try TestCertificates.shared()))
        defer { server.stop() }
        let sample = try #require(try ProbeHarness.run(ProbeHarness.spec(server.url())).first)
        #expect(sample.error?.kind == .tls)
        #expect(sample.error?.code == 60)
        #expect(sample.status == nil)
        #expect(sample.phases.tls == nil)
        #expect(sample.phases.connect == nil || (sample.phases.connect ?? 0) > 0)
        #expect(sample.phases.dns != nil)
    }

    @Test("A 503 is an http error that keeps every timing")
    func unexpectedStatus() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let spec = try ProbeHarness.spec(server.url("/", query: ["status": "503", "wait_ms": "10"]))
        // Up to five attempts at the wait, compared with the wait the server logged, as in PhaseTimingTests
        // (``TimingAttempts``): a loaded machine can make one late.
        let attempts = try TimingAttempts.measure(
            attempts: 5,
            { try ProbeHarness.servedSample(spec, by: server) }
        ) { ProbeHarness.close($0.sample.phases.wait, toServed: $0.served.waitMicroseconds, expected: 10) }
        for (sample, _) in attempts.values {
            #expect(!sample.ok)
            #expect(sample.status == 503)
            #expect(
                sample.error
                    == SampleError(
                        kind: .http, code: nil,
                        message: "unexpected HTTP status 503 (expected 200-399)"))
            #expect(ProbeHarness.phaseSum(sample.phases) == sample.phases.total)
        }
        let landed = attempts.passed
        let waits = attempts.values.map { ($0.sample.phases.wait, $0.served.waitMicroseconds) }
        #expect(landed, "wait µs (client, server) of each attempt, 10 ms asked: \(waits)")
    }

    @Test("An expected 503 is ok")
    func expectedStatus() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let sample = try #require(
            try ProbeHarness.run(
                ProbeHarness.spec(server.url("/", query: ["status": "503"]), expect: StatusSet([200...299, 503...503]))
            ).first)
        #expect(sample.ok)
        #expect(sample.error == nil)
    }

    @Test("A reset in the middle of the body is a recv error; wait is kept, transfer is not")
    func resetMidBody() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let sample = try #require(
            try ProbeHarness.run(
                ProbeHarness.spec(
                    server.url("/", query: ["bytes": "100000", "reset_after": "1000", "wait_ms": "5"]))
            ).first)
        #expect(sample.error?.kind == .recv, "\(String(describing: sample.error))")
        #expect(sample.status == 200)
        #expect(sample.phases.wait != nil)
        #expect(sample.phases.transfer == nil)
        #expect(sample.bytes >= 1000 && sample.bytes < 100_000)
    }

    @Test("A body larger than max_bytes stops the transfer: kind other, bytes capped")
    func bodyLimit() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        var spec = try ProbeHarness.spec(server.url("/", query: ["bytes": "200000"]))
        spec.transfer.maxBodyBytes = 10_000
        let sample = try #require(try ProbeHarness.run(spec).first)
        #expect(
            sample.error
                == SampleError(
                    kind: .other, code: 23,
                    message: "response body larger than max_bytes (10000 bytes); transfer stopped there"))
        #expect(sample.bytes == 10_000)
        #expect(sample.status == 200)
    }

    @Test(
        "curl result codes map to the schema's kinds",
        arguments: [
            (6, SampleError.Kind.dns), (7, .connect), (28, .timeout), (35, .tls), (60, .tls), (22, .http), (55, .send),
            (56, .recv), (18, .recv), (52, .recv), (42, .cancelled), (3, .other),
        ])
    func kinds(code: Int, kind: SampleError.Kind) {
        #expect(SampleError.kind(forCurlCode: code) == kind)
    }
}
