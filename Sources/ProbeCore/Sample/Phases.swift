/// Phase durations of one transfer, in integer microseconds; nil when the phase did not happen or is
/// not known (never a false zero).
///
/// With redirects off, `dns + connect + tls + request + wait + transfer == total` (nils as 0) for
/// every completed transfer.
public struct Phases: Sendable, Hashable {
    /// Name lookup.
    public var dns: Int64?
    /// TCP connect.
    public var connect: Int64?
    /// TLS handshake.
    public var tls: Int64?
    /// Protocol setup before the request goes out.
    public var request: Int64?
    /// Server wait: request sent until first response byte.
    public var wait: Int64?
    /// Body download.
    public var transfer: Int64?
    /// Cumulative time to first byte.
    public var ttfb: Int64?
    /// Whole transfer, or time until it failed.
    public var total: Int64?
    /// Time spent in redirects, only when redirects are followed.
    public var redirect: Int64?

    /// Makes phases; all unknown by default.
    public init(
        dns: Int64? = nil, connect: Int64? = nil, tls: Int64? = nil, request: Int64? = nil, wait: Int64? = nil,
        transfer: Int64? = nil, ttfb: Int64? = nil, total: Int64? = nil, redirect: Int64? = nil
    ) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.request = request
        self.wait = wait
        self.transfer = transfer
        self.ttfb = ttfb
        self.total = total
        self.redirect = redirect
    }
}
