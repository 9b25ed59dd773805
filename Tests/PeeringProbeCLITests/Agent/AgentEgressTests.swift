import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `peering-probe run` follows a path that fails over to another uplink: egress discovery is repeated, the
/// path is tagged with its new prefix from the next round, and the change is logged once.
@Suite("run: egress rediscovery", .serialized)
struct AgentEgressTests {
    /// A discovery service on loopback that answers with the contents of `file` (the address the test says
    /// the path has now).
    private func startDiscovery(file: String, port: Int) throws -> RunningCommand {
        let script = """
            import http.server, sys
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = open(sys.argv[1], 'rb').read()
                    self.send_response(200)
                    self.send_header('Content-Length', str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[2])), H).serve_forever()
            """
        return try CommandRunner(path: "/usr/bin/python3").start(["-c", script, file, "\(port)"])
    }

    @Test("A path whose discovered egress moves to another provider's prefix is re-tagged from the next round")
    func failover() throws {
        let server = try LoopbackServer.start(.init(logRequests: false))
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let addressFile = folder + "/address"
        try "203.0.113.10\n".write(toFile: addressFile, atomically: true, encoding: .utf8)
        let port = try freeLoopbackPortThatIsClosed()
        let discovery = try startDiscovery(file: addressFile, port: port)
        defer { discovery.send(SIGKILL) }
        var ready = false
        for _ in 0..<100 where !ready {
            ready =
                (try? CommandRunner(path: "/usr/bin/curl").run(["-sf", "http://127.0.0.1:\(port)/"]))?
                .standardOutput.contains("203.0.113.10") == true
            if !ready { usleep(50_000) }
        }
        #expect(ready, "the discovery service answers")
        let config = folder + "/config.yaml"
        try """
        agent: agent-test
        schedule:
          interval: 200ms
          egress_discovery: 1s
        defaults:
          count: 1
        providers:
          - name: isp-a
            asn: 64500
            peering_service: true
            prefixes: [203.0.113.0/24]
          - name: isp-b
            asn: 64501
            prefixes: [198.51.100.0/24]
        paths:
          - name: uplink
            provider: isp-a
            egress_discovery: http://127.0.0.1:\(port)/
        targets:
          - name: t
            url: \(server.url("/"))
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let agent = try CommandRunner().start(["run", "--config", config, "--out", folder + "/out"])
        #expect(agent.waitForStandardError(containing: "started"))
        usleep(1_200_000)
        try "198.51.100.20\n".write(toFile: addressFile, atomically: true, encoding: .utf8)
        #expect(agent.waitForStandardError(containing: "path tags changed", timeout: 10), "\(agent.standardErrorSoFar)")
        usleep(2_500_000)
        agent.send(SIGTERM)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0)
        let changes = result.standardError.split(separator: "\n").filter { $0.contains("path tags changed") }
        #expect(changes.count == 1, "one change, logged once: \(changes)")
        let warnings = result.standardError.split(separator: "\n").filter {
            $0.contains("isp-b") && $0.contains("warning")
        }
        #expect(warnings.count == 1, "the egress in another provider's prefix is warned about once: \(warnings)")
        var types: [String] = []
        for file in AgentFolderReader(out: folder + "/out", agent: "agent-test").files().finished {
            for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let seq = try #require(object["seq"] as? Int)
                let type = try #require(object["path_type"] as? String)
                let prefix = object["prefix"] as? String
                types.append("\(seq) \(type) \(prefix ?? "-")")
            }
        }
        types.sort { Int($0.split(separator: " ")[0])! < Int($1.split(separator: " ")[0])! }
        let kinds = types.map { $0.split(separator: " ").dropFirst().joined(separator: " ") }
        let before = "peering-service 203.0.113.0/24"
        let after = "internet 198.51.100.0/24"
        let firstAfter = try #require(kinds.firstIndex(of: after), "\(kinds)")
        #expect(firstAfter >= 3 && kinds[..<firstAfter].allSatisfy { $0 == before }, "\(kinds)")
        #expect(kinds[firstAfter...].allSatisfy { $0 == after } && kinds.count - firstAfter >= 5, "\(kinds)")
    }
}
