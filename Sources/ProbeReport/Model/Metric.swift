/// A latency measure a report summarises: the cumulative times and every phase of sample schema v1.
public enum Metric: String, Sendable, Hashable, CaseIterable {
    /// `total_ms`: the whole transfer.
    case total
    /// `ttfb_ms`: time to first byte.
    case ttfb
    /// `dns_ms`: name lookup.
    case dns
    /// `connect_ms`: TCP connect.
    case connect
    /// `tls_ms`: TLS handshake.
    case tls
    /// `request_ms`: protocol setup before the request goes out.
    case request
    /// `wait_ms`: server wait.
    case wait
    /// `transfer_ms`: body download.
    case transfer

    /// The metric called `name`, or read from the field `name` (`total` or `total_ms`); nil for anything else.
    public init?(name: String) {
        self.init(rawValue: name.hasSuffix("_ms") ? String(name.dropLast(3)) : name)
    }

    /// The NDJSON field the metric is read from.
    public var field: String { rawValue + "_ms" }

    /// Position of the metric in fixed-size per-sample storage.
    package var index: Int {
        switch self {
        case .total: 0
        case .ttfb: 1
        case .dns: 2
        case .connect: 3
        case .tls: 4
        case .request: 5
        case .wait: 6
        case .transfer: 7
        }
    }
}
