import CurlKit
import ProbeCore
import TestSupport
import Testing

/// Each measured phase lands within max(3 ms, 10%) of a delay the server injects, over HTTP/1.1 and HTTPS.
@Suite("Phase timing against injected server delays", .serialized)
struct PhaseTimingTests {
    @Test("HTTP: server wait lands in wait_ms, body delay in transfer_ms, phases add up")
    func httpPhases() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let waitSample = try #require(
            try ProbeHarness.run(ProbeHarness.spec(server.url("/", query: ["wait_ms": "40"]))).first)
        #expect(waitSample.ok, "\(String(describing: waitSample.error))")
        #expect(ProbeHarness.close(waitSample.phases.wait, to: 40), "wait_ms \(waitSample.phases.wait ?? -1)")
        #expect(waitSample.phases.tls == nil)
        #expect(waitSample.httpVersion == "1.1")
        #expect(ProbeHarness.phaseSum(waitSample.phases) == waitSample.phases.total)

        let bodySample = try #require(
            try ProbeHarness.run(
                ProbeHarness.spec(
                    server.url("/", query: ["body_delay_ms": "60", "bytes": "5000"]))
            ).first)
        #expect(bodySample.ok)
        #expect(bodySample.bytes == 5000)
        #expect(
            ProbeHarness.close(bodySample.phases.transfer, to: 60), "transfer_ms \(bodySample.phases.transfer ?? -1)")
        #expect((bodySample.phases.wait ?? 0) < 3_000)
        #expect(ProbeHarness.phaseSum(bodySample.phases) == bodySample.phases.total)
        #expect(bodySample.remoteIP == "127.0.0.1")
        #expect(bodySample.remotePort == server.port)
        #expect(bodySample.localIP == "127.0.0.1")
        #expect(bodySample.ipVersion == 4)
    }

    @Test("HTTPS: handshake delay lands in tls_ms, with and without verification", arguments: [false, true])
    func httpsPhases(verify: Bool) throws {
        let certificates = try TestCertificates.shared()
        let server = try LoopbackServer.start(.init(tls: certificates, handshakeDelayMilliseconds: 50))
        defer { server.stop() }
        let spec = try ProbeHarness.spec(
            server.url("/", query: ["wait_ms": "30", "body_delay_ms": "20", "bytes": "3000"]),
            insecure: !verify, caFile: verify ? certificates.caFile : nil)
        let sample = try #require(try ProbeHarness.run(spec).first)
        #expect(sample.ok, "\(String(describing: sample.error))")
        #expect(ProbeHarness.close(sample.phases.tls, to: 50), "tls_ms \(sample.phases.tls ?? -1)")
        #expect(ProbeHarness.close(sample.phases.wait, to: 30), "wait_ms \(sample.phases.wait ?? -1)")
        #expect(ProbeHarness.close(sample.phases.transfer, to: 20), "transfer_ms \(sample.phases.transfer ?? -1)")
        #expect(ProbeHarness.phaseSum(sample.phases) == sample.phases.total)
    }

    @Test("Verified TLS phase stays within a millisecond or so of the unverified one (CA cache)")
    func caCacheKeepsClientCPUOutOfTLS() throws {
        let certificates = try TestCertificates.shared()
        let server = try LoopbackServer.start(.init(tls: certificates))
        defer { server.stop() }
        // Against the system bundle: the server's certificate is then untrusted, but the store is still
        // loaded; use the test CA for the verified case and compare medians over several samples.
        let verified = try ProbeHarness.run(ProbeHarness.spec(server.url(), count: 15, caFile: certificates.caFile))
        let insecure = try ProbeHarness.run(ProbeHarness.spec(server.url(), count: 15, insecure: true))
        #expect(verified.allSatisfy { $0.ok })
        let verifiedTLS = ProbeHarness.median(verified.compactMap(\.phases.tls))
        let insecureTLS = ProbeHarness.median(insecure.compactMap(\.phases.tls))
        #expect(verifiedTLS - insecureTLS < 1.5, "verified \(verifiedTLS) ms vs insecure \(insecureTLS) ms")
    }

    @Test("50 transfers in flight do not distort a 20 ms server wait")
    func concurrencyDoesNotDistortWait() throws {
        // The C delay server: the Python one queues requests at this rate and would measure itself.
        let server = try DelayServer()
        defer { server.stop() }
        let url = server.url(waitMilliseconds: 20)
        let alone = try ProbeHarness.run(ProbeHarness.spec(url, count: 20))
        let spec = try ProbeHarness.spec(url)
        let jobs = (0..<200).map { _ in ProbeJob(target: spec, path: .default) }
        let together = try ProbeHarness.run(jobs, concurrency: 50)
        #expect(together.count == 200)
        #expect(together.allSatisfy { $0.ok })
        let aloneMedian = ProbeHarness.median(alone.compactMap(\.phases.wait))
        let togetherMedian = ProbeHarness.median(together.compactMap(\.phases.wait))
        #expect(abs(togetherMedian - aloneMedian) <= 2, "alone \(aloneMedian) ms, 50 in flight \(togetherMedian) ms")
    }
}
