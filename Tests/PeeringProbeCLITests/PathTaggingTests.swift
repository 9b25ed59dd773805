import Foundation
import TestSupport
import Testing

/// Probing through several uplinks tags every sample with its path, ISP, prefix and Peering Service status.
/// Loopback source addresses stand for uplinks; the server answers each with its own delay and edge header.
@Suite("Path tagging end to end", .serialized)
struct PathTaggingTests {
    private func json(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    private func config(server: LoopbackServer, extraPathB: String = "", targetURL: String? = nil) -> String {
        """
        agent: tagging
        site: lab
        region: westeurope
        providers:
          - name: isp-a
            asn: 64500
            peering_service: true
            prefixes: [203.0.113.0/24]
          - name: isp-b
            asn: 64501
            prefixes: [198.51.100.0/24]
        paths:
          - name: uplink-a
            provider: isp-a
            bind: 127.0.0.2
            egress_ip: 203.0.113.10
          - name: uplink-b
            provider: isp-b
            bind: 127.0.0.3
        \(extraPathB)
        defaults:
          count: 5
          spacing: 0ms
        targets:
          - name: edge
            url: \(targetURL ?? server.url("/"))

        """
    }

    private func start() throws -> LoopbackServer {
        try LoopbackServer.start(
            .init(profiles: [
                "127.0.0.2": .init(
                    waitMilliseconds: 5,
                    headers: ["X-MSEdge-Ref": "Ref A: 0A1B Ref B: AMSEDGE0101 Ref C: 2026-11-28T05:00:00Z"]),
                "127.0.0.3": .init(
                    waitMilliseconds: 40,
                    headers: ["X-MSEdge-Ref": "Ref A: 0C2D Ref B: FRAEDGE0202 Ref C: 2026-11-28T05:00:00Z"]),
            ]))
    }

    @Test("probe rounds, then report: the Peering Service uplink (5 ms) beats the internet uplink (40 ms)")
    func probeThenReport() throws {
        let server = try start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // uplink-b's egress is given: without it the first run has no address to classify it by (unknown).
        try config(server: server, extraPathB: "    egress_ip: 198.51.100.20\n").write(
            toFile: folder + "/c.yaml", atomically: true, encoding: .utf8)
        let runner = try CommandRunner()
        for _ in 0..<3 {
            let probe = try runner.run(["probe", "--config", folder + "/c.yaml", "--out", folder + "/data"])
            #expect(probe.status == 0, "\(probe.standardError)")
        }
        let report = try runner.run(["report", "--format", "json", folder + "/data"])
        #expect(report.status == 0, "\(report.standardError)")
        let document = try json(report.standardOutput)
        let comparisons = try #require(document["comparisons"] as? [[String: Any]])
        try #require(comparisons.count == 1)
        let comparison = comparisons[0]
        #expect(comparison["verdict"] as? String == "peering-faster", "\(comparison)")
        #expect(comparison["paired"] as? Bool == true)
        #expect(comparison["pairs"] as? Int == 15, "3 rounds x 5 samples, paired on (agent, round, n)")
        let difference = try #require(comparison["median_diff_ms"] as? Double)
        #expect(difference < -30 && difference > -45, "about 35 ms: \(difference)")
        let pops = try #require(document["pops"] as? [[String: Any]])
        let popOf = Dictionary(
            uniqueKeysWithValues: pops.map {
                ($0["path"] as? String ?? "", (($0["counts"] as? [[String: Any]])?.first?["pop"] as? String) ?? "")
            })
        #expect(popOf == ["uplink-a": "AMS", "uplink-b": "FRA"])
    }

    @Test("Each uplink's samples carry its tags, its PoP and its delay; discovery gives egress, then the cache")
    func taggedByUplink() throws {
        let server = try start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let discovery = "    egress_discovery: \(server.url("/echo-ip"))\n"
        try config(server: server, extraPathB: discovery).write(
            toFile: folder + "/c.yaml", atomically: true,
            encoding: .utf8)
        let runner = try CommandRunner()
        let run = try runner.run(["probe", "--config", folder + "/c.yaml", "--out", "-"])
        #expect(run.status == 0, "\(run.standardError)")
        let samples = try run.lines.map(json)
        #expect(samples.count == 10)
        let a = samples.filter { $0["path"] as? String == "uplink-a" }
        let b = samples.filter { $0["path"] as? String == "uplink-b" }
        #expect(a.count == 5 && b.count == 5)
        for sample in a {
            #expect(sample["isp"] as? String == "isp-a" && sample["asn"] as? Int == 64_500)
            #expect(sample["prefix"] as? String == "203.0.113.0/24")
            #expect(sample["path_type"] as? String == "peering-service")
            #expect(sample["egress_ip"] as? String == "203.0.113.10")
            #expect(sample["local_ip"] as? String == "127.0.0.2")
            #expect(sample["pop"] as? String == "AMS" && sample["edge_server"] as? String == "AMSEDGE0101")
        }
        for sample in b {
            #expect(sample["isp"] as? String == "isp-b" && sample["asn"] as? Int == 64_501)
            // Discovery over uplink-b returns 127.0.0.3, in no registered prefix: an internet path.
            #expect(sample["egress_ip"] as? String == "127.0.0.3")
            #expect(sample["prefix"] is NSNull)
            #expect(sample["path_type"] as? String == "internet")
            #expect(sample["pop"] as? String == "FRA")
            #expect((sample["edge_ref"] as? String)?.hasPrefix("Ref A: 0C2D") == true)
        }
        // Each uplink's samples carry its own delay (5 and 40 ms) and not the other's. A wait is never shorter
        // than the server's delay, and a loaded machine makes it longer by a few ms, not by 35: bounds that
        // tell the uplinks apart without timing them to the millisecond (PhaseTimingTests does that).
        let aWaits = a.compactMap { $0["wait_ms"] as? Double }
        let bWaits = b.compactMap { $0["wait_ms"] as? Double }
        #expect(aWaits.count == 5 && aWaits.allSatisfy { $0 >= 5 && $0 < 40 }, "uplink-a waits \(aWaits) ms")
        #expect(bWaits.count == 5 && bWaits.allSatisfy { $0 >= 40 && $0 < 75 }, "uplink-b waits \(bWaits) ms")
        let discoveries = try server.requests().filter { $0.path == "/echo-ip" }
        #expect(discoveries.map(\.client) == ["127.0.0.3"], "discovery goes out over the path's own binding")
    }

    @Test("Discovery cached in the output folder is used when discovery later fails")
    func discoveryCache() throws {
        let server = try start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runner = try CommandRunner()
        let good = "    egress_discovery: \(server.url("/echo-ip"))\n"
        try config(server: server, extraPathB: good).write(
            toFile: folder + "/c.yaml", atomically: true, encoding: .utf8)
        #expect(try runner.run(["probe", "--config", folder + "/c.yaml", "--out", folder + "/out"]).status == 0)
        let state = try String(contentsOfFile: folder + "/out/tagging/paths.state", encoding: .utf8)
        #expect(state.contains("uplink-b\tdiscovered\t127.0.0.3"))
        // Now the discovery URL answers 503: the cached address still tags the path.
        let failing = "    egress_discovery: \(server.url("/echo-ip", query: ["status": "503"]))\n"
        try config(server: server, extraPathB: failing).write(
            toFile: folder + "/c.yaml", atomically: true,
            encoding: .utf8)
        let run = try runner.run(["probe", "--config", folder + "/c.yaml", "--out", "-"])
        #expect(run.status == 0)
        let lines = try run.lines.map(json)
        #expect(lines.isEmpty == false, "stdout run has no state: egress is unknown there")
        let second = try runner.run(["probe", "--config", folder + "/c.yaml", "--out", folder + "/out"])
        #expect(second.status == 0, "\(second.standardError)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder + "/out/tagging")
            .filter { $0.hasSuffix(".ndjson") }.sorted()
        #expect(files.count == 2)
        let text = try String(contentsOfFile: folder + "/out/tagging/" + files[1], encoding: .utf8)
        let bSamples = try text.split(separator: "\n").map { try json(String($0)) }
            .filter { $0["path"] as? String == "uplink-b" }
        #expect(bSamples.allSatisfy { $0["egress_ip"] as? String == "127.0.0.3" })
    }

    @Test("A failed probe on a Peering Service path is still tagged peering-service")
    func failedProbeKeepsTags() throws {
        let server = try start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let closed = try freeLoopbackPortThatIsClosed()
        try config(server: server, targetURL: "http://127.0.0.1:\(closed)/").write(
            toFile: folder + "/c.yaml", atomically: true, encoding: .utf8)
        let run = try CommandRunner().run(["probe", "--config", folder + "/c.yaml", "--out", "-", "--count", "1"])
        #expect(run.status == 0)
        let a = try run.lines.map(json).filter { $0["path"] as? String == "uplink-a" }
        #expect(a.count == 1)
        #expect(a.first?["ok"] as? Bool == false)
        #expect((a.first?["error"] as? [String: Any])?["kind"] as? String == "connect")
        #expect(a.first?["path_type"] as? String == "peering-service")
        #expect(a.first?["prefix"] as? String == "203.0.113.0/24")
    }

    @Test("An egress in another provider's prefix is tagged internet, with a warning")
    func foreignPrefixWarns() throws {
        let server = try start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try config(server: server, extraPathB: "    egress_ip: 203.0.113.77\n").write(
            toFile: folder + "/c.yaml", atomically: true, encoding: .utf8)
        let run = try CommandRunner().run(["probe", "--config", folder + "/c.yaml", "--out", "-", "--count", "1"])
        #expect(run.status == 0)
        let b = try run.lines.map(json).filter { $0["path"] as? String == "uplink-b" }
        #expect(b.first?["path_type"] as? String == "internet")
        #expect(b.first?["prefix"] as? String == "203.0.113.0/24")
        #expect(run.standardError.contains("registered with provider isp-a"), "\(run.standardError)")
    }
}
