public import CurlKit

/// One target with every setting resolved (config defaults, target overrides, command-line flags):
/// what the engine needs to probe it.
public struct TargetSpec: Sendable {
    /// Target name, written as `target`.
    public var name: String
    /// The URL (redacted form is what samples carry).
    public var url: CurlURL
    /// GET or HEAD.
    public var method: HTTPMethod
    /// Statuses that count as `ok`.
    public var expect: StatusSet
    /// Samples per path per round.
    public var count: Int
    /// Pause between consecutive samples of one (target, path).
    public var spacing: Duration
    /// libcurl settings for each transfer.
    public var transfer: TransferOptions
    /// Names of the paths to probe over; nil means every path.
    public var paths: [String]?
    /// Time between the starts of two rounds of this target in the continuous agent: the target's own
    /// `interval`, else the config's `schedule.interval` (``ScheduleSettings/defaultInterval`` for a spec made
    /// with ``init(name:url:method:expect:count:spacing:transfer:)``).
    public var interval: Duration

    /// Makes a spec.
    public init(
        name: String, url: CurlURL, method: HTTPMethod, expect: StatusSet, count: Int, spacing: Duration,
        transfer: TransferOptions
    ) {
        self.name = name
        self.url = url
        self.method = method
        self.expect = expect
        self.count = count
        self.spacing = spacing
        self.transfer = transfer
        self.paths = nil
        self.interval = ScheduleSettings.defaultInterval
    }

    /// True when this target is probed over the path named `name`.
    public func uses(path name: String) -> Bool {
        paths?.contains(name) ?? true
    }
}

/// Settings from the command line that win over the config (`probe --count 5 --insecure ...`).
public struct ProbeOverrides: Sendable, Hashable {
    /// `--count`.
    public var count: Int?
    /// `--spacing`.
    public var spacing: Duration?
    /// `--timeout`: the total limit; the connect limit is capped by it.
    public var timeout: Duration?
    /// `--insecure`.
    public var insecure: Bool?
    /// `--cacert`.
    public var caFile: String?
    /// `--interface`.
    public var interface: String?
    /// `--ipv4` / `--ipv6`.
    public var ipVersion: TransferOptions.IPVersion?
    /// `--resolve`, added to each target's own pins.
    public var resolve: [String] = []
    /// `--method`.
    public var method: HTTPMethod?
    /// `--concurrency`.
    public var concurrency: Int?

    /// No overrides.
    public init() {}
}

extension ProbeConfig {
    /// The targets with defaults and `overrides` applied, in config order.
    public func targetSpecs(overrides: ProbeOverrides = ProbeOverrides()) -> [TargetSpec] {
        targets.map { target in
            let timeout = overrides.timeout ?? target.timeout ?? defaults.timeout
            let connectTimeout = min(target.connectTimeout ?? defaults.connectTimeout, timeout)
            let method = overrides.method ?? target.method ?? defaults.method
            var options = TransferOptions(url: target.url.full)
            options.head = method == .head
            options.timeoutMilliseconds = timeout.wholeMilliseconds
            options.connectTimeoutMilliseconds = connectTimeout.wholeMilliseconds
            options.ipVersion = overrides.ipVersion ?? target.ipVersion ?? defaults.ipVersion
            options.interface = overrides.interface
            options.resolve = target.resolve + overrides.resolve
            options.headers = defaults.headers + target.headers
            options.insecure = overrides.insecure ?? target.insecure ?? defaults.insecure
            options.caFile = overrides.caFile ?? target.caFile ?? defaults.caFile
            options.followRedirects = target.followRedirects ?? defaults.followRedirects
            options.maxBodyBytes = target.maxBytes ?? defaults.maxBytes
            options.captureHeaders = EdgeRule.headerNames(of: effectiveEdgeRules)
            var spec = TargetSpec(
                name: target.name, url: target.url, method: method, expect: target.expect ?? defaults.expect,
                count: overrides.count ?? target.count ?? defaults.count,
                spacing: overrides.spacing ?? target.spacing ?? defaults.spacing, transfer: options
            )
            spec.paths = target.paths
            spec.interval = target.interval ?? schedule.interval
            return spec
        }
    }

    /// Transfers in flight at most, with `overrides` applied.
    public func concurrency(overrides: ProbeOverrides = ProbeOverrides()) -> Int {
        overrides.concurrency ?? defaults.concurrency
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded up so that a positive duration is never 0.
    package var wholeMilliseconds: Int {
        let micros = microseconds
        return Int((micros + 999) / 1_000)
    }

    /// The duration in whole microseconds (truncated).
    package var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }
}
