import ArgumentParser
import ProbeCore
import ProbeReport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension PeeringProbe {
    /// `peering-probe report`: is Peering Service faster here, by how much, and how sure are we.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare Peering Service paths with internet paths from NDJSON batches.",
            discussion: """
                Reads files, folders (recursively: *.ndjson, *.jsonl and their .gz), gzip files and - (standard \
                input), mixed. Groups by site x target x path type unless --by says otherwise, compares each \
                Peering Service path with each internet path per site and target, and renders a table, Markdown, \
                CSV, JSON or a self-contained HTML page. Bad lines are skipped, counted and quoted; --strict makes \
                them an error (exit 2).
                """
        )

        @Argument(
            help: ArgumentHelp(
                "NDJSON files, folders of batches, .gz files, or - for standard input.",
                valueName: "input"))
        var inputs: [String] = []

        @OptionGroup var filters: ReportFilterOptions

        @Option(help: ArgumentHelp("Group by these dimensions, comma-separated.", valueName: "dimensions"))
        var by = GroupingList()

        @Option(help: ArgumentHelp("Metric the comparisons and charts use.", valueName: "metric"))
        var metric = Metric.total

        @Option(
            name: .customLong("min-effect"),
            help: ArgumentHelp(
                "Smallest difference of medians a verdict calls faster, besides p < 0.01: 1ms,5% means the larger "
                    + "of 1 ms and 5% of the internet median.", valueName: "effect"))
        var minEffect = MinimumEffect.default

        @Option(
            help: ArgumentHelp(
                "Output format. Default: from the --output extension (.md .csv .json .html), else table.",
                valueName: "format"))
        var format: ReportFormat?

        @Option(
            name: [.short, .long],
            help: ArgumentHelp(
                "Write the report to this file instead of standard output (- is standard output; an input file is "
                    + "refused).",
                valueName: "file"))
        var output: String?

        @Flag(help: "Exit with status 2 when any line was skipped or torn.")
        var strict = false

        @Option(help: .hidden)
        var threads: Int?

        @Flag(help: .hidden)
        var timings = false

        @Option(
            name: .customLong("memory-limit"),
            help: ArgumentHelp(
                "Memory the report may use (default 100MiB); past it, rows spill to $TMPDIR and are read again.",
                valueName: "size"))
        var memoryLimit: ByteSize?

        func validate() throws {
            guard !inputs.isEmpty else {
                throw ValidationError("give NDJSON files, folders of batches, or - for standard input")
            }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
            if let memoryLimit, memoryLimit.bytes < 1 << 20 {
                throw ValidationError("--memory-limit must be at least 1MiB")
            }
            _ = try filters.filter(now: 0)
        }

        func run() throws {
            let now = Int64(time(nil)) * 1_000_000
            var options = ReportOptions(
                filter: try filters.filter(now: now), grouping: by.dimensions, metric: metric,
                minimumEffect: minEffect, threads: threads)
            if let memoryLimit { options.memoryLimitBytes = Int(memoryLimit.bytes) }
            var phases = ReportTimings()
            let destination = output.map(ReportDestination.init(argument:)) ?? .standardOutput
            let sources = try InputSource.expand(inputs)
            try destination.refuseOverwriting(sources)
            let report = try ReportBuilder(options: options).build(sources: sources, timings: &phases)
            let chosen = format ?? output.flatMap { ReportFormat(fileName: $0) } ?? .table
            // A table fits the terminal (at least 80 columns); in a file or a pipe it keeps to 100.
            let width = destination == .standardOutput ? max(80, Terminal.columns ?? 100) : 100
            let text = ReportRendering.render(report, as: chosen, width: width)
            if timings {
                Terminal.error(
                    "timings: scan=\(phases.scan) groups=\(phases.groups) comparisons=\(phases.comparisons) "
                        + "spilled_bytes=\(phases.spilledBytes)")
            }
            try destination.write(text)
            for bad in report.input.badLines where bad.reason.hasPrefix(ScanWorker.truncatedStreamReason) {
                Terminal.error("peering-probe: warning: \(bad.source): \(ScanWorker.truncatedStreamReason)")
            }
            if report.input.skipped + report.input.torn > 0 {
                Terminal.error(
                    "peering-probe: \(report.input.skipped) line(s) skipped and \(report.input.torn) torn; "
                        + "the report's input section quotes the first")
                if strict { throw ReportError.strict(skipped: report.input.skipped, torn: report.input.torn) }
            }
        }
    }
}
