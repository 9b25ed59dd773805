import ArgumentParser
import ProbeReport

/// The flags that choose which samples a report keeps.
struct ReportFilterOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Keep samples from this time on: RFC 3339 (2026-11-28T08:00:00Z), a date, or a span back from now "
                + "(90s, 30m, 24h, 7d, 2w).", valueName: "time"))
    var since: String?

    @Option(help: ArgumentHelp("Keep samples before this time (same forms as --since).", valueName: "time"))
    var until: String?

    @Option(help: ArgumentHelp("Keep these sites only (repeat, or separate with commas).", valueName: "site"))
    var site: [String] = []

    @Option(help: ArgumentHelp("Keep these regions only.", valueName: "region"))
    var region: [String] = []

    @Option(help: ArgumentHelp("Keep these targets only.", valueName: "target"))
    var target: [String] = []

    @Option(help: ArgumentHelp("Keep these providers (isp) only.", valueName: "isp"))
    var isp: [String] = []

    @Option(help: ArgumentHelp("Keep these path names only.", valueName: "path"))
    var path: [String] = []

    /// The filter, with relative times taken back from `now` (µs since the epoch).
    func filter(now: Int64) throws -> ReportFilter {
        func time(_ text: String?, _ flag: String) throws -> Int64? {
            guard let text else { return nil }
            guard let micros = TimeExpression.parse(text, now: now) else {
                throw ValidationError(
                    "\(flag) \(text): expected RFC 3339 (2026-11-28T08:00:00Z), a date (2026-11-28) or a span (24h)")
            }
            return micros
        }
        func list(_ values: [String]) -> [String] {
            values.flatMap { $0.split(separator: ",").map(String.init) }.filter { !$0.isEmpty }
        }
        return ReportFilter(
            since: try time(since, "--since"), until: try time(until, "--until"), sites: list(site),
            regions: list(region), targets: list(target), isps: list(isp), paths: list(path))
    }
}
