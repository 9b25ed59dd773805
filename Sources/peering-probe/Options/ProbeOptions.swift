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

    @Option(name: .long, help: "Samples per target and path in the round.")
    var count: Int?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Pause between samples of one target and path (e.g. 100ms, 0ms).",
            valueName: "duration"))
    var spacing: TimeSpan?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Limit for each whole transfer: seconds (e.g. 10, 2.5) or a duration (e.g. 1500ms).",
            valueName: "seconds"),
        transform: { text in
            guard let limit = TimeSpan(limit: text) else {
                throw ValidationError("expected more than 0 seconds, like 10, 2.5 or 1500ms")
            }
            return limit
        })
    var timeout: TimeSpan?

    @Flag(name: [.customShort("k"), .long], help: "Do not verify TLS certificates (like curl -k).")
    var insecure = false

    @Option(name: .long, help: ArgumentHelp("CA bundle file for verifying servers.", valueName: "path"))
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

    @Option(name: .long, help: "Transfers in flight at most.")
    var concurrency: Int?

    mutating func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1, got \(count)") }
        if let concurrency, concurrency < 1 {
            throw ValidationError("--concurrency must be at least 1, got \(concurrency)")
        }
        if ipv4 && ipv6 { throw ValidationError("--ipv4 and --ipv6 exclude each other") }
        for text in url {
            do { _ = try CurlURL(text) } catch { throw ValidationError("--url: \(error)") }
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
