/// One measurement: one line of NDJSON in sample schema v1 (<doc:SampleSchema>).
///
/// Every scheduled probe produces exactly one sample, whatever happened to it. Durations are kept as
/// integer microseconds and written as milliseconds with three decimals, so nothing is lost or rounded.
public struct Sample: Sendable, Hashable {
    /// The schema version this type writes.
    public static let schemaVersion = 1

    /// Start of the transfer, microseconds since the Unix epoch (UTC).
    public var timestamp: Int64
    /// Agent id.
    public var agent: String
    /// Where the agent runs, from config.
    public var site: String?
    /// Azure region or geography the site is near, from config.
    public var region: String?
    /// Id of the batch file this sample belongs to.
    public var batch: String
    /// Sample number, strictly increasing within one agent's output.
    public var seq: Int64
    /// Round number.
    public var round: Int64
    /// Index of the sample within its (target, path) in the round, from 0.
    public var n: Int
    /// Target name.
    public var target: String
    /// URL without user info, query or fragment.
    public var url: String
    /// `GET` or `HEAD`.
    public var method: HTTPMethod
    /// The path's tags, decided before the round.
    public var path: PathTags
    /// `CURLINFO_LOCAL_IP`.
    public var localIP: String?
    /// `CURLINFO_LOCAL_PORT`.
    public var localPort: Int?
    /// `CURLINFO_PRIMARY_IP`.
    public var remoteIP: String?
    /// `CURLINFO_PRIMARY_PORT`.
    public var remotePort: Int?
    /// 4 or 6, from the remote address.
    public var ipVersion: Int?
    /// `1.0`, `1.1`, `2` or `3`.
    public var httpVersion: String?
    /// HTTP status code, nil when no response arrived.
    public var status: Int?
    /// The transfer completed and the status was expected.
    public var ok: Bool
    /// What went wrong, nil when nothing did.
    public var error: SampleError?
    /// The phase durations.
    public var phases: Phases
    /// Body bytes received.
    public var bytes: Int64
    /// Edge PoP metro code (`AMS`), when a header names it.
    public var pop: String?
    /// Edge server name (`AMSEDGE1018`), when a header names it.
    public var edgeServer: String?
    /// The raw header value `pop` and `edgeServer` came from.
    public var edgeRef: String?

    /// Makes a sample; every field is given explicitly by the engine or a test.
    public init(
        timestamp: Int64, agent: String, site: String?, region: String?, batch: String, seq: Int64, round: Int64,
        n: Int, target: String, url: String, method: HTTPMethod, path: PathTags, localIP: String?, localPort: Int?,
        remoteIP: String?, remotePort: Int?, ipVersion: Int?, httpVersion: String?, status: Int?, ok: Bool,
        error: SampleError?, phases: Phases, bytes: Int64, pop: String?, edgeServer: String?, edgeRef: String?
    ) {
        self.timestamp = timestamp
        self.agent = agent
        self.site = site
        self.region = region
        self.batch = batch
        self.seq = seq
        self.round = round
        self.n = n
        self.target = target
        self.url = url
        self.method = method
        self.path = path
        self.localIP = localIP
        self.localPort = localPort
        self.remoteIP = remoteIP
        self.remotePort = remotePort
        self.ipVersion = ipVersion
        self.httpVersion = httpVersion
        self.status = status
        self.ok = ok
        self.error = error
        self.phases = phases
        self.bytes = bytes
        self.pop = pop
        self.edgeServer = edgeServer
        self.edgeRef = edgeRef
    }
}

/// The HTTP method a probe uses.
public enum HTTPMethod: String, Sendable, Hashable, CaseIterable {
    /// A full GET; the body is read and counted, never stored.
    case get = "GET"
    /// HEAD: headers only, the lightest probe where the service answers it.
    case head = "HEAD"
}
