import CurlKit
import ProbeCore
import ProbeReport

/// What `config check` prints for a valid config: where it came from, the agent, the output settings, the
/// metrics address, the paths and how they will be tagged, the providers, and the resolved targets with their
/// schedule.
struct ConfigSummary {
    /// The validated config.
    let config: ProbeConfig
    /// The paths as the config alone tags them.
    let paths: [PathPreview]

    /// A summary of `config`.
    init(config: ProbeConfig) {
        self.config = config
        self.paths = config.pathPreviews()
    }

    /// Things the user should know: an egress address in another provider's prefix, and targets whose rounds can
    /// take longer than their interval.
    var warnings: [String] { paths.compactMap(\.warning) + config.scheduleWarnings().map(\.description) }

    /// The whole summary.
    func render() -> String {
        var lines = ["config: \(config.source) is valid"]
        lines.append(
            "agent: \(config.agent ?? "\(config.agentID) (host name)")"
                + "  site: \(config.site ?? "-")  region: \(config.region ?? "-")")
        lines.append("output: \(config.output.dir ?? "\(OutputSettings.defaultDir) (default)")")
        lines.append(outputSettings())
        lines.append(
            "schedule: every \(ConfigValues.text(config.schedule.interval)) unless a target says otherwise;"
                + " egress discovery again every \(ConfigValues.text(config.schedule.egressDiscovery))")
        lines.append("metrics: \(config.metrics.listen.map { "http://\($0)/metrics" } ?? "off")")
        lines.append("")
        lines.append(pathTable())
        if !config.providers.isEmpty {
            lines.append("")
            lines.append(providerTable())
        }
        lines.append("")
        lines.append(targetTable())
        return lines.joined(separator: "\n")
    }

    /// The batch and retention settings of the continuous agent, on one line.
    private func outputSettings() -> String {
        let output = config.output
        let retention = output.retention.map(ConfigValues.text) ?? "keep"
        let size = output.retentionSize.map { ByteSize(bytes: $0).description } ?? "no limit"
        return "  batch_size: \(output.batchMaxSamples)  batch_age: \(ConfigValues.text(output.batchMaxAge))"
            + "  retention: \(retention)  retention_size: \(size)  buffer: \(output.bufferSamples)"
    }

    /// Paths with provider, binding, egress, the prefix the egress falls in, and the type samples get.
    private func pathTable() -> String {
        var table = TextTable(header: ["path", "provider", "asn", "binding", "egress", "prefix", "path_type"])
        for preview in paths {
            let egress =
                switch preview.egress {
                case .configured(let address): address.description
                case .discovery(let url): "discovery (\(url))"
                case .localAddress: "local address"
                }
            table.rows.append([
                preview.path.name, preview.tags.isp ?? "-", preview.tags.asn.map(String.init) ?? "-",
                preview.path.bind ?? "system routing", egress, preview.tags.prefix ?? "-",
                preview.type?.rawValue ?? "decided at run time",
            ])
        }
        return table.render()
    }

    private func providerTable() -> String {
        var table = TextTable(header: ["provider", "asn", "peering_service", "prefixes"])
        for provider in config.providers {
            table.rows.append([
                provider.name, provider.asn.map(String.init) ?? "-", provider.peeringService ? "yes" : "no",
                provider.prefixes.map(\.description).joined(separator: " "),
            ])
        }
        return table.render()
    }

    private func targetTable() -> String {
        var table = TextTable(
            header: ["target", "method", "url", "expect", "count", "timeout", "interval", "paths"])
        for spec in config.targetSpecs() {
            table.rows.append([
                spec.name, spec.method.rawValue, spec.url.redacted, spec.expect.description, "\(spec.count)",
                "\(spec.transfer.timeoutMilliseconds) ms", ConfigValues.text(spec.interval),
                spec.paths?.joined(separator: ",") ?? "all",
            ])
        }
        return table.render()
    }
}
