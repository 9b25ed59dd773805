package import Logging
package import ProbeCore
package import ServiceLifecycle
package import UnixSignals

/// Reloads the config on SIGHUP, as a service of the agent's `ServiceGroup`: a valid file takes effect from
/// each target's next round; an invalid one is logged with file, line and key and the running config stays;
/// a change of what needs a restart (agent id, output folder, metrics address) refuses the whole reload.
package struct ReloadService: Service {
    /// Loads the config file again; throws its error (with file, line and key) when it is invalid.
    package typealias Loader = @Sendable () throws -> ProbeConfig
    /// What a config must keep for a reload to be taken: the parts that need a restart, as text.
    package typealias Fixed = @Sendable (ProbeConfig) -> [String: String]

    private let hangups: UnixSignalsSequence
    private let load: Loader
    private let fixed: Fixed
    private let running: ProbeConfig
    private let mailbox: SchedulerMailbox
    private let outcome: @Sendable (_ successful: Bool) -> Void
    private let notifier: SystemdNotifier
    private let logger: Logger

    /// A reloader fed by `hangups` (SIGHUP) that loads with `load`, compares what `fixed` extracts with the
    /// `running` config's, posts a good config to `mailbox`, and reports each attempt's `outcome`.
    package init(
        hangups: UnixSignalsSequence, load: @escaping Loader, fixed: @escaping Fixed, running: ProbeConfig,
        mailbox: SchedulerMailbox, outcome: @escaping @Sendable (Bool) -> Void = { _ in },
        notifier: SystemdNotifier = SystemdNotifier(environment: [:]), logger: Logger
    ) {
        self.hangups = hangups
        self.load = load
        self.fixed = fixed
        self.running = running
        self.mailbox = mailbox
        self.outcome = outcome
        self.notifier = notifier
        self.logger = logger
    }

    package func run() async throws {
        var current = running
        for await _ in hangups.cancelOnGracefulShutdown() {
            AgentService.notify(notifier, logger: logger) { notifier throws(SystemdNotifyError) in
                try notifier.reloading()
            }
            defer {
                AgentService.notify(notifier, logger: logger) { notifier throws(SystemdNotifyError) in
                    try notifier.ready()
                }
            }
            let next: ProbeConfig
            do {
                next = try load()
            } catch {
                logger.error(
                    "reload refused: the config is invalid; the running config stays", metadata: ["error": "\(error)"])
                outcome(false)
                continue
            }
            let before = fixed(current)
            let after = fixed(next)
            let changed = before.keys.sorted().filter { before[$0] != after[$0] }
            guard changed.isEmpty else {
                logger.error(
                    "reload refused: these need a restart; the running config stays",
                    metadata: Logger.Metadata(
                        uniqueKeysWithValues: changed.map { ($0, "\(before[$0] ?? "") -> \(after[$0] ?? "")") }))
                outcome(false)
                continue
            }
            mailbox.post(config: next)
            current = next
            for warning in next.scheduleWarnings() { logger.warning("\(warning)") }
            outcome(true)
            logger.info(
                "config reloaded",
                metadata: [
                    "config": "\(next.source)", "targets": .stringConvertible(next.targets.count),
                    "paths": .stringConvertible(next.effectivePaths.count),
                ])
        }
    }
}
