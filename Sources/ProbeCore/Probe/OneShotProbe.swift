/// The cron mode: one round over every (target, path), then one batch. Used by `peering-probe probe`.
///
/// It composes the parts a continuous agent reuses: a ``BatchWriter`` (recovery, numbers, the batch file),
/// egress discovery and a ``RoundPlan`` (the jobs and their path tags), and a ``RoundRunner`` (the samples).
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
        /// Things the user should know: what the output folder repaired or passed over, and about the paths (an
        /// egress in another provider's prefix).
        public var warnings: [String]
        /// The batches retention deleted after the batch was written (`output.retention`,
        /// `output.retention_size`; see ``BatchRetention``), oldest first, for the caller to report one by one.
        public var retention: [BatchRetention.Deletion] = []
        /// The engine's ``ProbeEngine/cancellation`` was set before the run ended: the probes not finished are
        /// `cancelled` samples of the batch, or, when it was set before the round began, no batch was opened
        /// (no numbers reserved, nothing written).
        public var cancelled: Bool
    }

    /// Runs the round, writes the batch, then applies retention to the folder. Throws only when the output
    /// cannot be written, or a `peering-probe run` owns the folder (``AgentFolderOwner``; exit code 3); failed
    /// probes are samples, not errors, and what retention could not delete is a warning. When the engine's
    /// ``ProbeEngine/cancellation`` is set during the round, the batch is still written, every probe not
    /// finished a `cancelled` sample.
    public func run(engine: ProbeEngine, destination: OutputDestination) throws(SpoolError) -> Result {
        let runner = RoundRunner(config: config, overrides: overrides)
        var writer = try BatchWriter(destination: destination, agent: runner.identity.agent)
        if let folder = writer.folder { try AgentFolderOwner.checkNotOwned(folder) }
        try writer.recoverTemporaryBatches()
        var egress = try writer.folder?.readEgressState() ?? EgressState()
        let discovered = RoundPlan.discoverEgress(config: config, overrides: overrides, engine: engine)
        egress.discovered.merge(discovered) { _, new in new }
        let plan = RoundPlan(config: config, overrides: overrides, egress: egress, discovered: discovered)
        if engine.cancellation?.isCancelled == true {
            return Result(
                samples: [], jobs: plan.jobs, batchPath: nil, warnings: writer.warnings + plan.warnings, cancelled: true
            )
        }
        let batch = try writer.openBatch(count: plan.sampleCount)
        let round = runner.run(
            plan.jobs, round: batch.round, batch: batch.id, firstSeq: batch.firstSeq, engine: engine)
        egress.local.merge(round.localAddresses) { _, new in new }
        let path = try writer.write(round.samples, to: batch)
        try writer.folder?.writeEgressState(egress)
        var warnings = writer.warnings + plan.warnings
        var deletions: [BatchRetention.Deletion] = []
        if let folder = writer.folder {
            let outcome = BatchRetention(config.output).apply(to: folder, keeping: Set(path.map { [$0] } ?? []))
            deletions = outcome.deletions
            warnings += outcome.problems.map { "retention: \($0)" }
        }
        return Result(
            samples: round.samples, jobs: plan.jobs, batchPath: path, warnings: warnings, retention: deletions,
            cancelled: engine.cancellation?.isCancelled == true)
    }
}
