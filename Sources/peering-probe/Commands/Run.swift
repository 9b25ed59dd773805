import ArgumentParser
import CurlKit
import Logging
import ProbeAgent
import ProbeCore
import ServiceLifecycle
import UnixSignals

extension PeeringProbe {
    /// `peering-probe run`: the continuous agent, for months unattended.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Probe every target on its schedule until stopped, writing NDJSON batches (the agent).",
            discussion: """
                Each target runs a round every `schedule.interval` (default 60s), at a stable offset within the \
                interval. Batches are finished by size (`output.batch_size`) and age (`output.batch_age`). \
                SIGTERM or SIGINT stops it gracefully: rounds in progress get --grace to finish, the rest of \
                them is written as `cancelled` samples, the open batch is finished, exit 0; a second SIGINT \
                skips the grace period. SIGHUP reloads the config. Logs go to standard error.
                """
        )

        @OptionGroup var source: ConfigSource

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Output folder for batches and state. Default: the config's output.dir, else ./peering-probe-data.",
                valueName: "dir"))
        var out: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Serve Prometheus metrics on this address ([HOST]:PORT; :PORT binds 127.0.0.1; port 0 picks a free "
                    + "one). Default: the config's metrics.listen, else no metrics.",
                valueName: "address"))
        var metricsListen: ListenAddress?

        @Option(name: .long, help: "Log lines on standard error as text or as one JSON object per line.")
        var logFormat: LogFormat = .text

        @Option(name: .long, help: "The least severe events logged.")
        var logLevel: Logger.Level = .info

        @Option(
            name: .long,
            help: ArgumentHelp(
                "How long rounds in progress may take to finish after SIGTERM or SIGINT.", valueName: "duration"))
        var grace = TimeSpan(.seconds(10))

        func validate() throws {
            if out == "-" {
                throw ValidationError("run needs an output folder: --out - (standard output) is only for probe")
            }
            if out?.isEmpty == true { throw ValidationError("--out must not be empty: give a folder") }
        }

        func run() async throws {
            LoggingSystem.bootstrap(AgentLogHandler.factory(format: logFormat, level: logLevel))
            let logger = Logger(label: "peering-probe")
            let configPath = source.config
            let config = try ConfigSource.load(path: configPath) { logger.warning("\($0)") }
            guard case .folder(let root) = config.outputDestination(out: out) else {
                throw CommandFailure(.usage, "run needs an output folder: output.dir must not be -")
            }
            let folder = try AgentFolder(root: root, agent: config.agentID)
            for recovered in folder.recovered {
                logger.info(
                    "recovered a batch left by a crash",
                    metadata: [
                        "path": "\(recovered.path)", "kept_lines": .stringConvertible(recovered.lines),
                        "dropped_torn_lines": "\(recovered.droppedTornLine ? 1 : 0)",
                    ])
            }
            for warning in folder.warnings { logger.warning("\(warning)") }
            let metrics = AgentMetrics(version: PeeringProbe.configuration.version)
            metrics.configReloaded(successful: true, wallClockSeconds: Self.wallClockSeconds())
            let listen = metricsListen ?? config.metrics.listen
            var metricsServer: MetricsServer?
            if let listen {
                metricsServer = try await MetricsServer.bind(host: listen.host, port: listen.port, metrics: metrics)
            }
            let mailbox = SchedulerMailbox()
            let notifier = SystemdNotifier.fromProcessEnvironment()
            let interrupts = await UnixSignalsSequence(trapping: .sigint)
            let hangups = await UnixSignalsSequence(trapping: .sighup)
            let settings = SpoolSettings(config.output)
            let agent = AgentService(
                config: config, start: folder, settings: settings, grace: grace.duration, mailbox: mailbox,
                interrupts: interrupts, metrics: metrics, notifier: notifier, logger: logger)
            let out = out
            let metricsListen = metricsListen
            let reload = ReloadService(
                hangups: hangups, load: { try ConfigSource.load(path: configPath) { logger.warning("\($0)") } },
                fixed: { config in
                    [
                        "agent": config.agentID, "output_folder": "\(config.outputDestination(out: out))",
                        "metrics_listen": (metricsListen ?? config.metrics.listen).map { "\($0)" } ?? "off",
                    ]
                }, running: config, mailbox: mailbox,
                outcome: { metrics.configReloaded(successful: $0, wallClockSeconds: Self.wallClockSeconds()) },
                notifier: notifier, logger: logger)
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
                .init(service: agent, successTerminationBehavior: .gracefullyShutdownGroup),
                .init(service: reload),
            ]
            if let metricsServer {
                logger.info("serving metrics", metadata: ["address": "\(metricsServer.localAddress)"])
                services.append(.init(service: metricsServer))
            }
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: services,
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger))
            try await group.run()
        }

        private static func wallClockSeconds() -> Double {
            Double(MultiHandle.wallClockMicroseconds()) / 1_000_000
        }
    }
}
