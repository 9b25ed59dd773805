package import ProbeCore

/// One target's round as the scheduler hands it to the spool and the metrics: its samples (not yet numbered:
/// `seq` and `batch` are stamped when they are written) and how it kept its slot.
package struct FinishedRound: Sendable {
    /// The target's name.
    package var target: String
    /// The round number, from the agent's one counter.
    package var round: Int64
    /// One sample per scheduled probe, in the order the probes finished.
    package var samples: [Sample]
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
}
