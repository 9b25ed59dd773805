import CurlKit
import ProbeCore
import TestSupport
import Testing

/// The round runner turns a round's jobs into samples: one per scheduled probe, numbered from the first `seq`
/// in the order they finish, stamped with the round, batch, identity and the job's path tags.
@Suite("Round runner", .serialized)
struct RoundRunnerTests {
    @Test("A round over two paths yields one sample per probe with consecutive seq, its round, batch and tags")
    func twoPaths() throws {
        let server = try LoopbackServer.start(
            .init(profiles: [
                "127.0.0.2": .init(headers: ["X-MSEdge-Ref": "Ref A: 0A1B Ref B: AMSEDGE0101 Ref C: x"]),
                "127.0.0.3": .init(headers: ["X-MSEdge-Ref": "Ref A: 0C2D Ref B: FRAEDGE0202 Ref C: x"]),
            ]))
        defer { server.stop() }
        var first = try ProbeHarness.spec(server.url("/first"), name: "first", count: 3)
        first.transfer.captureHeaders = EdgeRule.headerNames(of: EdgeRule.defaultRules)
        let second = try ProbeHarness.spec(server.url("/second"), name: "second", count: 2)
        let pathA = PathTags(name: "uplink-a", type: .peeringService, isp: "isp-a", asn: 64500)
        let pathB = PathTags(name: "uplink-b", type: .internet, isp: "isp-b", asn: 64501)
        let jobs = [
            ProbeJob(target: first, path: pathA, interface: "127.0.0.2"),
            ProbeJob(target: first, path: pathB, interface: "127.0.0.3"),
            ProbeJob(target: second, path: pathA, interface: "127.0.0.2"),
            ProbeJob(target: second, path: pathB, interface: "127.0.0.3"),
        ]
        let runner = RoundRunner(
            identity: AgentIdentity(agent: "edge-1", site: "lab", region: "westeurope"), concurrency: 4)
        let result = runner.run(
            jobs, round: 7, batch: "edge-1-20261128T050000Z-41", firstSeq: 41, engine: try ProbeEngine())

        #expect(result.samples.count == 10)
        #expect(result.samples.map(\.seq) == Array(41...50))
        #expect(result.samples.allSatisfy { $0.ok }, "\(result.samples.map { $0.error as Any })")
        #expect(result.samples.allSatisfy { $0.round == 7 && $0.batch == "edge-1-20261128T050000Z-41" })
        #expect(result.samples.allSatisfy { $0.agent == "edge-1" && $0.site == "lab" && $0.region == "westeurope" })
        for (target, count) in [("first", 3), ("second", 2)] {
            for (path, local) in [(pathA, "127.0.0.2"), (pathB, "127.0.0.3")] {
                let pair = result.samples.filter { $0.target == target && $0.path == path }
                #expect(pair.map(\.n) == Array(0..<count), "\(target) over \(path.name)")
                #expect(pair.allSatisfy { $0.localIP == local }, "\(target) over \(path.name)")
            }
        }
        let edges = result.samples.filter { $0.target == "first" }.map { ($0.path.name, $0.pop) }
        #expect(edges.allSatisfy { $0 == ("uplink-a", "AMS") || $0 == ("uplink-b", "FRA") }, "\(edges)")
        #expect(result.localAddresses == ["uplink-a": IPAddress("127.0.0.2")!, "uplink-b": IPAddress("127.0.0.3")!])
    }

    @Test("The runner a config describes carries its agent id, labels, edge rules and concurrency")
    func fromConfig() throws {
        var config = try ConfigLoader.load(
            yaml: "agent: a1\nsite: s\nregion: r\ntargets:\n  - url: http://127.0.0.1/\n", source: "t")
        var overrides = ProbeOverrides()
        overrides.concurrency = 3
        let runner = RoundRunner(config: config, overrides: overrides)
        #expect(
            runner.identity == AgentIdentity(agent: "a1", site: "s", region: "r", edgeRules: config.effectiveEdgeRules))
        #expect(runner.concurrency == 3)
        config.agent = nil
        #expect(RoundRunner(config: config).identity.agent == config.agentID)
        #expect(!config.agentID.isEmpty)
    }
}
