import Foundation
import ProbeCore

/// NDJSON encoding speed: the hand-written ``SampleEncoder`` into a reused buffer against Foundation's
/// JSONEncoder over an equivalent Codable struct, on one core.
func runEncodeBenchmark(samples: Int) -> String {
    let base = Sample(
        timestamp: 1_795_000_000_123_456, agent: "branch-office-01", site: "Amsterdam HQ", region: "westeurope",
        batch: "branch-office-01-20261128T050000Z-1", seq: 1, round: 1, n: 0, target: "entra-id",
        url: "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration", method: .get,
        path: PathTags(name: "isp-a", type: .peeringService, isp: "ISP A", asn: 64_500, prefix: "203.0.113.0/24",
                       egressIP: "203.0.113.10"),
        localIP: "192.0.2.10", localPort: 51_234, remoteIP: "20.190.160.1", remotePort: 443, ipVersion: 4,
        httpVersion: "2", status: 200, ok: true, error: nil,
        phases: Phases(dns: 1_204, connect: 4_810, tls: 9_977, request: 61, wait: 21_330, transfer: 412,
                       ttfb: 37_382, total: 37_794, redirect: nil),
        bytes: 1_753, pop: "AMS", edgeServer: "AMSEDGE1018", edgeRef: "Ref A: 0123456789ABCDEF Ref B: AMSEDGE1018")
    let encoder = SampleEncoder()
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1_000 * 1_200)
    var sample = base
    var written = 0
    let start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<samples {
        sample.seq = Int64(index + 1)
        sample.timestamp = base.timestamp + Int64(index) * 1_000
        sample.phases.total = 37_794 + Int64(index & 1_023)
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
    var codable = CodableSample(base)
    var foundationBytes = 0
    let foundationStart = DispatchTime.now().uptimeNanoseconds
    for index in 0..<foundationCount {
        codable.seq = Int64(index + 1)
        foundationBytes &+= (try? jsonEncoder.encode(codable).count) ?? 0
    }
    let foundation = Double(foundationCount) / (Double(DispatchTime.now().uptimeNanoseconds - foundationStart) / 1e9)
    return """
        encode_samples=\(samples) bytes_per_sample=\(written / max(1, samples))
        encode_samples_per_second=\(Int(handWritten))
        jsonencoder_samples=\(foundationCount) jsonencoder_samples_per_second=\(Int(foundation)) \
        (\(foundationBytes / max(1, foundationCount)) bytes each)
        encode_speedup=\(String(format: "%.1f", handWritten / foundation))x
        """
}

/// The same fields as a Codable struct, for the JSONEncoder comparison.
private struct CodableSample: Codable {
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
    var dnsMs: Double?
    var connectMs: Double?
    var tlsMs: Double?
    var requestMs: Double?
    var waitMs: Double?
    var transferMs: Double?
    var ttfbMs: Double?
    var totalMs: Double?
    var bytes: Int64
    var pop: String?
    var edgeServer: String?
    var edgeRef: String?

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
        func ms(_ value: Int64?) -> Double? { value.map { Double($0) / 1_000 } }
        dnsMs = ms(sample.phases.dns)
        connectMs = ms(sample.phases.connect)
        tlsMs = ms(sample.phases.tls)
        requestMs = ms(sample.phases.request)
        waitMs = ms(sample.phases.wait)
        transferMs = ms(sample.phases.transfer)
        ttfbMs = ms(sample.phases.ttfb)
        totalMs = ms(sample.phases.total)
        bytes = sample.bytes
        pop = sample.pop
        edgeServer = sample.edgeServer
        edgeRef = sample.edgeRef
    }
}
