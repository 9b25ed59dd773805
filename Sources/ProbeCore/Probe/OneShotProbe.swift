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
    }

    /// The agent id: the config's, else the host name.
    public var agent: String { config.agent ?? Self.hostName() }

    /// The round's jobs: every target over every path (one `default` path until paths are configured).
    public func jobs() -> [ProbeJob] {
        config.targetSpecs(overrides: overrides).map { ProbeJob(target: $0, path: .default) }
    }

    /// Runs the round and writes the batch. Throws only when the output cannot be written (exit code 3);
    /// failed probes are samples, not errors.
    public func run(engine: ProbeEngine, destination: OutputDestination) throws(SpoolError) -> Result {
        let jobs = jobs()
        let total = jobs.reduce(0) { $0 + $1.target.count }
        let agent = agent
        var folder: OutputFolder?
        var firstSeq: Int64 = 1
        var round: Int64 = 1
        let opened = MultiHandle.wallClockMicroseconds()
        let batch: String
        switch destination {
        case .folder(let root):
            let output = try OutputFolder(root: root, agent: agent)
            try output.recoverTemporaryBatches()
            let reservation = try output.reserve(count: total)
            firstSeq = reservation.firstSeq
            round = reservation.round
            folder = output
            batch = BatchID.make(agent: agent, microseconds: opened, firstSeq: firstSeq)
        case .standardOutput:
            batch = BatchID.makeStateless(agent: agent, microseconds: opened)
        }

        var samples: [Sample] = []
        samples.reserveCapacity(total)
        var outcomes: [ProbeOutcome] = []
        outcomes.reserveCapacity(total)
        engine.runRound(jobs: jobs, concurrency: config.concurrency(overrides: overrides)) { outcomes.append($0) }
        for (index, outcome) in outcomes.enumerated() {
            samples.append(Sample(
                outcome: outcome, job: jobs[outcome.job], agent: agent, site: config.site, region: config.region,
                round: round, batch: batch, seq: firstSeq + Int64(index)
            ))
        }
        let bytes = SampleEncoder().encode(samples)
        switch destination {
        case .folder:
            let path = try folder!.writeBatch(id: batch, day: BatchID.day(opened), contents: bytes)
            return Result(samples: samples, jobs: jobs, batchPath: path)
        case .standardOutput:
            try FileIO.writeAll(STDOUT_FILENO, bytes, path: "standard output")
            return Result(samples: samples, jobs: jobs, batchPath: nil)
        }
    }

    /// The machine's host name, the default agent id.
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "agent" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "agent" : name
    }
}
