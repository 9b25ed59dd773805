import CurlKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a one-shot probe writes its NDJSON.
public enum OutputDestination: Sendable, Hashable {
    /// A batch file in this output folder, with `seq` and round state kept there.
    case folder(String)
    /// Standard output, with no state: `seq` starts at 1 and the batch id is a fresh run id.
    case standardOutput
}

/// The cron mode: one round over every (target, path), then one batch. Used by `peering-probe probe`.
public struct OneShotProbe: Sendable {
    /// The validated config.
    public var config: ProbeConfig
    /// Command-line settings that win over the config.
    public var overrides: ProbeOverrides

    /// Makes a one-shot probe.
    public init(config: ProbeConfig, overrides: ProbeOverrides = ProbeOverrides()) {
        self.config = config
        self.overrides = overrides
    }

    /// What a finished run wrote.
    public struct Result: Sendable {
        /// The samples, in `seq` order.
        public var samples: [Sample]
        /// The jobs of the round, in schedule order (target-major), for summaries.
        public var jobs: [ProbeJob]
        /// The batch file written, nil for standard output.
        public var batchPath: String?
        /// Things the user should know about the paths (an egress in another provider's prefix).
        public var warnings: [String]
    }

    /// The agent id: the config's, else the host name.
    public var agent: String { config.agent ?? Self.hostName() }

    /// The round's jobs: every target over each of its paths, target-major so that the paths of one target
    /// start together; each path with the tags decided from `egress`.
    public func jobs(egress: EgressState, discovered: [String: IPAddress] = [:]) -> (
        jobs: [ProbeJob], warnings: [String]
    ) {
        let tagger = PathTagger(providers: config.providers)
        var warnings: [String] = []
        let paths = config.effectivePaths.map { path in
            let (tags, warning) = tagger.tags(
                for: path, egress: egress.egress(for: path, discoveredNow: discovered[path.name]))
            if let warning { warnings.append(warning) }
            return (path, tags)
        }
        var jobs: [ProbeJob] = []
        for target in config.targetSpecs(overrides: overrides) {
            for (path, tags) in paths where target.uses(path: path.name) {
                jobs.append(ProbeJob(target: target, path: tags, interface: overrides.interface ?? path.bind))
            }
        }
        return (jobs, warnings)
    }

    /// Runs the round and writes the batch. Throws only when the output cannot be written (exit code 3);
    /// failed probes are samples, not errors.
    public func run(engine: ProbeEngine, destination: OutputDestination) throws(SpoolError) -> Result {
        let agent = agent
        var folder: OutputFolder?
        var egress = EgressState()
        if case .folder(let root) = destination {
            let output = try OutputFolder(root: root, agent: agent)
            try output.recoverTemporaryBatches()
            egress = EgressState(text: try output.readState(Self.egressStateName) ?? "")
            folder = output
        }
        let discovered = EgressDiscovery().discover(
            paths: config.effectivePaths.filter { $0.egressIP == nil }, engine: engine,
            insecure: overrides.insecure ?? config.defaults.insecure, caFile: overrides.caFile ?? config.defaults.caFile
        )
        egress.discovered.merge(discovered) { _, new in new }
        let (jobs, warnings) = jobs(egress: egress, discovered: discovered)
        let total = jobs.reduce(0) { $0 + $1.target.count }

        var firstSeq: Int64 = 1
        var round: Int64 = 1
        let opened = MultiHandle.wallClockMicroseconds()
        let batch: String
        if let folder {
            let reservation = try folder.reserve(count: total)
            firstSeq = reservation.firstSeq
            round = reservation.round
            batch = BatchID.make(agent: agent, microseconds: opened, firstSeq: firstSeq)
        } else {
            batch = BatchID.makeStateless(agent: agent, microseconds: opened)
        }

        var outcomes: [ProbeOutcome] = []
        outcomes.reserveCapacity(total)
        engine.runRound(jobs: jobs, concurrency: config.concurrency(overrides: overrides)) { outcomes.append($0) }
        var samples: [Sample] = []
        samples.reserveCapacity(total)
        let edgeRules = config.effectiveEdgeRules
        for (index, outcome) in outcomes.enumerated() {
            let job = jobs[outcome.job]
            if outcome.report.status > 0, let local = outcome.report.localIP.flatMap(IPAddress.init) {
                egress.local[job.path.name] = local
            }
            samples.append(
                Sample(
                    outcome: outcome, job: job, agent: agent, site: config.site, region: config.region,
                    round: round, batch: batch, seq: firstSeq + Int64(index), edgeRules: edgeRules
                ))
        }
        let bytes = SampleEncoder().encode(samples)
        guard let folder else {
            try FileIO.writeAll(STDOUT_FILENO, bytes, path: "standard output")
            return Result(samples: samples, jobs: jobs, batchPath: nil, warnings: warnings)
        }
        let path = try folder.writeBatch(id: batch, day: BatchID.day(opened), contents: bytes)
        try folder.writeState(Self.egressStateName, egress.text)
        return Result(samples: samples, jobs: jobs, batchPath: path, warnings: warnings)
    }

    /// The state file that remembers each path's egress between runs.
    static let egressStateName = "paths.state"

    /// The machine's host name, the default agent id.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "agent" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "agent" : name
    }
}
