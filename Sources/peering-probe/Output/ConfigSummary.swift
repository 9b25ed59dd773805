import CurlKit
import ProbeCore

/// What `config check` prints for a valid config: where it came from, the agent, and the resolved targets.
struct ConfigSummary {
    /// The validated config.
    let config: ProbeConfig

    func render() -> String {
        var lines = ["config: \(config.source) is valid"]
        lines.append("agent: \(config.agent ?? "\(OneShotProbe.hostName()) (host name)")"
            + "  site: \(config.site ?? "-")  region: \(config.region ?? "-")")
        lines.append("output: \(config.output.dir ?? "./peering-probe-data (default)")")
        lines.append("paths: default (system routing; no paths configured)")
        lines.append("")
        var table = TextTable(header: ["target", "method", "url", "expect", "count", "timeout"])
        for spec in config.targetSpecs() {
            table.rows.append([
                spec.name, spec.method.rawValue, spec.url.redacted, spec.expect.description, "\(spec.count)",
                "\(spec.transfer.timeoutMilliseconds) ms",
            ])
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}
