import CurlKit

/// Runs one round and turns its outcomes into samples: jobs in, samples out.
///
/// The caller decides the jobs (a ``RoundPlan``) and the numbers (a round number, a batch id and a first
/// `seq`, from a ``BatchWriter``); the runner probes through the given ``ProbeEngine`` and stamps each
/// outcome with the agent's identity. Samples are numbered in the order the probes finish.
public struct RoundRunner: Sendable {
    /// The agent, site, region and edge rules stamped on every sample.
    public var identity: AgentIdentity
    /// Transfers in flight at most.
    public var concurrency: Int

    /// Makes a runner from its parts.
    public init(identity: AgentIdentity, concurrency: Int) {
        self.identity = identity
        self.concurrency = concurrency
    }

    /// The runner `config` describes, with `overrides` applied: its identity and its concurrency.
    public init(config: ProbeConfig, overrides: ProbeOverrides = ProbeOverrides()) {
        self.init(identity: AgentIdentity(config: config), concurrency: config.concurrency(overrides: overrides))
    }

    /// What a round produced.
    public struct Result: Sendable {
        /// One sample per scheduled probe, in `seq` order (the order the probes finished).
        public var samples: [Sample]
        /// The local address of each path's last transfer that got an HTTP answer, by path name; to be
        /// remembered in ``EgressState/local``.
        public var localAddresses: [String: IPAddress]
    }

    /// Runs every job of `jobs` `target.count` times through `engine` and returns the samples, numbered
    /// from `firstSeq` and stamped with `round` and `batch`. Failed probes are samples, never errors.
    public func run(
        _ jobs: [ProbeJob], round: Int64, batch: String, firstSeq: Int64, engine: ProbeEngine
    ) -> Result {
        var outcomes: [ProbeOutcome] = []
        outcomes.reserveCapacity(jobs.reduce(0) { $0 + max(0, $1.target.count) })
        engine.runRound(jobs: jobs, concurrency: concurrency) { outcomes.append($0) }
        var samples: [Sample] = []
        samples.reserveCapacity(outcomes.count)
        var localAddresses: [String: IPAddress] = [:]
        for (index, outcome) in outcomes.enumerated() {
            let job = jobs[outcome.job]
            if outcome.report.status > 0, let local = outcome.report.localIP.flatMap(IPAddress.init) {
                localAddresses[job.path.name] = local
            }
            samples.append(
                Sample(
                    outcome: outcome, job: job, agent: identity.agent, site: identity.site, region: identity.region,
                    round: round, batch: batch, seq: firstSeq + Int64(index), edgeRules: identity.edgeRules
                ))
        }
        return Result(samples: samples, localAddresses: localAddresses)
    }
}
