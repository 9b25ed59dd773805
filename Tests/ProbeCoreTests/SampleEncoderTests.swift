import Foundation
import ProbeCore
import TestSupport
import Testing

/// The NDJSON encoder writes schema v1 exactly (key order, nulls, escaping, millisecond and timestamp formats),
/// the decoder reads it back, and Foundation's JSON parser agrees with both.
@Suite("Sample encoder")
struct SampleEncoderTests {
    /// The schema's keys, in the order the encoder must write them (ProbeCore's <doc:SampleSchema> article).
    static let schemaKeys = [
        "schema", "ts", "agent", "site", "region", "batch", "seq", "round", "n", "target", "url", "method", "path",
        "path_type", "isp", "asn", "prefix", "egress_ip", "local_ip", "local_port", "remote_ip", "remote_port",
        "ip_version", "http_version", "status", "ok", "error", "dns_ms", "connect_ms", "tls_ms", "request_ms",
        "wait_ms", "transfer_ms", "ttfb_ms", "total_ms", "redirect_ms", "bytes", "pop", "edge_server", "edge_ref",
    ]

    static func sample(error: SampleError? = nil, phases: Phases? = nil) -> Sample {
        Sample(
            timestamp: 1_795_842_577_123_456, agent: "agent-1", site: "Amsterdam", region: "westeurope",
            batch: "agent-1-20261128T044937Z-41", seq: 41, round: 7, n: 2, target: "entra-id",
            url: "https://login.microsoftonline.com/x", method: .get,
            path: PathTags(
                name: "isp-a", type: .peeringService, isp: "ISP A", asn: 64_500, prefix: "203.0.113.0/24",
                egressIP: "203.0.113.10"),
            localIP: "192.0.2.10", localPort: 50_000, remoteIP: "20.190.160.1", remotePort: 443, ipVersion: 4,
            httpVersion: "2", status: 200, ok: error == nil, error: error,
            phases: phases
                ?? Phases(
                    dns: 1_204, connect: 4_810, tls: 9_977, request: 61, wait: 21_330,
                    transfer: 412, ttfb: 37_382, total: 37_794),
            bytes: 1_753, pop: "AMS", edgeServer: "AMSEDGE1018", edgeRef: "Ref B: AMSEDGE1018")
    }

    /// A DNS failure on an untagged path: every optional field null.
    static func failedSample() -> Sample {
        Sample(
            timestamp: 0, agent: "agent-1", site: nil, region: nil, batch: "agent-1-19700101T000000Z-1", seq: 1,
            round: 0, n: 0, target: "entra-id", url: "https://login.microsoftonline.com/x", method: .head,
            path: .default, localIP: nil, localPort: nil, remoteIP: nil, remotePort: nil, ipVersion: nil,
            httpVersion: nil, status: nil, ok: false,
            error: SampleError(kind: .dns, code: 6, message: "Could not resolve host: login.microsoftonline.com"),
            phases: Phases(total: 250), bytes: 0, pop: nil, edgeServer: nil, edgeRef: nil)
    }

    static func line(_ sample: Sample) -> String {
        String(decoding: SampleEncoder().encode([sample]), as: UTF8.self)
    }

    // MARK: Exact output

