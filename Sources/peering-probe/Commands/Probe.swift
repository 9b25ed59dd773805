import ArgumentParser
import CurlKit
import ProbeAgent
import ProbeCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PeeringProbe {
    /// `peering-probe probe`: one round over every target and path, then exit (the cron mode).
    struct Probe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Probe every target over every path once, write one NDJSON batch, and exit.",
            discussion: """
                With no flags it probes the embedded default config's Microsoft endpoints and writes the batch \
                under ./peering-probe-data. On a terminal it also prints a summary table. SIGINT or SIGTERM \
                stops the round: the samples taken and one `cancelled` sample for each probe not finished are \
                written, then it exits with 130 or 143; a second signal ends it at once.
                """
        )

        @OptionGroup var source: ConfigSource
        @OptionGroup var options: ProbeOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Output folder for the batch and its state, or - for NDJSON on standard output. "
                    + "Default: the config's output.dir, else ./peering-probe-data.",
                valueName: "dir"))
        var out: String?

        @Flag(name: .long, help: "Exit with status 1 when any sample is not ok (for cron alerting).")
        var strict = false

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Also write the run's Prometheus series to this file, replaced atomically, for node_exporter's "
                    + "textfile collector (name it *.prom in the collector's folder).",
                valueName: "path"))
        var textfile: String?

        func validate() throws {
            if out?.isEmpty == true {
                throw ValidationError("--out must not be empty: give a folder, or - for standard output")
            }
            if textfile?.isEmpty == true {
                throw ValidationError("--textfile must not be empty: give the path of a .prom file")
            }
        }

        func run() throws {
            let stop = RoundCancellation()
            stop.stopOnSignals([SIGINT, SIGTERM])
            let config = options.applyingURLs(to: try source.load())
            try config.checkRoundSize(count: options.count)
            let destination = config.outputDestination(out: out)
            if destination == .standardOutput, StandardStreams.outputWasClosed {
                throw CommandFailure(.environment, "standard output is closed: cannot write the batch to -")
            }
            let engine: ProbeEngine
            do { engine = try ProbeEngine() } catch {
                throw CommandFailure(.environment, "libcurl failed to initialise: \(error)")
            }
            engine.cancellation = stop
            let result = try OneShotProbe(config: config, overrides: options.overrides)
                .run(engine: engine, destination: destination)
            for warning in result.warnings { Terminal.warning(warning) }
            for deletion in result.retention { Terminal.note(deletion.description) }
            if let textfile, !result.samples.isEmpty {
                let metrics = AgentMetrics.forRun(result.samples, version: PeeringProbe.configuration.version)
                do throws(SpoolError) { try metrics.writeTextfile(to: textfile) } catch {
                    throw CommandFailure(.environment, "cannot write --textfile: \(error)")
                }
            }
            if let signal = stop.signal { throw Self.stopped(by: signal, result: result) }
            if Terminal.standardOutputIsTerminal, destination != .standardOutput {
                Terminal.print(SummaryTable(RoundSummary(samples: result.samples, jobs: result.jobs)).render())
                if let path = result.batchPath { Terminal.print("wrote \(result.samples.count) samples to \(path)") }
            }
            if strict, result.samples.contains(where: { !$0.ok }) { throw CommandFailure(.notOK) }
        }

        /// The failure that ends a run stopped by `signal`: its status and what was written.
        private static func stopped(by signal: Int32, result: OneShotProbe.Result) -> CommandFailure {
            let name =
                switch signal {
                case SIGINT: "SIGINT"
                case SIGTERM: "SIGTERM"
                default: "signal \(signal)"
                }
            guard !result.samples.isEmpty else {
                return CommandFailure(
                    .stopped(by: signal), "stopped by \(name) before the round began; nothing written")
            }
            let cancelled = result.samples.count { $0.error?.kind == .cancelled }
            let place = result.batchPath ?? "standard output"
            return CommandFailure(
                .stopped(by: signal),
                "stopped by \(name): wrote \(result.samples.count) samples to \(place), \(cancelled) of them cancelled")
        }
    }
}
