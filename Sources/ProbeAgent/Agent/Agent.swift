import CurlKit
package import Logging
package import ProbeCore
import ServiceLifecycle
import UnixSignals

/// The whole continuous agent as `peering-probe run` starts it: opens and owns the output folder (recovering
/// what a crash left), binds the metrics listener, and runs ``AgentService``, ``ReloadService`` and the
/// ``MetricsServer`` in one `ServiceGroup` that SIGTERM and SIGINT shut down gracefully.
package struct Agent: Sendable {
    /// What the command line decides: where batches go, the metrics address, the grace period.
    package struct Options: Sendable {
        /// `--out`, winning over `output.dir`.
        package var out: String?
        /// `--metrics-listen`, winning over `metrics.listen`.
        package var metricsListen: ListenAddress?
        /// `--grace`: how long rounds in progress may take to finish after SIGTERM or SIGINT.
        package var grace: Duration
        /// The version for `peering_probe_build_info`.
        package var version: String

        /// Makes options.
        package init(out: String?, metricsListen: ListenAddress?, grace: Duration, version: String) {
            self.out = out
            self.metricsListen = metricsListen
            self.grace = grace
            self.version = version
        }
    }

    private let config: ProbeConfig
    private let options: Options
    private let reload: ReloadService.Loader
    private let logger: Logger

    /// An agent for `config` with `options`; `reload` loads the config file again on SIGHUP.
    package init(config: ProbeConfig, options: Options, reload: @escaping ReloadService.Loader, logger: Logger) {
        self.config = config
        self.options = options
        self.reload = reload
        self.logger = logger
    }

    /// What a reload must leave as it is: the agent id, the output folder and the metrics address (each needs
    /// a restart), as text.
    package static func restartSettings(of config: ProbeConfig, options: Options) -> [String: String] {
        [
            "agent": config.agentID, "output_folder": "\(config.outputDestination(out: options.out))",
            "metrics_listen": (options.metricsListen ?? config.metrics.listen).map { "\($0)" } ?? "off",
        ]
    }

    /// Runs the agent until SIGTERM or SIGINT and a clean shutdown. Throws at start only: a ``SpoolError``
    /// when the folder cannot be opened, written or owned; a ``MetricsServerError`` when the metrics address
    /// cannot be bound; an ``AgentError`` when libcurl cannot start.
    package func run() async throws {
        guard case .folder(let root) = config.outputDestination(out: options.out) else {
            throw SpoolError(path: "-", action: "use", reason: "the agent needs an output folder, not standard output")
        }
        let folder = try AgentFolder(root: root, agent: config.agentID)
        for recovered in folder.recovered {
            logger.info(
                "recovered a batch left by a crash",
                metadata: [
                    "path": "\(recovered.path)", "kept_lines": .stringConvertible(recovered.lines),
                    "dropped_torn_lines": .stringConvertible(recovered.droppedTornLine ? 1 : 0),
                ])
        }
        for warning in folder.warnings { logger.warning("\(warning)") }
        let metrics = AgentMetrics(version: options.version)
        metrics.configReloaded(successful: true, wallClockSeconds: Self.wallClockSeconds())
        var metricsServer: MetricsServer?
        if let listen = options.metricsListen ?? config.metrics.listen {
            metricsServer = try await MetricsServer.bind(host: listen.host, port: listen.port, metrics: metrics)
        }
        let mailbox = SchedulerMailbox()
        let notifier = SystemdNotifier.fromProcessEnvironment()
        // Trapped before the group starts, so that neither signal can end the process while it starts.
        let interrupts = await UnixSignalsSequence(trapping: .sigint)
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let agent = AgentService(
            config: config, start: folder, settings: SpoolSettings(config.output), grace: options.grace,
            mailbox: mailbox, interrupts: interrupts,
            // Series nobody reads are not kept: without a listener or systemd's watchdog (which asks the metrics
            // whether every target keeps its schedule), the rounds skip the registry.
            metrics: metricsServer != nil || notifier.watchdogInterval != nil ? metrics : nil, notifier: notifier,
            logger: logger)
        let options = options
        let reloader = ReloadService(
            hangups: hangups, load: reload, fixed: { Self.restartSettings(of: $0, options: options) },
            running: config, mailbox: mailbox,
            outcome: { metrics.configReloaded(successful: $0, wallClockSeconds: Self.wallClockSeconds()) },
            notifier: notifier, logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: agent, successTerminationBehavior: .gracefullyShutdownGroup),
            .init(service: reloader),
        ]
        if let metricsServer {
            logger.info("serving metrics", metadata: ["address": "\(metricsServer.localAddress)"])
            services.append(.init(service: metricsServer))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    private static func wallClockSeconds() -> Double {
        Double(MultiHandle.wallClockMicroseconds()) / 1_000_000
    }
}
