import ArgumentParser
import Glibc
import ProbeCore
import ProbeReport

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

        @Option(
            help: ArgumentHelp(
                "Group by these, comma-separated: target, path_type, path, isp, asn, prefix, site, region, pop, agent, "
                    + "hour, day. Default: site,target,path_type.", valueName: "dimensions"))
        var by: String?

        @Option(
            help: ArgumentHelp(
                "Metric the comparisons and charts use: total, ttfb, dns, connect, tls, request, wait, transfer.",
                valueName: "metric"))
        var metric: String = "total"

        @Option(
            name: .customLong("min-effect"),
            help: ArgumentHelp(
                "Smallest difference of medians a verdict calls faster, besides p < 0.01: 1ms,5% means the larger "
                    + "of 1 ms and 5% of the internet median.", valueName: "effect"))
        var minEffect: String = "1ms,5%"

        @Option(
            help: ArgumentHelp(
                "table, markdown, csv, json or html. Default: from the --output extension (.md .csv .json .html), "
                    + "else table.", valueName: "format"))
        var format: String?

        @Option(
            name: [.short, .long],
            help: ArgumentHelp(
                "Write the report to this file instead of standard output.",
                valueName: "file"))
        var output: String?

        @Flag(help: "Exit with status 2 when any line was skipped or torn.")
        var strict = false

        @Option(help: .hidden)
        var threads: Int?

        @Flag(help: .hidden)
        var timings = false

        @Option(name: .customLong("memory-mib"), help: .hidden)
        var memoryMiB: Int?

        func validate() throws {
            guard !inputs.isEmpty else {
                throw ValidationError("give NDJSON files, folders of batches, or - for standard input")
            }
            _ = try options(now: 0)
            _ = try chosenFormat()
        }

        func run() throws {
            let now = Int64(time(nil)) * 1_000_000
            let options = try options(now: now)
            let format = try chosenFormat()
            let report: ProbeReport.Report
            var phases = ReportTimings()
            do {
                let sources = try InputSource.expand(inputs)
                report = try ReportBuilder(options: options).build(sources: sources, timings: &phases)
            } catch {
                CommandFailure(status: error.isEnvironmentFault ? .environment : .usage, message: error.description)
                    .exit()
            }
            // A table fits the terminal (at least 80 columns); in a file or a pipe it keeps to 100.
            let width = output == nil ? max(80, Terminal.columns ?? 100) : 100
            let text = ReportRendering.render(report, as: format, width: width)
            if timings {
                Terminal.error(
                    "timings: scan=\(phases.scan) groups=\(phases.groups) comparisons=\(phases.comparisons) "
                        + "spilled_bytes=\(phases.spilledBytes)")
            }
            if let output {
                let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard fd >= 0 else {
                    CommandFailure(
                        status: .environment,
                        message: "cannot write \(output): \(String(cString: strerror(errno)))"
                    ).exit()
                }
                defer { close(fd) }
                do { try FileIO.writeAll(fd, Array(text.utf8), path: output) } catch {
                    CommandFailure(status: .environment, message: "cannot write \(output): \(error)").exit()
                }
            } else {
                Terminal.write(text)
            }
            if report.input.skipped + report.input.torn > 0 {
                Terminal.error(
                    "peering-probe: \(report.input.skipped) line(s) skipped and \(report.input.torn) torn; "
                        + "the report's input section quotes the first")
                if strict {
                    CommandFailure(
                        status: .usage,
                        message: ReportError.strict(
                            skipped: report.input.skipped, torn: report.input.torn
                        ).description
                    ).exit()
                }
            }
        }

        private func options(now: Int64) throws -> ReportOptions {
            var grouping = GroupDimension.defaultGrouping
            if let by {
                grouping = []
                for word in by.split(separator: ",").map({ String($0) }) where !word.isEmpty {
                    guard let dimension = GroupDimension(word: word) else {
                        throw ValidationError(
                            "--by \(word): expected one of "
                                + GroupDimension.allCases.map(\.rawValue).joined(separator: ", "))
                    }
                    if !grouping.contains(dimension) { grouping.append(dimension) }
                }
                guard !grouping.isEmpty else { throw ValidationError("--by needs at least one dimension") }
            }
            guard let metric = Metric(rawValue: metric.hasSuffix("_ms") ? String(metric.dropLast(3)) : metric) else {
                throw ValidationError(
                    "--metric \(metric): expected one of "
                        + Metric.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let effect = MinimumEffect(text: minEffect) else {
                throw ValidationError(
                    "--min-effect \(minEffect): expected a time in ms, a percentage, or both (1ms,5%)")
            }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
            var options = ReportOptions(
                filter: try filters.filter(now: now), grouping: grouping, metric: metric,
                minimumEffect: effect, threads: threads)
            if let memoryMiB { options.memoryBudgetBytes = max(1, memoryMiB) << 20 }
            return options
        }

        private func chosenFormat() throws -> ReportFormat {
            if let format {
                guard let chosen = ReportFormat(rawValue: format.lowercased()) else {
                    throw ValidationError("--format \(format): expected table, markdown, csv, json or html")
                }
                return chosen
            }
            let lower = output?.lowercased() ?? ""
            if lower.hasSuffix(".html") || lower.hasSuffix(".htm") { return .html }
            if lower.hasSuffix(".json") { return .json }
            if lower.hasSuffix(".csv") { return .csv }
            if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") { return .markdown }
            return .table
        }
    }
}
