/// What libcurl said about one finished transfer: the raw material of a sample.
///
/// Times are libcurl's cumulative `CURLINFO_*_TIME_T` values in microseconds from the start of the
/// transfer; 0 means libcurl did not reach that point (or, for a few known quirks, did not record it).
public struct TransferReport: Sendable {
    /// libcurl's result code; 0 is success.
    public var resultCode: Int = 0
    /// libcurl's detailed message (`CURLOPT_ERRORBUFFER`), or its generic text, or empty on success.
    public var message: String = ""
    /// The transfer was stopped because the body reached ``TransferOptions/maxBodyBytes``.
    public var bodyLimitReached = false
    /// The transfer was cancelled by the caller before it finished.
    public var cancelled = false
    /// `CURLINFO_NAMELOOKUP_TIME_T`.
    public var nameLookup: Int64 = 0
    /// `CURLINFO_CONNECT_TIME_T`.
    public var connect: Int64 = 0
    /// `CURLINFO_APPCONNECT_TIME_T` (TLS handshake done; 0 without TLS).
    public var appConnect: Int64 = 0
    /// `CURLINFO_PRETRANSFER_TIME_T`.
    public var preTransfer: Int64 = 0
    /// `CURLINFO_STARTTRANSFER_TIME_T` (first response byte).
    public var startTransfer: Int64 = 0
    /// `CURLINFO_TOTAL_TIME_T`.
    public var total: Int64 = 0
    /// `CURLINFO_REDIRECT_TIME_T`.
    public var redirect: Int64 = 0
    /// `CURLINFO_NUM_CONNECTS`: new connections made; 0 means a reused connection.
    public var newConnections: Int = 0
    /// HTTP status, or 0 when no response arrived.
    public var status: Int = 0
    /// `CURLINFO_HTTP_VERSION` as text (`1.0`, `1.1`, `2`, `3`), nil when unknown.
    public var httpVersion: String?
    /// `CURLINFO_PRIMARY_IP`, nil when empty.
    public var remoteIP: String?
    /// `CURLINFO_PRIMARY_PORT`, nil when 0.
    public var remotePort: Int?
    /// `CURLINFO_LOCAL_IP`, nil when empty.
    public var localIP: String?
    /// `CURLINFO_LOCAL_PORT`, nil when 0.
    public var localPort: Int?
    /// Response body bytes received (counted, never stored).
    public var bodyBytes: Int64 = 0
    /// The first ``TransferOptions/keepBodyBytes`` bytes of the body.
    public var body: [UInt8] = []
    /// Values of the captured headers: (lower-case name, value), in arrival order.
    public var capturedHeaders: [(name: String, value: String)] = []
    /// Wall-clock start of the transfer, microseconds since the Unix epoch.
    public var startedAt: Int64 = 0

    /// Makes an empty report.
    public init() {}

    /// True when libcurl completed the transfer without error.
    public var succeeded: Bool { resultCode == 0 && !bodyLimitReached && !cancelled }
}
