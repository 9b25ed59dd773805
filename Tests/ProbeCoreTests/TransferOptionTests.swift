import CurlKit
import ProbeCore
import TestSupport
import Testing

/// Per-target options reach the wire: method, headers, source binding, address family.
@Suite("Transfer options", .serialized)
struct TransferOptionTests {
    @Test("HEAD sends no body back; GET counts the body")
    func head() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let url = server.url("/", query: ["bytes": "4096"])
        let head = try #require(try ProbeHarness.run(ProbeHarness.spec(url, method: .head)).first)
        let get = try #require(try ProbeHarness.run(ProbeHarness.spec(url)).first)
        #expect(head.ok && head.method == .head && head.bytes == 0)
        #expect(get.ok && get.method == .get && get.bytes == 4096)
        #expect(try server.requests().map(\.method) == ["HEAD", "GET"])
    }

    @Test("Extra request headers are sent")
    func headers() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        var spec = try ProbeHarness.spec(server.url())
        spec.transfer.headers = ["X-Probe-Test: yes"]
        _ = try ProbeHarness.run(spec)
        #expect(try server.requests().last?.header("X-Probe-Test") == "yes")
        #expect(try server.requests().last?.header("User-Agent") == "peering-probe")
    }

    @Test("Source binding to a local address sets the local IP the server sees")
    func sourceBinding() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        var spec = try ProbeHarness.spec(server.url())
        spec.transfer.interface = "127.0.0.2"
        let sample = try #require(try ProbeHarness.run(spec).first)
        #expect(sample.ok)
        #expect(sample.localIP == "127.0.0.2")
        #expect(try server.requests().last?.client == "127.0.0.2")
    }

    @Test("IPv6 only reaches ::1 and says ip_version 6; IPv4 only refuses an IPv6 literal")
    func addressFamily() throws {
        guard LoopbackServer.ipv6LoopbackIsAvailable else { return }
        let server = try LoopbackServer.start(.init(bindAddress: "::1"))
        defer { server.stop() }
        var spec = try ProbeHarness.spec(server.url())
        spec.transfer.ipVersion = .v6
        let sample = try #require(try ProbeHarness.run(spec).first)
        #expect(sample.ok)
        #expect(sample.remoteIP == "::1")
        #expect(sample.ipVersion == 6)
        spec.transfer.ipVersion = .v4
        let refused = try #require(try ProbeHarness.run(spec).first)
        #expect(!refused.ok)
        #expect(refused.error == SampleError(kind: .connect, code: 7, message: "Couldn't connect to server"))
    }

    @Test("Redirects are not followed by default; when followed, redirect_ms is set")
    func redirects() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let target = server.url("/final")
        let url = server.url("/", queryItems: [("status", "302"), ("header", "Location:\(target)")])
        let plain = try #require(try ProbeHarness.run(ProbeHarness.spec(url)).first)
        #expect(plain.status == 302 && plain.ok)
        #expect(plain.phases.redirect == nil)
        var spec = try ProbeHarness.spec(url)
        spec.transfer.followRedirects = true
        let followed = try #require(try ProbeHarness.run(spec).first)
        #expect(followed.status == 200)
        #expect((followed.phases.redirect ?? 0) > 0)
        #expect(try server.requests().map(\.path).last == "/final")
    }
}
