import Foundation
import ProbeCore

/// NDJSON encoding speed: the hand-written ``SampleEncoder`` into a reused buffer against Foundation's
/// JSONEncoder over an equivalent Codable struct, on one core.
func runEncodeBenchmark(samples: Int) -> String {
    let sampleTemplate = Sample(
        timestamp: 1_795_000_000_123_456, agent: "branch-office-01", site: "Amsterdam HQ", region: "westeurope",
        batch: "branch-office-01-20261128T050000Z-1", seq: 1, round: 1, n: 0, target: "entra-id",
        url: "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration", method: .get,
        path: PathTags(
            name: "isp-a", type: .peeringService, isp: "ISP A", asn: 64_500, prefix: "203.0.113.0/24",
            egressIP: "203.0.113.10"),
        localIP: "192.0.2.10", localPort: 51_234, remoteIP: "20.190.160.1", remotePort: 443, ipVersion: 4,
        httpVersion: "2", status: 200, ok: true, error: nil,
        phases: Phases(
            dns: 1_204, connect: 4_810, tls: 9_977, request: 61, wait: 21_330, transfer: 412,
            ttfb: 37_382, total: 37_794, redirect: nil),
        bytes: 1_753, pop: "AMS", edgeServer: "AMSEDGE1018", edgeRef: "Ref A: 0123456789ABCDEF Ref B: AMSEDGE1018")
    let encoder = SampleEncoder()
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1_000 * 1_200)
    var sample = sampleTemplate
    var written = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<samples {
        vary(&sample, index)
        encoder.encode(sample, into: &buffer)
        if index % 1_000 == 999 {
            written &+= buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
    }
    written &+= buffer.count
    let handWritten = Double(samples) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)

    let foundationCount = min(samples, 200_000)
    let jsonEncoder = JSONEncoder()
    var foundationBytes = 0
    let foundationStart = DispatchTime.now().uptimeNanoseconds
    for index in 0..<foundationCount {
        vary(&sample, index)
        foundationBytes &+= ((try? jsonEncoder.encode(CodableSample(sample)).count) ?? 0) + 1
    }
    let foundation = Double(foundationCount) / (Double(DispatchTime.now().uptimeNanoseconds - foundationStart) / 1e9)
    return """
        encode_samples=\(samples) encode_bytes_per_sample=\(written / max(1, samples))
        encode_samples_per_second=\(Int(handWritten))
        jsonencoder_samples=\(foundationCount) jsonencoder_bytes_per_sample=\(foundationBytes / max(1, foundationCount))
        jsonencoder_samples_per_second=\(Int(foundation))
        encode_speedup=\(String(format: "%.1f", handWritten / foundation))x
        """
}

/// Gives sample `index` its own seq, start time and phases (the phases still add up to the total).
@inline(__always)
private func vary(_ sample: inout Sample, _ index: Int) {
    let dns = 1_204 + Int64(index & 63)
    let wait = 21_330 + Int64(index & 1_023)
    sample.seq = Int64(index + 1)
    sample.timestamp = 1_795_000_000_123_456 + Int64(index) * 1_037
    sample.phases.dns = dns
    sample.phases.wait = wait
    sample.phases.ttfb = dns + 4_810 + 9_977 + 61 + wait
    sample.phases.total = dns + 4_810 + 9_977 + 61 + wait + 412
}

/// The same fields as an Encodable struct with the schema's key names, key order and explicit nulls, for the
/// JSONEncoder comparison (the timestamp is formatted per sample, as any Codable writer would have to).
private struct CodableSample: Encodable {
    struct ErrorRecord: Encodable {
        var kind: String
        var code: Int?
        var message: String

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(code, forKey: .code)
            try container.encode(message, forKey: .message)
        }

