/// Everything one HTTP(S) transfer needs, already resolved from config and flags.
///
/// The measurement rules (ProbeCore's MeasuringLatency article) are not options: every transfer uses a
/// fresh connection, no TLS session resumption, a DNS lookup of its own, and the shared CA cache.
public struct TransferOptions: Sendable, Hashable {
    /// Which address family to use.
    public enum IPVersion: String, Sendable, Hashable {
        /// Whatever the resolver and happy eyeballs pick.
        case any
        /// IPv4 only (`CURL_IPRESOLVE_V4`).
        case v4
        /// IPv6 only (`CURL_IPRESOLVE_V6`).
        case v6
    }

    /// The URL to fetch (user info, query and fragment are sent; they are only redacted in output).
    public var url: String
    /// `HEAD` sends no body back; otherwise `GET`.
    public var head: Bool = false
    /// Limit for name lookup plus TCP connect plus TLS handshake, in milliseconds.
    public var connectTimeoutMilliseconds: Int = 5_000
    /// Limit for the whole transfer, in milliseconds.
    public var timeoutMilliseconds: Int = 10_000
    /// Address family.
    public var ipVersion: IPVersion = .any
    /// Source binding for `CURLOPT_INTERFACE`: an interface name or a local address (`if!NAME` and
    /// `host!ADDR` force the one reading).
    public var interface: String?
    /// `HOST:PORT:ADDR` entries for `CURLOPT_RESOLVE`: pins a name to an address.
    public var resolve: [String] = []
    /// `HOST:PORT:CONNECT-HOST:CONNECT-PORT` entries for `CURLOPT_CONNECT_TO`.
    public var connectTo: [String] = []
    /// Extra request headers, `Name: value`.
    public var headers: [String] = []
    /// CA bundle file; nil means libcurl's built-in bundle path.
    public var caFile: String?
    /// Skip certificate verification (`curl -k`).
    public var insecure: Bool = false
    /// Follow redirects (off by default so that phases add up).
    public var followRedirects: Bool = false
    /// Response body bytes to read at most; the transfer stops with ``TransferReport/bodyLimitReached``.
    public var maxBodyBytes: Int64 = 1 << 20
    /// Response body bytes to keep in the report (for egress discovery); 0 keeps none. Bytes past this are
    /// still counted.
    public var keepBodyBytes: Int = 0
    /// Response header names (lower case) whose values the report should keep.
    public var captureHeaders: [String] = []
    /// User-Agent header value.
    public var userAgent: String = "peering-probe"

    /// Makes options for `url` with defaults for everything else.
    public init(url: String) {
        self.url = url
    }
}