    @Test("A full sample, byte for byte, keys in schema order")
    func fullSample() throws {
        let line = Self.line(Self.sample())
        #expect(
            line == """
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
        #expect(Self.topLevelKeys(Array(line.utf8)) == Self.schemaKeys)
        try Self.expectFoundationAgrees(Array(line.utf8), Self.sample())
    }

    @Test("A failed sample, byte for byte: error object, nulls")
    func failedSampleLine() throws {
        let line = Self.line(Self.failedSample())
        #expect(
            line == """
                {"schema":1,"ts":"1970-01-01T00:00:00.000000Z","agent":"agent-1","site":null,"region":null,\
                "batch":"agent-1-19700101T000000Z-1","seq":1,"round":0,"n":0,"target":"entra-id",\
                "url":"https://login.microsoftonline.com/x","method":"HEAD","path":"default","path_type":"unknown",\
                "isp":null,"asn":null,"prefix":null,"egress_ip":null,"local_ip":null,"local_port":null,\
                "remote_ip":null,"remote_port":null,"ip_version":null,"http_version":null,"status":null,"ok":false,\
                "error":{"kind":"dns","code":6,"message":"Could not resolve host: login.microsoftonline.com"},\
                "dns_ms":null,"connect_ms":null,"tls_ms":null,"request_ms":null,"wait_ms":null,"transfer_ms":null,\
                "ttfb_ms":null,"total_ms":0.250,"redirect_ms":null,"bytes":0,"pop":null,"edge_server":null,\
                "edge_ref":null}

                """)
        try Self.expectFoundationAgrees(Array(line.utf8), Self.failedSample())
    }

    @Test("An error without a libcurl code writes \"code\":null")
    func errorWithoutCode() {
        let error = SampleError(kind: .http, code: nil, message: "unexpected HTTP status 503 (expected 200)")
        #expect(
            Self.line(Self.sample(error: error)).contains(
                #","ok":false,"error":{"kind":"http","code":null,"message":"unexpected HTTP status 503 (expected 200)"},"#
            ))
    }

    @Test("Lines are appended to the caller's buffer, one per sample, each ending in a newline")
    func appendsToBuffer() throws {
        let encoder = SampleEncoder()
        var buffer = Array("prefix\n".utf8)
        encoder.encode(Self.sample(), into: &buffer)
        encoder.encode(Self.failedSample(), into: &buffer)
        let lines = buffer.split(separator: 0x0A, omittingEmptySubsequences: false)
        #expect(lines.count == 4)
        #expect(String(decoding: lines[0], as: UTF8.self) == "prefix")
        #expect(Array(lines[1]) + [0x0A] == encoder.encode([Self.sample()]))
        #expect(lines[3].isEmpty)
        #expect(try SampleDecoder().decodeLines(buffer.dropFirst(7)) == [Self.sample(), Self.failedSample()])
    }

    // MARK: Milliseconds

    @Test(
        "Milliseconds keep exactly three decimals",
        arguments: [
            (Int64(12_345), "12.345"), (5, "0.005"), (0, "0.000"), (-1_500, "-1.500"), (1_000_000, "1000.000"),
            (1, "0.001"), (999, "0.999"), (1_000, "1.000"), (-5, "-0.005"), (100_010, "100.010"),
            (Int64.max, "9223372036854775.807"), (Int64.min, "-9223372036854775.808"),
        ])
    func milliseconds(micros: Int64, text: String) throws {
        let line = Self.line(Self.sample(phases: Phases(total: micros)))
        #expect(line.contains("\"total_ms\":\(text),"))
        #expect(try SampleDecoder().decode(line: line).phases.total == micros)
    }

    @Test("A phase that did not happen is null")
    func nullPhase() {
        let line = Self.line(Self.sample(phases: Phases(dns: 7, total: 9)))
        #expect(line.contains(#""dns_ms":0.007,"connect_ms":null,"tls_ms":null,"request_ms":null,"wait_ms":null,"#))
        #expect(line.contains(#""transfer_ms":null,"ttfb_ms":null,"total_ms":0.009,"redirect_ms":null,"#))
    }

    // MARK: Escaping

    @Test("Every control character is escaped, \\b \\t \\n \\f \\r by name, the rest as \\u00XX")
    func controlCharacters() throws {
        var sample = Self.sample()
        sample.target = String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) })
        let line = Self.line(sample)
        let escaped =
            #"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
        #expect(line.contains(#","target":""# + escaped + #"","#))
        #expect(line.utf8.filter { $0 < 0x20 } == [0x0A])  // only the line end
        try Self.expectFoundationAgrees(Array(line.utf8), sample)
        #expect(try SampleDecoder().decode(line: line) == sample)
    }

    @Test("Quotes and backslashes are escaped; slash, DEL and non-ASCII UTF-8 pass through as they are")
    func escaping() throws {
        var sample = Self.sample()
        let nasty = "quote\" backslash\\ slash/ del\u{7F} ümlaut ✓ 😀 line\u{2028}sep bom\u{FEFF}"
        sample.agent = nasty
        sample.error = SampleError(kind: .other, code: nil, message: "say \"hi\"\r\n\\o/")
        sample.ok = false
        let bytes = SampleEncoder().encode([sample])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text.contains(
                "\"agent\":\"quote\\\" backslash\\\\ slash/ del\u{7F} ümlaut ✓ 😀 line\u{2028}sep bom\u{FEFF}\","))
        #expect(text.contains(#""message":"say \"hi\"\r\n\\o/"}"#))
        try Self.expectFoundationAgrees(bytes, sample)
        #expect(try SampleDecoder().decode(line: bytes) == sample)
    }

    @Test("A line longer than the encoder's stack scratch space is written whole")
    func longStrings() throws {
        var sample = Self.sample()
        sample.edgeRef = String(repeating: "\u{1}\"é", count: 5_000)
        sample.url = "https://example.com/" + String(repeating: "a", count: 20_000)
        let bytes = SampleEncoder().encode([sample])
        #expect(bytes.count > 50_000)
        try Self.expectFoundationAgrees(bytes, sample)
        #expect(try SampleDecoder().decode(line: bytes) == sample)
    }

    // MARK: Timestamps

    @Test(
        "RFC 3339 timestamps",
        arguments: [
            (Int64(0), "1970-01-01T00:00:00.000000Z"),
            (1, "1970-01-01T00:00:00.000001Z"),
            (86_399_999_999, "1970-01-01T23:59:59.999999Z"),
            (946_684_800_000_000, "2000-01-01T00:00:00.000000Z"),
            (951_782_400_500_000, "2000-02-29T00:00:00.500000Z"),
            (2_147_483_647_000_000, "2038-01-19T03:14:07.000000Z"),
            (1_709_164_800_000_001, "2024-02-29T00:00:00.000001Z"),
            (1_709_251_199_999_999, "2024-02-29T23:59:59.999999Z"),
            (1_709_251_200_000_000, "2024-03-01T00:00:00.000000Z"),
            (1_795_841_377_123_456, "2026-11-28T04:49:37.123456Z"),
            (4_107_542_399_999_999, "2100-02-28T23:59:59.999999Z"),
            (4_107_542_400_999_999, "2100-03-01T00:00:00.999999Z"),
            (13_574_563_200_012_345, "2400-02-29T00:00:00.012345Z"),
            (13_601_087_999_999_999, "2400-12-31T23:59:59.999999Z"),
            (-1, "1969-12-31T23:59:59.999999Z"),
        ])
    func timestamps(micros: Int64, text: String) {
        #expect(Timestamp.rfc3339(microseconds: micros) == text)
        #expect(Timestamp.parseRFC3339(text) == micros)
        var buffer = Array("ts=".utf8)
        Timestamp.append(microseconds: micros, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "ts=" + text)
    }

    @Test("Every day from 1970 to 2400 matches a day-by-day calendar walk")
    func everyDay() {
        var (year, month, day): (Int64, Int64, Int64) = (1970, 1, 1)
        let lengths: [Int64] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var days: Int64 = 0
        var mismatches = 0
        while year <= 2400 {
            let civil = Timestamp.civilDate(daysSinceEpoch: days)
            if civil != (year, month, day) || Timestamp.daysSinceEpoch(year: year, month: month, day: day) != days {
                mismatches += 1
            }
            if days % 7 == 0 {  // the formatter and parser too, at a varying time of day
                let micros = days * 86_400_000_000 + (days * 7_919_000_003) % 86_400_000_000
                let text = Timestamp.rfc3339(microseconds: micros)
                let date = "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)T"
                if !text.hasPrefix(date) || Timestamp.parseRFC3339(text) != micros { mismatches += 1 }
            }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let length = month == 2 && leap ? 29 : lengths[Int(month - 1)]
            days += 1
            day += 1
            if day > length {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
        #expect(mismatches == 0)
        #expect(days == Timestamp.daysSinceEpoch(year: 2401, month: 1, day: 1))
    }

    @Test("Random instants agree with Foundation's Gregorian calendar in UTC (seeded)")
    func agreesWithFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SeededGenerator(seed: 2_026)
        for _ in 0..<2_000 {
            let seconds = Int64.random(in: 0..<13_601_088_000, using: &generator)
            let micros = seconds * 1_000_000 + Int64.random(in: 0..<1_000_000, using: &generator)
            let parts = calendar.dateComponents(
                [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
            let expected = String(
                format: "%04ld-%02ld-%02ldT%02ld:%02ld:%02ld.%06ldZ", parts.year!, parts.month!, parts.day!,
                parts.hour!, parts.minute!, parts.second!, Int(micros % 1_000_000))
            #expect(Timestamp.rfc3339(microseconds: micros) == expected)
        }
    }

    @Test("The parser takes offsets, T/t/space, and 0 to 9 fractional digits")
    func parsing() {
        let base: Int64 = 1_795_838_400_000_000  // 2026-11-28T04:00:00Z
        #expect(Timestamp.parseRFC3339("2026-11-28T04:00:00Z") == base)
        #expect(Timestamp.parseRFC3339("2026-11-28T05:00:00+01:00") == base)
        #expect(Timestamp.parseRFC3339("2026-11-27T22:30:00-05:30") == base)
        #expect(Timestamp.parseRFC3339("2026-11-28T04:00:00+00:00") == base)
        #expect(Timestamp.parseRFC3339("2026-11-28t04:00:00z") == base)
        #expect(Timestamp.parseRFC3339("2026-11-28 04:00:00Z") == base)
        #expect(Timestamp.parseRFC3339("2026-11-28T04:00:00.5Z") == base + 500_000)
        #expect(Timestamp.parseRFC3339("2026-11-28T04:00:00.123Z") == base + 123_000)
        #expect(Timestamp.parseRFC3339("2026-11-28T04:00:00.123456Z") == base + 123_456)
        #expect(Timestamp.parseRFC3339("2026-11-28T04:00:00.123456789Z") == base + 123_456)
        #expect(Timestamp.parseRFC3339("2026-11-28T04:00:00.000001+01:00") == base - 3_600_000_000 + 1)
        #expect(Timestamp.parseRFC3339("2016-12-31T23:59:60Z") == Timestamp.parseRFC3339("2017-01-01T00:00:00Z"))
        #expect(Timestamp.parseRFC3339("2024-02-29T00:00:00Z") == 1_709_164_800_000_000)
        #expect(Timestamp.parseRFC3339("2400-02-29T00:00:00Z") == 13_574_563_200_000_000)
    }

    @Test(
        "The parser rejects malformed text and impossible dates",
        arguments: [
            "", "2026-11-28", "2026-11-28T04:00:00", "2026-13-28T04:00:00Z", "2026-00-28T04:00:00Z",
            "2026-11-00T04:00:00Z", "2026-11-31T04:00:00Z", "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
            "2026-11-28T24:00:00Z", "2026-11-28T04:60:00Z", "2026-11-28T04:00:61Z", "2026-11-28T04:00:00.Z",
            "2026-11-28T04:00:00.1234567890Z", "2026-11-28T04:00:00+0100", "2026-11-28T04:00:00+24:00",
            "2026-11-28T04:00:00+01:60", "2026-11-28T04:00:00Z ", "2026-11-28X04:00:00Z", "26-11-28T04:00:00Z",
            "2026-1a-28T04:00:00Z", "2026-11-28T04:00:00ZZ",
        ])
    func rejects(text: String) {
        #expect(Timestamp.parseRFC3339(text) == nil)
    }

    // MARK: Round trips

    @Test("Random samples: encode → decode gives the same sample; Foundation parses the same values (seeded)")
    func randomRoundTrip() throws {
        var generator = SeededGenerator(seed: 42)
        let encoder = SampleEncoder()
        let decoder = SampleDecoder()
        var buffer: [UInt8] = []
        var all: [Sample] = []
        for _ in 0..<1_000 {
            let sample = Self.randomSample(&generator)
            buffer.removeAll(keepingCapacity: true)
            encoder.encode(sample, into: &buffer)
            #expect(buffer.last == 0x0A)
            #expect(buffer.dropLast().allSatisfy { $0 != 0x0A })
            #expect(try decoder.decode(line: buffer) == sample)
            try Self.expectFoundationAgrees(buffer, sample)
            all.append(sample)
        }
        #expect(try decoder.decodeLines(encoder.encode(all)) == all)
    }

    // MARK: Decoder

    @Test("The decoder reads what the encoder writes, and ignores fields it does not know")
    func decoderBasics() throws {
        let decoder = SampleDecoder()
        #expect(try decoder.decode(line: Self.line(Self.sample())) == Self.sample())
        #expect(try decoder.decode(line: Self.line(Self.failedSample())) == Self.failedSample())
        let extended = Self.line(Self.sample()).replacingOccurrences(
            of: "\"schema\":1,",
            with:
                "\"schema\":1,\"future\":{\"a\":[1,2.5e3,null,true]},")
        #expect(try decoder.decode(line: extended) == Self.sample())
        let spaced = Self.line(Self.sample()).replacingOccurrences(of: ",\"", with: " ,\r\n\t\"")
        #expect(try decoder.decode(line: "  " + spaced + " \r\n") == Self.sample())
    }

    @Test(
        "The decoder reads durations to the microsecond, rounding finer digits",
        arguments: [
            ("12.345", Int64(12_345)), ("12.3", 12_300), ("12", 12_000), ("0.0005", 1), ("0.0004", 0),
            ("-0.0005", -1), ("1.2345", 1_235), ("1e3", 1_000_000), ("1.5E-3", 2), ("2.5e-4", 0),
            ("0.001000000000000000000001", 1), ("-1.500", -1_500), ("9223372036854775.807", Int64.max),
        ])
    func decodesMilliseconds(text: String, micros: Int64) throws {
        let line = Self.line(Self.sample())
            .replacingOccurrences(of: "\"total_ms\":37.794", with: "\"total_ms\":\(text)")
        #expect(try SampleDecoder().decode(line: line).phases.total == micros)
    }

    @Test("The decoder's errors say what is wrong")
    func decoderErrors() {
        let good = Self.line(Self.sample())
        func reason(_ line: String) -> SampleDecodingError.Reason? {
            do throws(SampleDecodingError) {
                _ = try SampleDecoder().decode(line: line)
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reason(good.replacingOccurrences(of: "\"seq\":41,", with: "")) == .missingField("seq"))
        #expect(
            reason(good.replacingOccurrences(of: "\"seq\":41", with: "\"seq\":\"41\""))
                == .wrongType(field: "seq", expected: "an integer", found: "string \"41\""))
        #expect(
            reason(good.replacingOccurrences(of: "\"seq\":41", with: "\"seq\":41.5"))
                == .wrongType(field: "seq", expected: "an integer", found: "number 41.5"))
        #expect(
            reason(good.replacingOccurrences(of: "\"seq\":41", with: "\"seq\":99999999999999999999"))
                == .invalidValue(field: "seq", detail: "99999999999999999999 is out of range"))
        #expect(
            reason(good.replacingOccurrences(of: "37.794", with: "9223372036854775.808"))
                == .invalidValue(field: "total_ms", detail: "9223372036854775.808 ms is out of range"))
        #expect(
            reason(good.replacingOccurrences(of: "\"site\":\"Amsterdam\"", with: "\"site\":3"))
                == .wrongType(field: "site", expected: "a string or null", found: "number 3"))
        #expect(
            reason(good.replacingOccurrences(of: "\"ok\":true", with: "\"ok\":null"))
                == .wrongType(field: "ok", expected: "true or false", found: "null"))
        #expect(
            reason(good.replacingOccurrences(of: "\"dns_ms\":1.204", with: "\"dns_ms\":\"1.204\""))
                == .wrongType(field: "dns_ms", expected: "a number or null", found: "string \"1.204\""))
        #expect(reason(good.replacingOccurrences(of: "\"schema\":1", with: "\"schema\":2")) == .unsupportedSchema(2))
        #expect(reason(good.replacingOccurrences(of: "\"schema\":1,", with: "")) == .missingField("schema"))
        #expect(
            reason(good.replacingOccurrences(of: "peering-service", with: "peering"))
                == .invalidValue(field: "path_type", detail: "unknown value \"peering\""))
        #expect(
            reason(good.replacingOccurrences(of: "\"GET\"", with: "\"POST\""))
                == .invalidValue(field: "method", detail: "unknown value \"POST\""))
        #expect(
            reason(good.replacingOccurrences(of: "2026-11-28T05:09:37.123456Z", with: "yesterday"))
                == .invalidValue(field: "ts", detail: "not an RFC 3339 timestamp: \"yesterday\""))
        #expect(
            reason(good.replacingOccurrences(of: "\"error\":null", with: #""error":{"code":1,"message":"x"}"#))
                == .missingField("error.kind"))
        #expect(
            reason(good.replacingOccurrences(of: "\"error\":null", with: "\"error\":\"boom\""))
                == .wrongType(field: "error", expected: "an object or null", found: "string \"boom\""))
        #expect(reason("[1,2]") == .notAnObject)
        #expect(reason(#"{"schema":1,"schema":1}"#) == .malformedJSON(offset: 12, detail: "duplicate key \"schema\""))
        #expect(reason(#"{"schema":1,}"#) == .malformedJSON(offset: 12, detail: "expected a key"))
        #expect(reason(#"{"schema":01}"#) == .malformedJSON(offset: 11, detail: "leading zero in a number"))
        #expect(
            reason("{\"a\":\"tab\there\"}")
                == .malformedJSON(offset: 9, detail: "control character in a string must be escaped"))
        #expect(
            reason(#"{"a":"\ud800"}"#) == .malformedJSON(offset: 12, detail: "high surrogate without a low surrogate"))
        #expect(reason(#"{"a":"\x"}"#) == .malformedJSON(offset: 6, detail: "invalid escape"))
        #expect(
            reason(good + "x") == .malformedJSON(offset: good.utf8.count, detail: "unexpected text after the value"))
        #expect(reason(String(good.dropLast(3))) != nil)
        #expect(reason("") == .malformedJSON(offset: 0, detail: "unexpected end of input"))
        #expect(throws: SampleDecodingError.self) { try SampleDecoder().decode(line: [0x7B, 0x22, 0xFF, 0x22, 0x3A]) }
    }

    @Test("Decoding errors read well and name the line")
    func decoderMessages() throws {
        let good = Self.line(Self.sample())
        let document = Array((good + "\n" + good.replacingOccurrences(of: "\"bytes\":1753,", with: "")).utf8)
        let error = try #require(throws: SampleDecodingError.self) { try SampleDecoder().decodeLines(document) }
        #expect(error.line == 3)
        #expect(error.description == #"line 3: missing field "bytes""#)
        #expect(
            SampleDecodingError(.unsupportedSchema(2)).description
                == "schema 2 is not supported (this decoder reads schema 1)")
        #expect(
            SampleDecodingError(.wrongType(field: "seq", expected: "an integer", found: "null")).description
                == #"field "seq": expected an integer, found null"#)
        #expect(
            SampleDecodingError(.malformedJSON(offset: 4, detail: "expected ':'")).description
                == "malformed JSON at byte 4: expected ':'")
    }

    @Test("The decoder reads \\u escapes, surrogate pairs and \\/")
    func decoderEscapes() throws {
        let line = Self.line(Self.sample()).replacingOccurrences(
            of: "\"agent\":\"agent-1\"", with: #""agent":"\u00e9\u00C9\ud83d\ude00\/\u0041""#)
        #expect(try SampleDecoder().decode(line: line).agent == "éÉ😀/A")
    }

    // MARK: Helpers

    /// A random sample over every field, nils included, with strings that need every kind of escaping.
    static func randomSample(_ generator: inout SeededGenerator) -> Sample {
        func text(_ generator: inout SeededGenerator) -> String {
            let pieces = [
                "a", "Z", "0", " ", "-", ".", ":", "/", "\"", "\\", "é", "✓", "😀", "\u{2028}", "\u{7F}",
                "\u{FEFF}", "\r\n", "AMSEDGE1018", "https://login.microsoftonline.com",
            ]
            return (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                Bool.random(using: &generator)
                    ? pieces.randomElement(using: &generator)!
                    : String(Character(Unicode.Scalar(UInt8.random(in: 0...0x7F, using: &generator))))
            }.joined()
        }
        func maybe<T>(_ generator: inout SeededGenerator, _ make: (inout SeededGenerator) -> T) -> T? {
            Int.random(in: 0..<4, using: &generator) == 0 ? nil : make(&generator)
        }
        func micros(_ generator: inout SeededGenerator) -> Int64 {
            Int64.random(in: -5_000...1_000_000_000_000, using: &generator)
        }
        let error = maybe(&generator) { g in
            SampleError(
                kind: SampleError.Kind.allCases.randomElement(using: &g)!,
                code: maybe(&g) { Int.random(in: 0...100, using: &$0) }, message: text(&g))
        }
        return Sample(
            timestamp: Int64.random(in: 0..<13_601_088_000_000_000, using: &generator), agent: text(&generator),
            site: maybe(&generator, text), region: maybe(&generator, text), batch: text(&generator),
            seq: Int64.random(in: 0...Int64.max, using: &generator),
            round: Int64.random(in: 0...1_000_000_000, using: &generator),
            n: Int.random(in: 0...10_000, using: &generator), target: text(&generator), url: text(&generator),
            method: HTTPMethod.allCases.randomElement(using: &generator)!,
            path: PathTags(
                name: text(&generator), type: PathType.allCases.randomElement(using: &generator)!,
                isp: maybe(&generator, text),
                asn: maybe(&generator) { Int64.random(in: 0...4_294_967_295, using: &$0) },
                prefix: maybe(&generator, text), egressIP: maybe(&generator, text)),
            localIP: maybe(&generator, text), localPort: maybe(&generator) { Int.random(in: 0...65_535, using: &$0) },
            remoteIP: maybe(&generator, text), remotePort: maybe(&generator) { Int.random(in: 0...65_535, using: &$0) },
            ipVersion: maybe(&generator) { [4, 6].randomElement(using: &$0)! }, httpVersion: maybe(&generator, text),
            status: maybe(&generator) { Int.random(in: 100...599, using: &$0) }, ok: error == nil, error: error,
            phases: Phases(
                dns: maybe(&generator, micros), connect: maybe(&generator, micros), tls: maybe(&generator, micros),
                request: maybe(&generator, micros), wait: maybe(&generator, micros),
                transfer: maybe(&generator, micros), ttfb: maybe(&generator, micros), total: maybe(&generator, micros),
                redirect: maybe(&generator, micros)),
            bytes: Int64.random(in: 0...Int64.max, using: &generator), pop: maybe(&generator, text),
            edgeServer: maybe(&generator, text), edgeRef: maybe(&generator, text))
    }

    /// The keys of the top-level object, in the order they appear (JSONSerialization does not keep order).
    static func topLevelKeys(_ bytes: [UInt8]) -> [String] {
        var keys: [String] = []
        var depth = 0
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                var end = index + 1
                while bytes[end] != UInt8(ascii: "\"") { end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1 }
                if depth == 1, end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: ":") {
                    keys.append(String(decoding: bytes[(index + 1)..<end], as: UTF8.self))
                }
                index = end
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
            index += 1
        }
        return keys
    }

    /// `text` without U+FEFF: Foundation's JSONSerialization on Linux drops that character at the start of a
    /// string and right after an escape sequence (it decodes each run between escapes as separate UTF-8 text and
    /// strips a leading byte order mark), so comparisons with its output must ignore it. The exact round trip
    /// through ``SampleDecoder`` keeps it.
    static func withoutBOM(_ text: String?) -> String? {
        text.map { String(String.UnicodeScalarView($0.unicodeScalars.filter { $0 != "\u{FEFF}" })) }
    }

    /// Foundation's JSONSerialization parses `line` into exactly the schema's keys, in order, with `sample`'s values.
    static func expectFoundationAgrees(_ line: [UInt8], _ sample: Sample) throws {
        #expect(topLevelKeys(line) == schemaKeys)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
        #expect(Set(object.keys) == Set(schemaKeys))
        func string(_ key: String, _ expected: String?) {
            if let expected {
                #expect(withoutBOM(object[key] as? String) == withoutBOM(expected), "\(key)")
            } else {
                #expect(object[key] is NSNull, "\(key)")
            }
        }
        func integer(_ key: String, _ expected: Int64?) {
            if let expected {
                #expect((object[key] as? NSNumber)?.int64Value == expected, "\(key)")
            } else {
                #expect(object[key] is NSNull, "\(key)")
            }
        }
        func milliseconds(_ key: String, _ expected: Int64?) {
            if let expected {
                let value = (object[key] as? NSNumber)?.doubleValue ?? .nan
                #expect((value * 1_000).rounded() == Double(expected), "\(key)")
            } else {
                #expect(object[key] is NSNull, "\(key)")
            }
        }
        integer("schema", 1)
        string("ts", Timestamp.rfc3339(microseconds: sample.timestamp))
        string("agent", sample.agent)
        string("site", sample.site)
        string("region", sample.region)
        string("batch", sample.batch)
        integer("seq", sample.seq)
        integer("round", sample.round)
        integer("n", Int64(sample.n))
        string("target", sample.target)
        string("url", sample.url)
        string("method", sample.method.rawValue)
        string("path", sample.path.name)
        string("path_type", sample.path.type.rawValue)
        string("isp", sample.path.isp)
        integer("asn", sample.path.asn)
        string("prefix", sample.path.prefix)
        string("egress_ip", sample.path.egressIP)
        string("local_ip", sample.localIP)
        integer("local_port", sample.localPort.map(Int64.init))
        string("remote_ip", sample.remoteIP)
        integer("remote_port", sample.remotePort.map(Int64.init))
        integer("ip_version", sample.ipVersion.map(Int64.init))
        string("http_version", sample.httpVersion)
        integer("status", sample.status.map(Int64.init))
        #expect(object["ok"] as? Bool == sample.ok)
        if let error = sample.error {
            let record = try #require(object["error"] as? [String: Any])
            #expect(record["kind"] as? String == error.kind.rawValue)
            if let code = error.code {
                #expect(record["code"] as? Int == code)
            } else {
                #expect(record["code"] is NSNull)
            }
            #expect(withoutBOM(record["message"] as? String) == withoutBOM(error.message))
        } else {
            #expect(object["error"] is NSNull)
        }
        milliseconds("dns_ms", sample.phases.dns)
        milliseconds("connect_ms", sample.phases.connect)
        milliseconds("tls_ms", sample.phases.tls)
        milliseconds("request_ms", sample.phases.request)
        milliseconds("wait_ms", sample.phases.wait)
        milliseconds("transfer_ms", sample.phases.transfer)
        milliseconds("ttfb_ms", sample.phases.ttfb)
        milliseconds("total_ms", sample.phases.total)
        milliseconds("redirect_ms", sample.phases.redirect)
        integer("bytes", sample.bytes)
        string("pop", sample.pop)
        string("edge_server", sample.edgeServer)
        string("edge_ref", sample.edgeRef)
    }
}