        enum CodingKeys: String, CodingKey { case kind, code, message }
    }

    var schema = 1
    var ts: String
    var agent: String
    var site: String?
    var region: String?
    var batch: String
    var seq: Int64
    var round: Int64
    var n: Int
    var target: String
    var url: String
    var method: String
    var path: String
    var pathType: String
    var isp: String?
    var asn: Int64?
    var prefix: String?
    var egressIP: String?
    var localIP: String?
    var localPort: Int?
    var remoteIP: String?
    var remotePort: Int?
    var ipVersion: Int?
    var httpVersion: String?
    var status: Int?
    var ok: Bool
    var error: ErrorRecord?
    var dnsMs: Double?
    var connectMs: Double?
    var tlsMs: Double?
    var requestMs: Double?
    var waitMs: Double?
    var transferMs: Double?
    var ttfbMs: Double?
    var totalMs: Double?
    var redirectMs: Double?
    var bytes: Int64
    var pop: String?
    var edgeServer: String?
    var edgeRef: String?

    enum CodingKeys: String, CodingKey {
        case schema, ts, agent, site, region, batch, seq, round, n, target, url, method, path
        case pathType = "path_type"
        case isp, asn, prefix
        case egressIP = "egress_ip"
        case localIP = "local_ip"
        case localPort = "local_port"
        case remoteIP = "remote_ip"
        case remotePort = "remote_port"
        case ipVersion = "ip_version"
        case httpVersion = "http_version"
        case status, ok, error
        case dnsMs = "dns_ms"
        case connectMs = "connect_ms"
        case tlsMs = "tls_ms"
        case requestMs = "request_ms"
        case waitMs = "wait_ms"
        case transferMs = "transfer_ms"
        case ttfbMs = "ttfb_ms"
        case totalMs = "total_ms"
        case redirectMs = "redirect_ms"
        case bytes, pop
        case edgeServer = "edge_server"
        case edgeRef = "edge_ref"
    }

    init(_ sample: Sample) {
        ts = Timestamp.rfc3339(microseconds: sample.timestamp)
        agent = sample.agent
        site = sample.site
        region = sample.region
        batch = sample.batch
        seq = sample.seq
        round = sample.round
        n = sample.n
        target = sample.target
        url = sample.url
        method = sample.method.rawValue
        path = sample.path.name
        pathType = sample.path.type.rawValue
        isp = sample.path.isp
        asn = sample.path.asn
        prefix = sample.path.prefix
        egressIP = sample.path.egressIP
        localIP = sample.localIP
        localPort = sample.localPort
        remoteIP = sample.remoteIP
        remotePort = sample.remotePort
        ipVersion = sample.ipVersion
        httpVersion = sample.httpVersion
        status = sample.status
        ok = sample.ok
        error = sample.error.map { ErrorRecord(kind: $0.kind.rawValue, code: $0.code, message: $0.message) }
        func ms(_ value: Int64?) -> Double? { value.map { Double($0) / 1_000 } }
        dnsMs = ms(sample.phases.dns)
        connectMs = ms(sample.phases.connect)
        tlsMs = ms(sample.phases.tls)
        requestMs = ms(sample.phases.request)
        waitMs = ms(sample.phases.wait)
        transferMs = ms(sample.phases.transfer)
        ttfbMs = ms(sample.phases.ttfb)
        totalMs = ms(sample.phases.total)
        redirectMs = ms(sample.phases.redirect)
        bytes = sample.bytes
        pop = sample.pop
        edgeServer = sample.edgeServer
        edgeRef = sample.edgeRef
    }

    /// Every key in schema order, nulls written (the synthesized conformance would omit them).
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(ts, forKey: .ts)
        try container.encode(agent, forKey: .agent)
        try container.encode(site, forKey: .site)
        try container.encode(region, forKey: .region)
        try container.encode(batch, forKey: .batch)
        try container.encode(seq, forKey: .seq)
        try container.encode(round, forKey: .round)
        try container.encode(n, forKey: .n)
        try container.encode(target, forKey: .target)
        try container.encode(url, forKey: .url)
        try container.encode(method, forKey: .method)
        try container.encode(path, forKey: .path)
        try container.encode(pathType, forKey: .pathType)
        try container.encode(isp, forKey: .isp)
        try container.encode(asn, forKey: .asn)
        try container.encode(prefix, forKey: .prefix)
        try container.encode(egressIP, forKey: .egressIP)
        try container.encode(localIP, forKey: .localIP)
        try container.encode(localPort, forKey: .localPort)
        try container.encode(remoteIP, forKey: .remoteIP)
        try container.encode(remotePort, forKey: .remotePort)
        try container.encode(ipVersion, forKey: .ipVersion)
        try container.encode(httpVersion, forKey: .httpVersion)
        try container.encode(status, forKey: .status)
        try container.encode(ok, forKey: .ok)
        try container.encode(error, forKey: .error)
        try container.encode(dnsMs, forKey: .dnsMs)
        try container.encode(connectMs, forKey: .connectMs)
        try container.encode(tlsMs, forKey: .tlsMs)
        try container.encode(requestMs, forKey: .requestMs)
        try container.encode(waitMs, forKey: .waitMs)
        try container.encode(transferMs, forKey: .transferMs)
        try container.encode(ttfbMs, forKey: .ttfbMs)
        try container.encode(totalMs, forKey: .totalMs)
        try container.encode(redirectMs, forKey: .redirectMs)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(pop, forKey: .pop)
        try container.encode(edgeServer, forKey: .edgeServer)
        try container.encode(edgeRef, forKey: .edgeRef)
    }
}
