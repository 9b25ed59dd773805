package import CurlKit
package import Logging
package import ProbeCore
package import ServiceLifecycle
package import UnixSignals

/// The continuous agent as a service of a `ServiceGroup`: the probe engine on a thread of its own, driven by
/// an ``AgentScheduler``; the finished rounds written by an ``AgentSpool``; graceful shutdown that stops
/// starting rounds, lets the rounds in progress finish within the grace period, cancels the rest (each probe
/// still one sample), finishes the open batch and returns.
package struct AgentService: Service {
    private let config: ProbeConfig
    private let start: AgentFolder
    private let settings: SpoolSettings
    private let grace: Duration
    private let mailbox: SchedulerMailbox
    private let interrupts: UnixSignalsSequence?
    private let metrics: AgentMetrics?
    private let notifier: SystemdNotifier
    private let logger: Logger

    /// An agent for `config` over the folder opened at start; `mailbox` takes reloads; `interrupts`, when
    /// given, delivers SIGINT so that a second one skips the grace period; `metrics`, when given, is kept up
    /// to date with every round, batch and buffer change; `notifier` tells systemd when the agent is ready, that
    /// it keeps its schedule (watchdog) and when it stops.
    package init(
        config: ProbeConfig, start: AgentFolder, settings: SpoolSettings, grace: Duration, mailbox: SchedulerMailbox,
        interrupts: UnixSignalsSequence?, metrics: AgentMetrics?,
        notifier: SystemdNotifier = SystemdNotifier(environment: [:]),
        logger: Logger
    ) {
        self.config = config
        self.start = start
        self.settings = settings
        self.grace = grace
        self.mailbox = mailbox
        self.interrupts = interrupts
        self.metrics = metrics
        self.notifier = notifier
        self.logger = logger
    }

    private enum Event: Sendable {
        case round(FinishedRound)
        case targets([String: RoundSchedule], removed: [String])
        case tick
        case engineStopped
    }

    package func run() async throws {
        let engine: ProbeEngine
        do { engine = try ProbeEngine() } catch {
            throw AgentError.engine("libcurl failed to initialise: \(error)")
        }
        let cancellation = RoundCancellation()
        engine.cancellation = cancellation
        mailbox.attach(engine.waker)
        let box = EngineBox(engine)
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        let counters = AgentCounters(start: start.counters)
        let schedulerEvents = SchedulerEvents(
            roundFinished: { continuation.yield(.round($0)) },
            targetsChanged: { continuation.yield(.targets($0, removed: $1)) })
        let engineTask = Task { [config, start, mailbox, notifier, logger] in
            await EngineThread.run {
                let engine = box.engine
                let discovered = RoundPlan.discoverEgress(config: config, engine: engine)
                var egress = start.egress
                egress.discovered.merge(discovered) { _, new in new }
                let now = MultiHandle.monotonicMicroseconds()
                let wallNow = MultiHandle.wallClockMicroseconds()
                var scheduler = AgentScheduler(
                    config: config, start: now, egress: egress, counters: counters, mailbox: mailbox,
                    cancellation: cancellation, folder: start.folder, logger: logger, events: schedulerEvents)
                Self.logStart(config: config, scheduler: scheduler, now: now, wallNow: wallNow, logger: logger)
                Self.notify(notifier, logger: logger) { notifier throws(SystemdNotifyError) in try notifier.ready() }
                engine.run(&scheduler)
            }
            continuation.yield(.engineStopped)
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                continuation.yield(.tick)
            }
        }
        let interruptWatcher = Task { [interrupts, mailbox] in
            guard let interrupts else { return }
            var seen = 0
            for await _ in interrupts {
                seen += 1
                if seen >= 2 {
                    logger.info("second SIGINT: skipping the grace period")
                    mailbox.postShutdown(deadline: MultiHandle.monotonicMicroseconds())
                }
            }
        }
        // The consumer is a task of its own, so that it drains every round even when this task is cancelled.
        let consumer = Task { [start, settings, metrics, notifier, logger] in
            let spool = AgentSpool(
                folder: start.folder, settings: settings, counters: counters, reserved: start.counters, logger: logger,
                events: SpoolEvents(
                    batchFinished: { metrics?.batchFinished() }, samplesDropped: { metrics?.samplesDropped($0) },
                    buffered: { metrics?.setBuffered($0) }, retentionDeleted: { metrics?.retentionDeleted($0) }))
            spool.applyRetention()
            let sink = RoundSink(spool: spool, metrics: metrics, notifier: notifier, logger: logger)
            for await event in events {
                switch event {
                case .round(let round): sink.take(round)
                case .targets(let schedules, let removed): sink.schedule(schedules, removed: removed)
                case .tick: sink.tick()
                case .engineStopped: continuation.finish()
                }
            }
            return sink.close()
        }
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                _ = await engineTask.value
            } onGracefulShutdown: { [mailbox, grace, notifier, logger] in
                Self.notify(notifier, logger: logger) { notifier throws(SystemdNotifyError) in try notifier.stopping() }
                logger.info(
                    "stopping: no new rounds; rounds in progress have the grace period to finish",
                    metadata: ["grace": "\(TimeSpan(grace))"])
                mailbox.postShutdown(deadline: MultiHandle.monotonicMicroseconds() + grace.microseconds)
            }
        } onCancel: {
            mailbox.postShutdown(deadline: MultiHandle.monotonicMicroseconds())
            cancellation.cancel()
        }
        let totals = await consumer.value
        ticker.cancel()
        interruptWatcher.cancel()
        var metadata: Logger.Metadata = [
            "rounds": .stringConvertible(totals.rounds), "samples": .stringConvertible(totals.samples),
            "written": .stringConvertible(totals.written),
            "batches": .stringConvertible(totals.batches), "overruns": .stringConvertible(totals.overruns),
            "dropped": .stringConvertible(totals.dropped),
        ]
        if totals.notWritten > 0 { metadata["not_written"] = .stringConvertible(totals.notWritten) }
        logger.info("stopped", metadata: metadata)
        start.owner.release()
    }

    /// Sends a notification to systemd when it listens; a failure is logged as a warning and never stops the
    /// agent.
    static func notify(
        _ notifier: SystemdNotifier, logger: Logger, _ send: (SystemdNotifier) throws(SystemdNotifyError) -> Void
    ) {
        guard notifier.isEnabled else { return }
        do throws(SystemdNotifyError) {
            try send(notifier)
        } catch {
            logger.warning("cannot notify systemd", metadata: ["error": "\(error)"])
        }
    }

    /// Logs the start: the config in brief and when each target first runs.
    /// `now` and `wallNow` are the same moment on the monotonic and the wall clock.
    private static func logStart(
        config: ProbeConfig, scheduler: AgentScheduler, now: Int64, wallNow: Int64, logger: Logger
    ) {
        var firstRuns: [String] = []
        for (target, slot) in scheduler.firstSlots {
            let wall = wallNow + (slot - now)
            firstRuns.append("\(target)@\(Timestamp.rfc3339(microseconds: wall))")
        }
        logger.info(
            "started",
            metadata: [
                "agent": "\(config.agentID)", "config": "\(config.source)",
                "targets": .stringConvertible(config.targets.count),
                "paths": .stringConvertible(config.effectivePaths.count), "concurrency": "\(scheduler.concurrency)",
                "first_rounds": "\(firstRuns.joined(separator: " "))",
            ])
        for warning in config.scheduleWarnings() { logger.warning("\(warning)") }
    }
}

/// Hands the engine, made on the service's task, to the engine thread, the one thread that uses it after.
private final class EngineBox: @unchecked Sendable {
    let engine: ProbeEngine
    init(_ engine: ProbeEngine) { self.engine = engine }
}
