package import CurlKit
package import Logging
package import ProbeCore

/// Where the agent's finished rounds go, on the service's task: each round's log lines (overrun at `warning`,
/// the round at `debug`), its metrics, and its samples into the ``AgentSpool``; once a second the spool's
/// timers and systemd's watchdog, which hears from the agent only while every target keeps its schedule.
/// Counts what it saw for the shutdown line.
package final class RoundSink {
    /// What the agent did, for the shutdown log line.
    package struct Totals: Sendable {
        /// Target rounds finished.
        package var rounds = 0
        /// Samples they held.
        package var samples = 0
        /// Rounds that ran over their interval.
        package var overruns = 0
        /// Samples written to batches.
        package var written = 0
        /// Batches finished.
        package var batches = 0
        /// Samples dropped because the buffer was full.
        package var dropped = 0
        /// Samples still in memory at shutdown because the disk kept failing.
        package var notWritten = 0
    }

    private let spool: AgentSpool
    private let metrics: AgentMetrics?
    private let notifier: SystemdNotifier
    private let logger: Logger
    private var totals = Totals()
    private var lastWatchdog: Int64?
    /// Per target, when its last overrun line was logged and how many overruns came since.
    private var overrunLines: [String: (loggedAt: Int64, since: Int)] = [:]

    /// The least time between two overrun lines of one target: an agent that cannot keep up logs that it
    /// cannot, not every round of it.
    package static let overrunLogSpacing: Int64 = 60_000_000

    /// A sink writing through `spool`, recording into `metrics` (when on), pinging systemd through `notifier`.
    package init(spool: AgentSpool, metrics: AgentMetrics?, notifier: SystemdNotifier, logger: Logger) {
        self.spool = spool
        self.metrics = metrics
        self.notifier = notifier
        self.logger = logger
    }

    /// Takes one finished round.
    package func take(_ round: FinishedRound) {
        let samples = round.samples()
        totals.rounds += 1
        totals.samples += samples.count
        if round.overranSlots > 0 { overran(round) }
        logger.debug(
            "round finished",
            metadata: [
                "target": "\(round.target)", "round": .stringConvertible(round.round),
                "samples": .stringConvertible(samples.count),
                "start_delay_us": .stringConvertible(round.startDelay),
            ])
        metrics?.record(samples)
        metrics?.roundFinished(
            target: round.target, wallClockSeconds: Double(MultiHandle.wallClockMicroseconds()) / 1_000_000,
            monotonicMicroseconds: round.finished)
        spool.add(consume samples)
    }

    /// Counts an overrun and logs it: the first of a target, then at most one line a minute with the count of
    /// those in between.
    private func overran(_ round: FinishedRound) {
        totals.overruns += 1
        metrics?.roundOverran(target: round.target)
        if let last = overrunLines[round.target], round.finished - last.loggedAt < Self.overrunLogSpacing {
            overrunLines[round.target]?.since += 1
            return
        }
        var metadata: Logger.Metadata = [
            "target": "\(round.target)", "round": .stringConvertible(round.round),
            "duration_ms": .stringConvertible(round.duration / 1_000), "interval": "\(TimeSpan(round.interval))",
            "skipped_slots": .stringConvertible(round.overranSlots),
        ]
        if let since = overrunLines[round.target]?.since, since > 0 {
            metadata["overruns_not_logged"] = .stringConvertible(since)
        }
        logger.warning("round overran its interval", metadata: metadata)
        overrunLines[round.target] = (round.finished, 0)
    }

    /// Takes the targets now scheduled and those removed (their last round already taken).
    package func schedule(_ schedules: [String: RoundSchedule], removed: [String]) {
        for target in removed {
            metrics?.removeTarget(target)
            overrunLines[target] = nil
        }
        metrics?.setSchedule(schedules)
    }

    /// Runs the spool's timers, and pings the watchdog at half its interval while the agent is healthy.
    package func tick() {
        spool.tick()
        let now = MultiHandle.monotonicMicroseconds()
        guard let interval = notifier.watchdogInterval, now - (lastWatchdog ?? 0) >= interval.microseconds / 2,
            metrics?.isHealthy(at: now) ?? true
        else { return }
        lastWatchdog = now
        AgentService.notify(notifier, logger: logger) { notifier throws(SystemdNotifyError) in try notifier.watchdog() }
    }

    /// Closes the spool (writing what it can) and returns the totals.
    package func close() -> Totals {
        totals.notWritten = spool.close()
        totals.written = spool.written
        totals.batches = spool.batchesFinished
        totals.dropped = spool.dropped
        return totals
    }
}
