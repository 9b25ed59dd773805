import Foundation
import ProbeCore
import TestSupport
import Testing

@testable import ProbeReport

/// The fast scanner against the strict decoder of ProbeCore: same values from good lines, same verdict on
/// broken ones.
@Suite("NDJSON line scanner")
struct LineScannerTests {
    private static func scan(_ line: [UInt8], fastPath: Bool = true) -> (ScannedLine, ScanFailure?) {
        var scanned = ScannedLine()
        let failure = line.withUnsafeBufferPointer { LineScanner.scan($0, into: &scanned, fastPath: fastPath) }
        return (scanned, failure)
    }

    /// The fields of a scanned line, for comparing the fast path with the general walk.
    private static func fields(_ line: [UInt8], _ scanned: ScannedLine) -> [String] {
        var out = [
            scanned.timestamp, scanned.round, scanned.n, scanned.status, scanned.asn ?? -99,
            Int64(scanned.ok ? 1 : 0), Int64(scanned.errorKind), Int64(scanned.pathType),
        ].map(String.init)
        for metric in Metric.allCases { out.append(String(scanned.metrics[metric.index])) }
        for span in [
            scanned.agent, scanned.site, scanned.region, scanned.target, scanned.path, scanned.isp,
            scanned.prefix, scanned.pop,
        ] {
            out.append(text(line, span) ?? "<null>")
        }
        return out
    }

    private static func text(_ line: [UInt8], _ span: ByteSpan) -> String? {
        guard !span.isNull else { return nil }
        let bytes = line[Int(span.start)..<Int(span.start + span.length)]
        return bytes.withUnsafeBufferPointer { JSONGrammar.text(ofContents: $0) }
    }

