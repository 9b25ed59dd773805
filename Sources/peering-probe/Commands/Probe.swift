import ArgumentParser
import CurlKit
import ProbeCore

extension PeeringProbe {
    /// `peering-probe probe`: one round over every target and path, then exit (the cron mode).
    struct Probe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Probe every target over every path once, write one NDJSON batch, and exit.",
            discussion: """
                With no flags it probes the embedded default config's Microsoft endpoints and writes the batch \
                under ./peering-probe-data. On a terminal it also prints a summary table.
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

        func validate() throws {
            if out?.isEmpty == true {
                throw ValidationError("--out must not be empty: give a folder, or - for standard output")
            }
        }

        func run() throws {
            let config = options.applyingURLs(to: try source.load())
            try config.checkRoundSize(count: options.count)
            let destination = config.outputDestination(out: out)
            let engine: ProbeEngine
            do { engine = try ProbeEngine() } catch {
                throw CommandFailure(.environment, "libcurl failed to initialise: \(error)")
            }
            let result = try OneShotProbe(config: config, overrides: options.overrides)
                .run(engine: engine, destination: destination)
            for warning in result.warnings { Terminal.warning(warning) }
            if Terminal.standardOutputIsTerminal, destination != .standardOutput {
                Terminal.print(SummaryTable(RoundSummary(samples: result.samples, jobs: result.jobs)).render())
                if let path = result.batchPath { Terminal.print("wrote \(result.samples.count) samples to \(path)") }
            }
            if strict, result.samples.contains(where: { !$0.ok }) { throw CommandFailure(.notOK) }
        }
    }
}
