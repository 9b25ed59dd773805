public import CurlKit

/// A validated configuration: what the YAML file says, with every default filled in.
///
/// Made by ``ConfigLoader``; the keys are documented in the README, section "Configuration".
public struct ProbeConfig: Sendable {
    /// Where the config came from (a path, or `<embedded default config>`), for messages.
    public var source: String
    /// Agent id; nil means the host name.
    public var agent: String?
    /// Where the agent runs.
    public var site: String?
    /// The Azure region or geography the site is near.
    public var region: String?
    /// Where and how batches are written.
    public var output: OutputSettings
    /// How often the continuous agent starts each target's round (`schedule`).
    public var schedule = ScheduleSettings()
    /// Where the continuous agent serves its metrics (`metrics`); off by default.
    public var metrics = MetricsSettings()
    /// Defaults for every target.
    public var defaults: ProbeDefaults
    /// What to probe, in config order (never empty).
    public var targets: [TargetConfig]
    /// The ISPs the site uses and the prefixes registered with each (`providers`).
    public var providers: [ProviderConfig] = []
    /// The uplinks probes go out of (`paths`); empty means one implicit `default` path.
    public var paths: [PathConfig] = []
    /// The user's edge rules (`edge_rules`), tried before the shipped ones.
    public var edgeRules: [EdgeRule] = []

    /// The edge rules in force: the user's first, then the shipped defaults.
    public var effectiveEdgeRules: [EdgeRule] { edgeRules + EdgeRule.defaultRules }

    /// The paths probes go out of: the configured ones, or the implicit `default` path.
    public var effectivePaths: [PathConfig] { paths.isEmpty ? [.implicitDefault] : paths }

    /// Makes a config.
    public init(
        source: String, agent: String? = nil, site: String? = nil, region: String? = nil,
        output: OutputSettings = OutputSettings(), defaults: ProbeDefaults = ProbeDefaults(),
        targets: [TargetConfig]
    ) {
        self.source = source
        self.agent = agent
        self.site = site
        self.region = region
        self.output = output
        self.defaults = defaults
        self.targets = targets
    }
}

/// The `output` section.
public struct OutputSettings: Sendable, Hashable {
    /// Folder for batches and state; nil means `--out` or ``defaultDir``.
    public var dir: String?
    /// The output folder when neither `--out` nor `output.dir` names one.
    public static let defaultDir = "./peering-probe-data"
    /// A batch is closed when it holds this many samples (`batch_size`, used by `run`).
    public var batchMaxSamples: Int
    /// A batch is closed when its first sample is this old (`batch_age`, used by `run`).
    public var batchMaxAge: Duration
    /// Batches older than this are deleted (`retention`); nil keeps them. See ``BatchRetention``.
    public var retention: Duration?
    /// The oldest batches are deleted while the finished batches total more bytes than this
    /// (`retention_size`); nil sets no limit. See ``BatchRetention``.
    public var retentionSize: Int64?
    /// Samples the continuous agent holds in memory while its batches cannot be written (`buffer`); when
    /// more wait, the oldest are dropped.
    public var bufferSamples: Int
    /// ``bufferSamples`` when the config sets no `buffer`.
    public static let defaultBufferSamples = 100_000

    /// Makes output settings with the documented defaults.
    public init(
        dir: String? = nil, batchMaxSamples: Int = 10_000, batchMaxAge: Duration = .seconds(300),
        retention: Duration? = nil, retentionSize: Int64? = nil,
        bufferSamples: Int = OutputSettings.defaultBufferSamples
    ) {
        self.dir = dir
        self.batchMaxSamples = batchMaxSamples
        self.batchMaxAge = batchMaxAge
        self.retention = retention
        self.retentionSize = retentionSize
        self.bufferSamples = bufferSamples
    }
}

/// The `defaults` section: what every target uses unless it says otherwise.
public struct ProbeDefaults: Sendable, Hashable {
    /// Samples per (target, path) per round.
    public var count: Int = 3
    /// Pause between consecutive samples of one (target, path).
    public var spacing: Duration = .milliseconds(100)
    /// Limit for lookup + connect + TLS.
    public var connectTimeout: Duration = .seconds(5)
    /// Limit for the whole transfer.
    public var timeout: Duration = .seconds(10)
    /// Transfers in flight at most.
    public var concurrency: Int = 8
    /// Statuses that count as `ok`.
    public var expect: StatusSet = .default
    /// GET or HEAD.
    public var method: HTTPMethod = .get
    /// Body bytes read at most.
    public var maxBytes: Int64 = 1 << 20
    /// Address family.
    public var ipVersion: TransferOptions.IPVersion = .any
    /// Skip certificate verification.
    public var insecure: Bool = false
    /// CA bundle file; nil means libcurl's default bundle.
    public var caFile: String?
    /// Extra request headers, `Name: value`.
    public var headers: [String] = []
    /// Follow redirects (off: phases then add up to the total).
    public var followRedirects: Bool = false

    /// Makes the documented defaults.
    public init() {}
}

/// One entry of `targets`; nil fields fall back to ``ProbeDefaults``.
public struct TargetConfig: Sendable, Hashable {
    /// Unique name, written as `target`.
    public var name: String
    /// What to fetch.
    public var url: CurlURL
    /// GET or HEAD.
    public var method: HTTPMethod?
    /// Statuses that count as `ok`.
    public var expect: StatusSet?
    /// Samples per path per round.
    public var count: Int?
    /// Pause between samples.
    public var spacing: Duration?
    /// Limit for lookup + connect + TLS.
    public var connectTimeout: Duration?
    /// Limit for the whole transfer.
    public var timeout: Duration?
    /// Body bytes read at most.
    public var maxBytes: Int64?
    /// Address family.
    public var ipVersion: TransferOptions.IPVersion?
    /// Skip certificate verification.
    public var insecure: Bool?
    /// CA bundle file.
    public var caFile: String?
    /// Extra request headers, added to the defaults' headers.
    public var headers: [String]
    /// `HOST:PORT:ADDR` pins (`CURLOPT_RESOLVE`).
    public var resolve: [String]
    /// Follow redirects.
    public var followRedirects: Bool?
    /// Names of the paths this target is probed over; nil means every path.
    public var paths: [String]?
    /// Time between the starts of this target's rounds in the continuous agent; nil means
    /// ``ScheduleSettings/interval``.
    public var interval: Duration?
    /// Line of the entry in the config file, for messages; 0 when unknown.
    public var line: Int

    /// Makes a target with only a name and URL set.
    public init(name: String, url: CurlURL, line: Int = 0) {
        self.name = name
        self.url = url
        self.headers = []
        self.resolve = []
        self.line = line
    }
}