    @Test("every field the report uses comes out as the decoder reads it")
    func agreesOnGoodLines() throws {
        let synthesizer = SampleSynthesizer.twoPaths(rounds: 40, count: 3, seed: 3)
        let encoder = SampleEncoder()
        var checked = 0
        for var sample in synthesizer.samples() {
            if checked % 7 == 0 { sample.target = "quote\" back\\slash \u{1} é ☃ 𝄞" }
            if checked % 11 == 0 { sample.site = nil }
            var line: [UInt8] = []
            encoder.encode(sample, into: &line)
            line.removeLast()
            let decoded = try SampleDecoder().decode(line: line)
            let (scanned, failure) = Self.scan(line)
            let (general, generalFailure) = Self.scan(line, fastPath: false)
            #expect(failure == nil)
            #expect(generalFailure == nil)
            #expect(Self.fields(line, scanned) == Self.fields(line, general), "fast path and general walk agree")
            #expect(scanned.timestamp == decoded.timestamp)
            #expect(scanned.round == decoded.round)
            #expect(scanned.n == Int64(decoded.n))
            #expect(scanned.status == Int64(decoded.status ?? -1))
            #expect(scanned.ok == decoded.ok)
            #expect(scanned.asn == decoded.path.asn)
            #expect(
                Int(scanned.errorKind)
                    == (decoded.error.map { SampleError.Kind.allCases.firstIndex(of: $0.kind)! + 1 } ?? 0))
            #expect(PathType.allCases[Int(scanned.pathType)] == decoded.path.type)
            let phases = decoded.phases
            let expected: [Int64?] = [
                phases.total, phases.ttfb, phases.dns, phases.connect, phases.tls, phases.request,
                phases.wait, phases.transfer,
            ]
            for metric in Metric.allCases {
                let value = scanned.metrics[metric.index]
                #expect((value == ScannedLine.nullDuration ? nil : Int64(value)) == expected[metric.index])
            }
            #expect(Self.text(line, scanned.target) == decoded.target)
            #expect(Self.text(line, scanned.site) == decoded.site)
            #expect(Self.text(line, scanned.agent) == decoded.agent)
            #expect(Self.text(line, scanned.path) == decoded.path.name)
            #expect(Self.text(line, scanned.isp) == decoded.path.isp)
            #expect(Self.text(line, scanned.prefix) == decoded.path.prefix)
            #expect(Self.text(line, scanned.pop) == decoded.pop)
            checked += 1
        }
        #expect(checked == 480)
    }

    @Test("durations with more than three decimals or an exponent round like the decoder")
    func slowPathNumbers() throws {
        let base = Array(SampleSynthesizer.twoPaths(rounds: 1, count: 1).ndjson().split(separator: 0x0A)[0])
        let text = String(decoding: base, as: UTF8.self)
        for (written, micros) in [
            ("12.3456", 12_346), ("1.5e1", 15_000), ("0.0005", 1), ("7", 7_000), ("0", 0),
            ("123456789012.5", nil),
        ] as [(String, Int64?)] {
            let line = Array(replaceValue(of: "total_ms", in: text, with: written).utf8)
            let (scanned, failure) = Self.scan(line)
            if let micros {
                #expect(failure == nil, "\(written)")
                #expect(Int64(scanned.metrics[Metric.total.index]) == micros, "\(written)")
                #expect(try SampleDecoder().decode(line: line).phases.total == micros)
            } else {
                #expect(failure != nil, "\(written) is out of range")
            }
        }
    }

    @Test("broken lines are rejected exactly when the strict decoder rejects them")
    func agreesOnBrokenLines() throws {
        let lines = SampleSynthesizer.twoPaths(rounds: 10, count: 2, seed: 5).ndjson().split(separator: 0x0A).map(
            Array.init)
        var random = SeededGenerator(seed: 99)
        let alphabet = Array(#"{}[]:,"\ 0123456789.-eEtrufalsn/xA"#.utf8) + [0x09, 0x01]
        var rejected = 0
        for round in 0..<4_000 {
            var line = lines[round % lines.count]
            switch round % 5 {
            case 0: line.remove(at: Int(random.next() % UInt64(line.count)))
            case 1:
                line[Int(random.next() % UInt64(line.count))] = alphabet[Int(random.next() % UInt64(alphabet.count))]
            case 2: line = Array(line.prefix(Int(random.next() % UInt64(line.count))))
            case 3:
                line.insert(
                    alphabet[Int(random.next() % UInt64(alphabet.count))], at: Int(random.next() % UInt64(line.count)))
            default:
                let at = Int(random.next() % UInt64(line.count))
                line[at] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                line.remove(at: Int(random.next() % UInt64(line.count)))
            }
            let decoded = try? SampleDecoder().decode(line: line)
            let (scanned, failure) = Self.scan(line)
            let (general, generalFailure) = Self.scan(line, fastPath: false)
            #expect((failure == nil) == (generalFailure == nil), "\(String(decoding: line, as: UTF8.self))")
            if failure == nil, generalFailure == nil {
                #expect(Self.fields(line, scanned) == Self.fields(line, general))
            }
            if let decoded {
                let phases = decoded.phases
                let negative = [
                    phases.total, phases.ttfb, phases.dns, phases.connect, phases.tls, phases.request,
                    phases.wait, phases.transfer, phases.redirect,
                ].contains { ($0 ?? 0) < 0 }
                // The one rule the scanner adds: durations are 0 to 4,294,967 ms.
                #expect((failure == nil) == !negative, "\(String(decoding: line, as: UTF8.self))")
            } else {
                #expect(failure != nil, "\(String(decoding: line, as: UTF8.self))")
                rejected += 1
            }
        }
        #expect(rejected > 2_000)
    }

    @Test(
        "each kind of bad line gets a message that names the problem",
        arguments: [
            ("not json at all", "not JSON"),
            ("[1, 2]", "not a JSON object"),
            (#"{"schema":2}"#, "schema 2 is not supported"),
        ])
    func messages(line: String, expected: String) {
        let (_, failure) = Self.scan(Array(line.utf8))
        #expect(failure?.message.contains(expected) == true, "\(failure?.message ?? "accepted")")
    }

    @Test("a missing field, a wrong type and an unknown enum word are named")
    func fieldMessages() {
        let line = String(
            decoding: SampleSynthesizer.twoPaths(rounds: 1, count: 1).ndjson().split(separator: 0x0A)[0],
            as: UTF8.self)
        let missing = line.replacingOccurrences(of: #","seq":1"#, with: "")
        #expect(Self.scan(Array(missing.utf8)).1?.message == #"missing field "seq""#)
        let wrongType = replaceValue(of: "round", in: line, with: #""1""#)
        #expect(Self.scan(Array(wrongType.utf8)).1?.message == #"field "round": expected an integer"#)
        let unknown = line.replacingOccurrences(of: #""path_type":"peering-service""#, with: #""path_type":"fast""#)
        #expect(Self.scan(Array(unknown.utf8)).1?.message == #"field "path_type": unknown path type"#)
        let extra = line.replacingOccurrences(
            of: #"{"schema":1,"#, with: #"{"future":{"a":[1,{"b":null}]},"schema":1,"#)
        #expect(Self.scan(Array(extra.utf8)).1 == nil, "unknown fields are ignored")
    }
}

/// `line` with the value of `key` replaced by `value` (the value runs to the next `,"` or `}`).
func replaceValue(of key: String, in line: String, with value: String) -> String {
    guard let keyRange = line.range(of: "\"\(key)\":") else { return line }
    var end = keyRange.upperBound
    var depth = 0
    var inString = false
    while end < line.endIndex {
        let character = line[end]
        if inString {
            if character == "\\" { end = line.index(after: end) } else if character == "\"" { inString = false }
        } else if character == "\"" {
            inString = true
        } else if character == "{" || character == "[" {
            depth += 1
        } else if character == "}" || character == "]" {
            if depth == 0 { break }
            depth -= 1
        } else if character == ",", depth == 0 {
            break
        }
        end = line.index(after: end)
    }
    return String(line[..<keyRange.upperBound]) + value + String(line[end...])
}
