import ArgumentParser
import CurlKit
import ProbeCore

/// The flags that shape probes, shared by `probe` and (later) `run`.
struct ProbeOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Probe this URL instead of the config's targets (repeatable).",
            valueName: "url"))
    var url: [String] = []

    @Option(name: .long, help: "Samples per target and path in the round (1 to 10000).")
    var count: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pause between samples of one target and path (e.g. 100ms, 0ms; at most 1h).",
            valueName: "duration"))
    var spacing: TimeSpan?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Limit for each whole transfer: seconds (e.g. 10, 2.5) or a duration (e.g. 1500ms); at most 10m.",
            valueName: "seconds"),
        transform: { text in
            let range = ConfigLimits.timeout
            guard let limit = TimeSpan(limit: text), range.contains(limit.duration) else {
                throw ValidationError("expected \(ConfigLimits.describe(range)), like 10, 2.5 or 1500ms")
            }
            return limit
        })
    var timeout: TimeSpan?

    @Flag(name: [.customShort("k"), .long], help: "Do not verify TLS certificates (like curl -k).")
    var insecure = false

    @Option(
        name: .long, help: ArgumentHelp("CA bundle file for verifying servers.", valueName: "path"),
        transform: { path in
            if let problem = ConfigValues.caFileProblem(path) { throw ValidationError(problem) }
            return path
        })
    var cacert: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Source binding: interface name or local address.",
            valueName: "if-or-addr"))
    var interface: String?

    @Flag(name: [.customShort("4"), .customLong("ipv4")], help: "Use IPv4 only.")
    var ipv4 = false

    @Flag(name: [.customShort("6"), .customLong("ipv6")], help: "Use IPv6 only.")
    var ipv6 = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pin a host name to an address, like curl --resolve (repeatable).",
            valueName: "host:port:addr"),
        transform: ResolveArgument.parse)
    var resolve: [String] = []

    @Option(name: .long, help: ArgumentHelp("HTTP method.", valueName: "method"))
    var method: HTTPMethod?

    @Option(name: .long, help: "Transfers in flight at most (1 to 1000).")
    var concurrency: Int?

    /// Checks each number against the same ranges as the config (``ConfigLimits``), and the `--url` round.
    mutating func validate() throws {
        if let count, let problem = ConfigLimits.problem(count, in: ConfigLimits.count) {
            throw ValidationError("--count \(problem)")
        }
        if let concurrency, let problem = ConfigLimits.problem(concurrency, in: ConfigLimits.concurrency) {
            throw ValidationError("--concurrency \(problem)")
        }
        if let spacing, let problem = ConfigLimits.problem(spacing.duration, in: ConfigLimits.spacing) {
            throw ValidationError("--spacing \(problem)")
        }
        if ipv4 && ipv6 { throw ValidationError("--ipv4 and --ipv6 exclude each other") }
        for text in url {
            do { _ = try CurlURL(text) } catch {
                throw ValidationError("--url: \(MessageText.escaped(String(describing: error)))")
            }
        }
        let (samples, overflow) = (count ?? 1).multipliedReportingOverflow(by: url.count)
        if overflow || ConfigLimits.roundProblem(samples: samples) != nil {
            throw ValidationError(ConfigLimits.roundProblem(samples: overflow ? .max : samples) ?? "")
        }
    }

    /// The command-line settings that win over the config.
    var overrides: ProbeOverrides {
        var out = ProbeOverrides()
        out.count = count
        out.spacing = spacing?.duration
        out.timeout = timeout?.duration
        out.insecure = insecure ? true : nil
        out.caFile = cacert
        out.interface = interface
        out.ipVersion = ipv4 ? .v4 : ipv6 ? .v6 : nil
        out.resolve = resolve
        out.method = method
        out.concurrency = concurrency
        return out
    }

    /// `config` with its targets replaced by the `--url` targets, when any were given.
    func applyingURLs(to config: ProbeConfig) -> ProbeConfig {
        config.replacingTargets(with: url.compactMap { try? CurlURL($0) })
    }
}
