import CurlKit
import ProbeCore
import ProbeReport

/// What `config check` prints for a valid config: where it came from, the agent, and the resolved targets.
struct ConfigSummary {
    /// The validated config.
    let config: ProbeConfig

    /// Paths with provider, binding, egress, the prefix the egress falls in, and the type samples get.
    /// Egress discovery is not run here (no network): a path that relies on it shows `discovery`.
    private func pathTable() -> String {
        let tagger = PathTagger(providers: config.providers)
        var table = TextTable(header: ["path", "provider", "asn", "binding", "egress", "prefix", "path_type"])
        for path in config.effectivePaths {
            let (tags, warning) = tagger.tags(for: path, egress: path.egressIP)
            let egress =
                path.egressIP?.description
                ?? (path.egressDiscovery.map { "discovery (\($0.redacted))" } ?? "local address")
            let type = path.egressIP == nil && !path.expressroute ? "decided at run time" : tags.type.rawValue
            table.rows.append([
                path.name, tags.isp ?? "-", tags.asn.map(String.init) ?? "-",
                path.bind ?? "system routing", egress, tags.prefix ?? "-", type,
            ])
            if let warning { Terminal.error("peering-probe: warning: \(warning)") }
        }
        var lines = [table.render()]
        if !config.providers.isEmpty {
            lines.append("")
            var providers = TextTable(header: ["provider", "asn", "peering_service", "prefixes"])
            for provider in config.providers {
                providers.rows.append([
                    provider.name, provider.asn.map(String.init) ?? "-",
                    provider.peeringService ? "yes" : "no",
                    provider.prefixes.map(\.description).joined(separator: " "),
                ])
            }
            lines.append(providers.render())
        }
        return lines.joined(separator: "\n")
    }

    func render() -> String {
        var lines = ["config: \(config.source) is valid"]
        lines.append(
            "agent: \(config.agent ?? "\(config.agentID) (host name)")"
                + "  site: \(config.site ?? "-")  region: \(config.region ?? "-")")
        lines.append("output: \(config.output.dir ?? "./peering-probe-data (default)")")
        lines.append("")
        lines.append(pathTable())
        lines.append("")
        var table = TextTable(header: ["target", "method", "url", "expect", "count", "timeout", "paths"])
        for spec in config.targetSpecs() {
            table.rows.append([
                spec.name, spec.method.rawValue, spec.url.redacted, spec.expect.description, "\(spec.count)",
                "\(spec.transfer.timeoutMilliseconds) ms", spec.paths?.joined(separator: ",") ?? "all",
            ])
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}
