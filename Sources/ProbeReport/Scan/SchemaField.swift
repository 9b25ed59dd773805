/// The fields of sample schema v1 in the order the encoder writes them, with the JSON type each must have.
///
/// The scanner checks every one is present with its type, as ``ProbeCore/SampleDecoder`` does, so a line it
/// accepts is a line the strict decoder accepts (up to the UTF-8 validity of strings the report does not use).
package enum SchemaField: Int, CaseIterable, Sendable {
    case schema, ts, agent, site, region, batch, seq, round, n, target, url, method, path, pathType, isp, asn
    case prefix, egressIP, localIP, localPort, remoteIP, remotePort, ipVersion, httpVersion, status, ok, error
    case dnsMs, connectMs, tlsMs, requestMs, waitMs, transferMs, ttfbMs, totalMs, redirectMs, bytes, pop
    case edgeServer, edgeRef

    /// The JSON type a field must have.
    package enum Kind: Sendable {
        case integer, optionalInteger, string, optionalString, bool, optionalObject, optionalMilliseconds
    }

    /// The key as written in NDJSON.
    package var name: String {
        switch self {
        case .pathType: "path_type"
        case .egressIP: "egress_ip"
        case .localIP: "local_ip"
        case .localPort: "local_port"
        case .remoteIP: "remote_ip"
        case .remotePort: "remote_port"
        case .ipVersion: "ip_version"
        case .httpVersion: "http_version"
        case .dnsMs: "dns_ms"
        case .connectMs: "connect_ms"
        case .tlsMs: "tls_ms"
        case .requestMs: "request_ms"
        case .waitMs: "wait_ms"
        case .transferMs: "transfer_ms"
        case .ttfbMs: "ttfb_ms"
        case .totalMs: "total_ms"
        case .redirectMs: "redirect_ms"
        case .edgeServer: "edge_server"
        case .edgeRef: "edge_ref"
        default: String(describing: self)
        }
    }

    /// The JSON type the schema gives the field.
    package var kind: Kind {
        switch self {
        case .schema, .seq, .round, .n, .bytes: .integer
        case .asn, .localPort, .remotePort, .ipVersion, .status: .optionalInteger
        case .ts, .agent, .batch, .target, .url, .method, .path, .pathType: .string
        case .site, .region, .isp, .prefix, .egressIP, .localIP, .remoteIP, .httpVersion, .pop, .edgeServer, .edgeRef:
            .optionalString
        case .ok: .bool
        case .error: .optionalObject
        case .dnsMs, .connectMs, .tlsMs, .requestMs, .waitMs, .transferMs, .ttfbMs, .totalMs, .redirectMs:
            .optionalMilliseconds
        }
    }

    /// The metric stored for a duration field (`redirect_ms` is checked but not summarised).
    package var metric: Metric? {
        switch self {
        case .totalMs: .total
        case .ttfbMs: .ttfb
        case .dnsMs: .dns
        case .connectMs: .connect
        case .tlsMs: .tls
        case .requestMs: .request
        case .waitMs: .wait
        case .transferMs: .transfer
        default: nil
        }
    }

    /// Bit set with every field, for the "all present" check.
    package static let allMask: UInt64 = (1 << UInt64(allCases.count)) - 1

    /// Key bytes per field, indexed by raw value.
    package static let keyBytes: [[UInt8]] = allCases.map { Array($0.name.utf8) }
}
