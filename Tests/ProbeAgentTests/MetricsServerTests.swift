import Foundation
import ProbeAgent
import ProbeCore
import TestSupport
import Testing

/// The metrics listener over loopback, fetched with curl: `/metrics`, `/-/healthy`, other paths and methods,
/// a port in use, IPv6 loopback, and stopping.
@Suite("metrics server")
struct MetricsServerTests {
    /// What curl saw: the status, the headers (lower-cased names) and the body.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// Fetches `url` with curl (`-i`), with `extra` arguments such as `-X POST` or `-I`.
    static func fetch(_ url: String, _ extra: [String] = []) throws -> Response {
        let result = try CommandRunner(path: "/usr/bin/curl").run(
            ["-sS", "-i", "-g", "--max-time", "10"] + extra + [url], timeout: 20)
        guard result.status == 0 else { throw TestSupportError("curl \(url): \(result.standardError)") }
        let text = result.standardOutput
        let split = text.range(of: "\r\n\r\n")
        let head = split.map { String(text[..<$0.lowerBound]) } ?? text
        let body = split.map { String(text[$0.upperBound...]) } ?? ""
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return Response(status: statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0, headers: headers, body: body)
    }

    static func monotonicNow() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1_000
    }

    @Test("GET /metrics serves the exposition as text format 0.0.4; HEAD the same headers without a body")
    func metrics() async throws {
        let metrics = AgentMetrics(version: "0.1.0")
        metrics.record(SampleSynthesizer.twoPaths(rounds: 2).samples())
        let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, metrics: metrics)
        #expect(server.port > 0)
        #expect(server.localAddress == "127.0.0.1:\(server.port)")
        let response = try Self.fetch("http://127.0.0.1:\(server.port)/metrics")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.body.utf8.count == metrics.exposition().count)
        #expect(response.headers["content-length"] == String(response.body.utf8.count))
        let exposition = Exposition(Array(response.body.utf8))
        #expect(
            exposition[
                #"peering_probe_samples_total{target="login",path="isp-a",path_type="peering-service",result="ok"}"#]
                == 6)

        let head = try Self.fetch("http://127.0.0.1:\(server.port)/metrics", ["-I"])
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["content-length"] == response.headers["content-length"])
        // A query string does not change the path.
        #expect(try Self.fetch("http://127.0.0.1:\(server.port)/metrics?name[]=x").status == 200)
        await server.close()
    }

    @Test("GET /-/healthy is 200 while every target ran within three intervals, else 503 naming the late ones")
    func healthy() async throws {
        let metrics = AgentMetrics(version: "0.1.0")
        let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, metrics: metrics)
        let url = "http://127.0.0.1:\(server.port)/-/healthy"
        var response = try Self.fetch(url)
        #expect(response.status == 200)
        #expect(response.body == "OK\n")

        // Scheduled 10 s ago at a 1 s interval, and never finished a round.
        let start = Self.monotonicNow() - 10_000_000
        metrics.setSchedule([
            "login": RoundSchedule(interval: .seconds(1), agent: "a", target: "login", start: start),
            "graph": RoundSchedule(interval: .seconds(60), agent: "a", target: "graph", start: start),
        ])
        response = try Self.fetch(url)
        #expect(response.status == 503)
        #expect(response.body.contains("login"))
        #expect(!response.body.contains("graph"))

        metrics.roundFinished(
            target: "login", wallClockSeconds: 1_795_000_000, monotonicMicroseconds: Self.monotonicNow())
        response = try Self.fetch(url)
        #expect(response.status == 200)
        #expect(response.body == "OK\n")
        #expect(try Self.fetch(url, ["-I"]).status == 200)
        await server.close()
    }

    @Test("other paths are 404, other methods 405 with Allow")
    func otherRequests() async throws {
        let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, metrics: AgentMetrics(version: "t"))
        let base = "http://127.0.0.1:\(server.port)"
        #expect(try Self.fetch(base + "/").status == 404)
        #expect(try Self.fetch(base + "/metricsx").status == 404)
        #expect(try Self.fetch(base + "/-/ready").status == 404)
        let post = try Self.fetch(base + "/metrics", ["-X", "POST", "-d", "x=1"])
        #expect(post.status == 405)
        #expect(post.headers["allow"] == "GET, HEAD")
        #expect(try Self.fetch(base + "/-/healthy", ["-X", "DELETE"]).status == 405)
        // HTTP/1.0 without keep-alive: the server closes after the answer.
        let old = try Self.fetch(base + "/metrics", ["--http1.0"])
        #expect(old.status == 200)
        #expect(old.headers["connection"] == "close")
        await server.close()
    }

    @Test("a port in use is an error naming the address and the reason")
    func portInUse() async throws {
        let metrics = AgentMetrics(version: "t")
        let first = try await MetricsServer.bind(host: "127.0.0.1", port: 0, metrics: metrics)
        let error = await #expect(throws: MetricsServerError.self) {
            _ = try await MetricsServer.bind(host: "127.0.0.1", port: first.port, metrics: metrics)
        }
        #expect(error?.isAddressInUse == true)
        #expect(error?.address == "127.0.0.1:\(first.port)")
        #expect(error?.description == "cannot listen for metrics on 127.0.0.1:\(first.port): \(error?.reason ?? "")")
        #expect(error?.description.contains("already in use") == true)
        await first.close()

        let notHere = await #expect(throws: MetricsServerError.self) {
            _ = try await MetricsServer.bind(host: "192.0.2.1", port: 0, metrics: metrics)
        }
        #expect(notHere?.description.hasPrefix("cannot listen for metrics on 192.0.2.1:0: ") == true)
        #expect(notHere?.isAddressInUse == false)
    }

    @Test(
        "binds [::1] (IPv6 loopback)",
        .enabled(if: LoopbackServer.ipv6LoopbackIsAvailable, "this machine has no IPv6 loopback (::1)"))
    func ipv6() async throws {
        let server = try await MetricsServer.bind(host: "[::1]", port: 0, metrics: AgentMetrics(version: "t"))
        #expect(server.host == "::1")
        #expect(server.localAddress == "[::1]:\(server.port)")
        #expect(try Self.fetch("http://[::1]:\(server.port)/metrics").status == 200)
        await server.close()
    }

    @Test("run() serves until its task is cancelled, then the port is closed")
    func runUntilCancelled() async throws {
        let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, metrics: AgentMetrics(version: "t"))
        let port = server.port
        let running = Task { try await server.run() }
        #expect(try Self.fetch("http://127.0.0.1:\(port)/-/healthy").status == 200)
        running.cancel()
        try await running.value
        let refused = try CommandRunner(path: "/usr/bin/curl").run(
            ["-sS", "--max-time", "5", "http://127.0.0.1:\(port)/metrics"])
        #expect(refused.status == 7, "curl: \(refused.standardError)")
    }
}
