import ArgumentParser
import Logging
import ProbeAgent
import ProbeCore

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
            let path = source.config
            let config = try ConfigSource.load(path: path) { logger.warning("\($0)") }
            let options = Agent.Options(
                out: out, metricsListen: metricsListen, grace: grace.duration,
                version: PeeringProbe.configuration.version.isEmpty ? "unknown" : PeeringProbe.configuration.version)
            let agent = Agent(
                config: config, options: options,
                reload: { try ConfigSource.load(path: path) { logger.warning("\($0)") } }, logger: logger)
            try await agent.run()
        }
    }
}
