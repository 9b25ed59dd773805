import Foundation
public import ProbeCore

/// Makes realistic synthetic samples for report tests, the report benchmark and the demo's fixtures:
/// several targets probed over several paths round after round, each path with its own latency, jitter,
/// loss and edge PoPs. Deterministic for a given seed.
public struct SampleSynthesizer: Sendable {
    /// One simulated path.
    public struct PathModel: Sendable {
        /// Path tags written into every sample.
        public var tags: PathTags
        /// Typical total latency, ms.
        public var baseMilliseconds: Double
        /// Mean of the exponential extra latency, ms (the jitter).
        public var jitterMilliseconds: Double
        /// Fraction of probes that time out (no answer).
        public var lossRate: Double
        /// PoPs reached, with their weights.
        public var pops: [(pop: String, weight: Double)]

        /// Makes a path model.
        public init(
            tags: PathTags, baseMilliseconds: Double, jitterMilliseconds: Double, lossRate: Double = 0,
            pops: [(pop: String, weight: Double)] = [("AMS", 1)]
        ) {
            self.tags = tags
            self.baseMilliseconds = baseMilliseconds
            self.jitterMilliseconds = jitterMilliseconds
            self.lossRate = lossRate
            self.pops = pops
        }
    }

    /// Agent id.
    public var agent: String
    /// Site and region.
    public var site: String?
    /// See ``site``.
    public var region: String?
    /// Target names; each target adds its index × 3 ms to every path's latency.
    public var targets: [String]
    /// The paths.
    public var paths: [PathModel]
    /// Rounds to make.
    public var rounds: Int
    /// Samples per (target, path) per round.
    public var count: Int
    /// Start of the first round, µs since the epoch.
    public var start: Int64
    /// Time between rounds, µs.
    public var roundInterval: Int64
    /// Seed of the random latencies.
    public var seed: UInt64
    /// Number of the first round (an agent's rounds keep counting across runs).
    public var firstRound: Int64 = 1

    /// Makes a synthesizer.
    public init(
        agent: String = "agent-1", site: String? = "ams-office", region: String? = "westeurope",
        targets: [String] = ["login", "graph"], paths: [PathModel], rounds: Int, count: Int = 3,
        start: Int64 = 1_795_000_000_000_000, roundInterval: Int64 = 60_000_000, seed: UInt64 = 1
    ) {
        self.agent = agent
        self.site = site
        self.region = region
        self.targets = targets
        self.paths = paths
        self.rounds = rounds
        self.count = count
        self.start = start
        self.roundInterval = roundInterval
        self.seed = seed
    }

    /// A Peering Service path faster and steadier than an internet path with a little loss: the usual fixture.
    public static func twoPaths(rounds: Int, count: Int = 3, seed: UInt64 = 1) -> SampleSynthesizer {
        SampleSynthesizer(
            paths: [
                PathModel(
                    tags: PathTags(
                        name: "isp-a", type: .peeringService, isp: "Contoso Telecom", asn: 64_500,
                        prefix: "198.51.100.0/24", egressIP: "198.51.100.7"),
                    baseMilliseconds: 18, jitterMilliseconds: 1.5, pops: [("AMS", 0.97), ("LON", 0.03)]),
                PathModel(
                    tags: PathTags(
                        name: "isp-b", type: .internet, isp: "Fabrikam Net", asn: 64_501,
                        prefix: nil, egressIP: "203.0.113.9"),
                    baseMilliseconds: 27, jitterMilliseconds: 6, lossRate: 0.01,
                    pops: [("AMS", 0.6), ("FRA", 0.4)]),
            ],
            rounds: rounds, count: count, seed: seed)
    }

    /// Every sample, in the order an agent writes them (round by round, `seq` ascending).
    public func samples() -> [Sample] {
        var out: [Sample] = []
        forEachSample { out.append($0) }
        return out
    }

    /// NDJSON of every sample.
    public func ndjson() -> [UInt8] {
        var buffer: [UInt8] = []
        let encoder = SampleEncoder()
        forEachSample { encoder.encode($0, into: &buffer) }
        return buffer
    }

    /// Calls `body` with each sample in write order, without keeping them.
    public func forEachSample(_ body: (Sample) -> Void) {
        var random = SeededGenerator(seed: seed)
        var seq: Int64 = 1
        for round in 0..<rounds {
            let roundStart = start + Int64(round) * roundInterval
            for (targetIndex, target) in targets.enumerated() {
                for n in 0..<count {
                    for path in paths {
                        let timestamp =
                            roundStart + Int64(targetIndex) * 7_000 + Int64(n) * 100_000
                            + Int64(random.next() % 2_000)
                        let sample = makeSample(
                            path: path, target: target, targetIndex: targetIndex, round: round,
                            n: n, seq: seq, timestamp: timestamp, random: &random)
                        seq += 1
                        body(sample)
                    }
                }
            }
        }
    }

    private func makeSample(
        path: PathModel, target: String, targetIndex: Int, round: Int, n: Int, seq: Int64, timestamp: Int64,
        random: inout SeededGenerator
    ) -> Sample {
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let lost = uniform() < path.lossRate
        let extra = -path.jitterMilliseconds * log(max(uniform(), 1e-12))
        let total = Int64(((path.baseMilliseconds + Double(targetIndex) * 3 + extra) * 1_000).rounded())
        let dns = 300 + Int64(random.next() % 700)
        let connect = total / 4
        let tls = total / 3
        let request = 40 + Int64(random.next() % 60)
        let transfer = 50 + Int64(random.next() % 200)
        let wait = max(1, total - dns - connect - tls - request - transfer)
        var pick = uniform() * path.pops.reduce(0) { $0 + $1.weight }
        var pop = path.pops.last?.pop
        for candidate in path.pops {
            pick -= candidate.weight
            if pick < 0 {
                pop = candidate.pop
                break
            }
        }
        let phases: Phases
        let error: SampleError?
        if lost {
            phases = Phases(dns: dns, connect: connect, total: 5_000_000)
            error = SampleError(kind: .timeout, code: 28, message: "Operation timed out after 5000 milliseconds")
        } else {
            let sum = dns + connect + tls + request + wait + transfer
            phases = Phases(
                dns: dns, connect: connect, tls: tls, request: request, wait: wait, transfer: transfer,
                ttfb: sum - transfer, total: sum)
            error = nil
        }
        let server = pop.map { $0 + "EDGE" + String(1_000 + Int(random.next() % 30)) }
        return Sample(
            timestamp: timestamp, agent: agent, site: site, region: region,
            batch: agent + "-20261128T000000Z-" + String(seq / 1_000 * 1_000 + 1), seq: seq,
            round: firstRound + Int64(round),
            n: n, target: target, url: "https://" + target + ".example.net/", method: .get, path: path.tags,
            localIP: "10.0.0.2", localPort: 40_000 + Int(seq % 20_000), remoteIP: "127.0.0.1", remotePort: 443,
            ipVersion: 4, httpVersion: lost ? nil : "1.1", status: lost ? nil : 200, ok: !lost, error: error,
            phases: phases, bytes: lost ? 0 : 1_234, pop: lost ? nil : pop, edgeServer: lost ? nil : server,
            edgeRef: lost ? nil : server.map { "Ref A: 0 Ref B: " + $0 + " Ref C: 2026-11-28T00:00:00Z" })
    }
}
