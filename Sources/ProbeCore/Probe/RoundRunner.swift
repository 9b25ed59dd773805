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
    ///
    /// When the engine's ``ProbeEngine/cancellation`` is set during the round, the probes not finished are
    /// `cancelled` samples: `ok` false, no `status`, and no phases but `total` (the time a stopped transfer
    /// ran; null for a probe that never started). They come last, so `seq` stays consecutive.
    public func run(
        _ jobs: [ProbeJob], round: Int64, batch: String, firstSeq: Int64, engine: ProbeEngine
    ) -> Result {
        var outcomes: [ProbeOutcome] = []
        outcomes.reserveCapacity(jobs.reduce(0) { $0 + max(0, $1.target.count) })
        engine.runRound(jobs: jobs, concurrency: concurrency) { outcomes.append($0) }
        var localAddresses: [String: IPAddress] = [:]
        for outcome in outcomes where outcome.report.status > 0 {
            if let local = outcome.report.localIP.flatMap(IPAddress.init) {
                localAddresses[jobs[outcome.job].path.name] = local
            }
        }
        return Result(
            samples: samples(from: outcomes, of: jobs, round: round, batch: batch, firstSeq: firstSeq),
            localAddresses: localAddresses)
    }

    /// Turns the outcomes of a round of `jobs`, in the order the probes finished, into samples numbered from
    /// `firstSeq` and stamped with `round` and `batch` (the continuous agent collects outcomes itself and
    /// stamps them here).
    public func samples(
        from outcomes: [ProbeOutcome], of jobs: [ProbeJob], round: Int64, batch: String, firstSeq: Int64
    ) -> [Sample] {
        var samples: [Sample] = []
        samples.reserveCapacity(outcomes.count)
        for (index, outcome) in outcomes.enumerated() {
            // `jobs[outcome.job]` is read in place, not bound to a local: a copy of a job is a dozen retains.
            var sample = Sample(
                outcome: outcome, job: jobs[outcome.job], agent: identity.agent, site: identity.site,
                region: identity.region, round: round, batch: batch, seq: firstSeq + Int64(index),
                edgeRules: identity.edgeRules
            )
            if outcome.report.cancelled { Self.markCancelled(&sample, report: outcome.report) }
            samples.append(sample)
        }
        return samples
    }

    /// Clears what a stopped probe cannot vouch for: a status or phase seen before it was stopped would pass
    /// for a measurement. Only `total` stays, when the transfer had started.
    private static func markCancelled(_ sample: inout Sample, report: TransferReport) {
        let started = report.total > 0
        sample.ok = false
        sample.status = nil
        sample.httpVersion = nil
        sample.phases = Phases(total: started ? report.total : nil)
        sample.error = SampleError(
            kind: .cancelled, code: nil,
            message: started
                ? "probe stopped after \(report.total / 1_000) ms: the round was cancelled"
                : "probe not started: the round was cancelled")
    }
}
