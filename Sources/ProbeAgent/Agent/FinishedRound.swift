package import ProbeCore

/// One target's round as the scheduler hands it to the spool and the metrics: its outcomes, and how it kept its
/// slot. The samples are made from the outcomes off the engine's thread (``samples()``); `seq` and `batch` are
/// stamped when they are written.
package struct FinishedRound: Sendable {
    /// The target's name.
    package var target: String
    /// The round number, from the agent's one counter.
    package var round: Int64
    /// One outcome per scheduled probe, in the order the probes finished.
    package var outcomes: [ProbeOutcome]
    /// The round's jobs, which the outcomes index.
    package var jobs: [ProbeJob]
    /// The runner of the config the round ran under: it stamps the samples.
    package var runner: RoundRunner
    /// How late the round started against its slot, in microseconds.
    package var startDelay: Int64
    /// When the round finished, on the monotonic clock (microseconds).
    package var finished: Int64
    /// How long the round took, in microseconds.
    package var duration: Int64
    /// Slots the round ran over (0 when it fit its interval): that many rounds were not started.
    package var overranSlots: Int
    /// The target's interval.
    package var interval: Duration

    /// The round's samples, one per outcome, not yet numbered.
    package func samples() -> [Sample] {
        runner.samples(from: outcomes, of: jobs, round: round, batch: "", firstSeq: 0)
    }
}
