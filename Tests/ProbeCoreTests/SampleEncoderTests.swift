import Foundation
import ProbeCore
import Testing

/// The NDJSON encoder writes schema v1 exactly: key order, null handling, escaping, millisecond formatting.
@Suite("Sample encoder")
struct SampleEncoderTests {
    static func sample(error: SampleError? = nil, phases: Phases? = nil) -> Sample {
        Sample(
            timestamp: 1_795_842_577_123_456, agent: "agent-1", site: "Amsterdam", region: "westeurope",
            batch: "agent-1-20261128T044937Z-41", seq: 41, round: 7, n: 2, target: "entra-id",
            url: "https://login.microsoftonline.com/x", method: .get,
            path: PathTags(name: "isp-a", type: .peeringService, isp: "ISP A", asn: 64_500, prefix: "203.0.113.0/24",
                           egressIP: "203.0.113.10"),
            localIP: "192.0.2.10", localPort: 50_000, remoteIP: "20.190.160.1", remotePort: 443, ipVersion: 4,
            httpVersion: "2", status: 200, ok: error == nil, error: error,
            phases: phases ?? Phases(dns: 1_204, connect: 4_810, tls: 9_977, request: 61, wait: 21_330,
                                     transfer: 412, ttfb: 37_382, total: 37_794),
            bytes: 1_753, pop: "AMS", edgeServer: "AMSEDGE1018", edgeRef: "Ref B: AMSEDGE1018")
    }

    @Test("A full sample, byte for byte, keys in schema order")
    func fullSample() {
        let line = String(decoding: SampleEncoder().encode([Self.sample()]), as: UTF8.self)
        #expect(line == """
            {"schema":1,"ts":"2026-11-28T05:09:37.123456Z","agent":"agent-1","site":"Amsterdam",\
            "region":"westeurope","batch":"agent-1-20261128T044937Z-41","seq":41,"round":7,"n":2,\
            "target":"entra-id","url":"https://login.microsoftonline.com/x","method":"GET","path":"isp-a",\
            "path_type":"peering-service","isp":"ISP A","asn":64500,"prefix":"203.0.113.0/24",\
            "egress_ip":"203.0.113.10","local_ip":"192.0.2.10","local_port":50000,"remote_ip":"20.190.160.1",\
            "remote_port":443,"ip_version":4,"http_version":"2","status":200,"ok":true,"error":null,\
            "dns_ms":1.204,"connect_ms":4.810,"tls_ms":9.977,"request_ms":0.061,"wait_ms":21.330,\
            "transfer_ms":0.412,"ttfb_ms":37.382,"total_ms":37.794,"redirect_ms":null,"bytes":1753,"pop":"AMS",\
            "edge_server":"AMSEDGE1018","edge_ref":"Ref B: AMSEDGE1018"}

            """)
    }

    @Test("A failed sample: error object, null phases")
    func failedSample() throws {
        let error = SampleError(kind: .connect, code: 7, message: "Failed to connect")
        let bytes = SampleEncoder().encode([Self.sample(error: error, phases: Phases(dns: 30, total: 250))])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["ok"] as? Bool == false)
        let errorObject = try #require(object["error"] as? [String: Any])
        #expect(errorObject["kind"] as? String == "connect")
        #expect(errorObject["code"] as? Int == 7)
        #expect(object["connect_ms"] is NSNull)
        #expect(object["dns_ms"] as? Double == 0.03)
        #expect(object["total_ms"] as? Double == 0.25)
    }

    @Test("Milliseconds keep exactly three decimals", arguments: [
        (Int64(12_345), "12.345"), (5, "0.005"), (0, "0.000"), (-1_500, "-1.500"), (1_000_000, "1000.000"),
    ])
    func milliseconds(micros: Int64, text: String) {
        let line = String(decoding: SampleEncoder().encode([Self.sample(phases: Phases(total: micros))]), as: UTF8.self)
        #expect(line.contains("\"total_ms\":\(text),"))
    }

    @Test("Strings are escaped as RFC 8259 says; non-ASCII passes through")
    func escaping() throws {
        var sample = Self.sample()
        let nasty = "quote\" backslash\\ newline\n tab\t cr\r bell\u{07} nul\u{0} ümlaut ✓"
        sample.agent = nasty
        let bytes = SampleEncoder().encode([sample])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#""agent":"quote\" backslash\\ newline\n tab\t cr\r bell\u0007 nul\u0000 ümlaut ✓""#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["agent"] as? String == nasty)
    }

    @Test("Every control character round-trips through a JSON parser")
    func controlCharacters() throws {
        var sample = Self.sample()
        sample.target = String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) })
        let bytes = SampleEncoder().encode([sample])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["target"] as? String == sample.target)
    }

    @Test("RFC 3339 timestamps", arguments: [
        (Int64(0), "1970-01-01T00:00:00.000000Z"),
        (1_709_164_800_000_001, "2024-02-29T00:00:00.000001Z"),
        (4_107_542_400_999_999, "2100-03-01T00:00:00.999999Z"),
        (951_782_400_500_000, "2000-02-29T00:00:00.500000Z"),
        (-1, "1969-12-31T23:59:59.999999Z"),
    ])
    func timestamps(micros: Int64, text: String) {
        #expect(Timestamp.rfc3339(microseconds: micros) == text)
        #expect(Timestamp.parseRFC3339(text) == micros)
    }

    @Test("Timestamps parse offsets and fractions of any length")
    func parsing() {
        #expect(Timestamp.parseRFC3339("2026-11-28T05:00:00+01:00") == Timestamp.parseRFC3339("2026-11-28T04:00:00Z"))
        #expect(Timestamp.parseRFC3339("2026-11-28T04:00:00.5Z") == 1_795_838_400_500_000)
        #expect(Timestamp.parseRFC3339("2026-11-28T04:00:00.123456789Z") == 1_795_838_400_123_456)
        #expect(Timestamp.parseRFC3339("2026-13-28T04:00:00Z") == nil)
        #expect(Timestamp.parseRFC3339("2026-11-28") == nil)
    }

    @Test("Random samples encode to valid JSON with the same values (seeded)")
    func randomRoundTrip() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<1_000 {
            var sample = Self.sample()
            sample.seq = Int64.random(in: 1...Int64.max / 2, using: &generator)
            sample.timestamp = Int64.random(in: 0...4_000_000_000_000_000, using: &generator)
            sample.phases.wait = Bool.random(using: &generator) ? nil : Int64.random(in: -5_000...9_999_999,
                                                                                     using: &generator)
            sample.agent = String((0..<Int.random(in: 0...12, using: &generator)).map { _ in
                Character(Unicode.Scalar(UInt8.random(in: 0...126, using: &generator)))
            })
            let bytes = SampleEncoder().encode([sample])
            #expect(bytes.last == 0x0A)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
            #expect(object["seq"] as? Int64 == sample.seq)
            #expect(object["agent"] as? String == sample.agent)
            #expect(Timestamp.parseRFC3339(object["ts"] as? String ?? "") == sample.timestamp)
            if let wait = sample.phases.wait {
                #expect(((object["wait_ms"] as? Double ?? .nan) * 1_000).rounded() == Double(wait))
            } else {
                #expect(object["wait_ms"] is NSNull)
            }
        }
    }
}

/// A small deterministic generator (SplitMix64) so random tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
