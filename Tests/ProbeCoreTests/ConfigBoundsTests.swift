import CurlKit
import Foundation
import Testing

@testable import ProbeCore

/// Issue 9's bounds: every number in its documented range, the round size, the agent id, edge rules that cannot
/// stall a probe, capped header values, prefix reasons, escaped messages, header values and the CA file.
@Suite struct ConfigBoundsTests {
    /// The error `yaml` is refused with; fails the test when it loads.
    private func refusal(_ yaml: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.load(yaml: yaml, source: "probe.yaml")
            Issue.record("loaded: \(yaml)")
            return nil
        } catch {
            return error
        }
    }

    private static let target = "targets:\n  - url: http://127.0.0.1:1/\n"

    @Test(
        "A number outside its range is refused at its key, with the range",
        arguments: [
            ("defaults:\n  count: 100000000\n", "defaults.count", "must be from 1 to 10000, got 100000000"),
            ("defaults:\n  count: 10001\n", "defaults.count", "must be from 1 to 10000, got 10001"),
            ("defaults:\n  count: 0\n", "defaults.count", "must be from 1 to 10000, got 0"),
            ("defaults:\n  spacing: 2h\n", "defaults.spacing", "must be from 0s to 1h, got '2h'"),
            ("defaults:\n  timeout: 11m\n", "defaults.timeout", "must be more than 0s and at most 10m, got '11m'"),
            ("defaults:\n  timeout: 0s\n", "defaults.timeout", "must be more than 0s and at most 10m, got '0s'"),
            (
                "defaults:\n  connect_timeout: 100000d\n", "defaults.connect_timeout",
                "must be more than 0s and at most 10m, got '100000d'"
            ),
            ("defaults:\n  concurrency: 1001\n", "defaults.concurrency", "must be from 1 to 1000, got 1001"),
            ("defaults:\n  max_bytes: 2GiB\n", "defaults.max_bytes", "must be from 1 byte to 1GiB, got '2GiB'"),
            ("output:\n  batch_size: 1000001\n", "output.batch_size", "must be from 1 to 1000000, got 1000001"),
            ("output:\n  batch_age: 2d\n", "output.batch_age", "must be more than 0s and at most 1d, got '2d'"),
            (
                "output:\n  retention: 3651d\n", "output.retention",
                "must be more than 0s and at most 3650d, got '3651d'"
            ),
        ])
    func outOfRange(yaml: String, key: String, message: String) {
        let error = refusal(yaml + Self.target)
        #expect(error?.key == key)
        #expect(error?.message == message)
    }

    @Test("The upper bounds themselves are accepted")
    func upperBounds() throws {
        let yaml = """
            output:
              batch_size: 1000000
              batch_age: 1d
              retention: 3650d
            defaults:
              count: 10000
              spacing: 1h
              timeout: 10m
              connect_timeout: 10m
              concurrency: 1000
              max_bytes: 1GiB
            """
        let config = try ConfigLoader.load(yaml: yaml + "\n" + Self.target, source: "probe.yaml")
        #expect(config.defaults.count == ConfigLimits.count.upperBound)
        #expect(config.defaults.timeout == ConfigLimits.timeout.upperBound)
        #expect(config.output.retention == ConfigLimits.retention.upperBound)
    }

    @Test("A round over the sample bound is refused before anything is reserved; --count is checked the same way")
    func roundSize() throws {
        var yaml = "defaults:\n  count: 10000\ntargets:\n"
        for index in 0...100 { yaml += "  - url: http://127.0.0.1:1/\(index)\n    name: t\(index)\n" }
        let error = refusal(yaml)
        #expect(error?.line == 2)
        #expect(error?.message.hasPrefix("one round would take 1010000 samples") == true)

        let config = try ConfigLoader.load(yaml: yaml.replacingOccurrences(of: "10000", with: "3"), source: "p")
        #expect(config.roundSampleCount() == 303)
        #expect(throws: Never.self) { try config.checkRoundSize() }
        #expect(config.roundSampleCount(count: 10_000) == 1_010_000)
        #expect(throws: ConfigError.self) { try config.checkRoundSize(count: 10_000) }
    }

    @Test("An agent id is 1 to 64 safe characters; a host name that does not fit is made safe")
    func agentID() throws {
        let long = String(repeating: "a", count: 250)
        #expect(refusal("agent: \(long)\n" + Self.target)?.message.contains("is 250 characters long") == true)
        #expect(refusal("agent: .hidden\n" + Self.target)?.key == "agent")
        #expect(refusal("agent: a/b\n" + Self.target)?.key == "agent")
        let fits = String(repeating: "b", count: 64)
        #expect(try ConfigLoader.load(yaml: "agent: \(fits)\n" + Self.target, source: "p").agentID == fits)

        #expect(ProbeConfig.sanitizedAgentID("probe-01.lab") == "probe-01.lab")
        #expect(ProbeConfig.sanitizedAgentID("my host/x") == "my_host_x")
        #expect(ProbeConfig.sanitizedAgentID(".x") == "agent-.x")
        #expect(ProbeConfig.sanitizedAgentID(String(repeating: "h", count: 300)).count == 64)
        let config = try ConfigLoader.load(yaml: Self.target, source: "p")
        #expect(ConfigLimits.agentIDProblem(config.agentID) == nil)
    }

    @Test(
        "An edge rule that can backtrack exponentially is refused when the config is read",
        arguments: ["^(a+)+$", "(a*)*b", "^(a|a)+$", "(?<x>[A-Z]+[0-9]*){2,}(.)", "((ab)+)+"])
    func backtrackingPattern(pattern: String) {
        let yaml = "edge_rules:\n  - header: X-Edge\n    pattern: '\(pattern)'\n" + Self.target
        let error = refusal(yaml)
        #expect(error?.message.contains("can take exponential time") == true, "\(String(describing: error))")
    }

    @Test(
        "Patterns that repeat only characters, classes or fixed groups are fine",
        arguments: [
            "^([A-Z]{3})", "(?:Ref B: )+([A-Z]+)", "([a-z]+)(?:-[0-9]+)?", "([\\(]+)x", "(a)\\Q(b+)+\\E",
            "([A-Z]{2,4})(?:EDGE[0-9]+)", "(ab){3}",
        ])
    func safePattern(pattern: String) throws {
        #expect(throws: Never.self) { try EdgeRule(header: "X-Edge", pattern: pattern) }
        for rule in EdgeRule.defaultRules { #expect(rule.header.isEmpty == false) }
    }

    @Test("A huge edge header is matched only in its first KiB and stored cut to 256 bytes, marked and valid UTF-8")
    func headerValueCap() {
        let big = "Ref A: 1 Ref B: AMSEDGE1018 Ref C: " + String(repeating: "é", count: 45_000)
        let start = ContinuousClock.now
        let edge = EdgeIdentity.identify(headers: [("X-MSEdge-Ref", big)])
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(edge?.pop == "AMS")
        let ref = edge?.ref ?? ""
        #expect(ref.utf8.count <= 256)
        #expect(ref.utf8.count >= 250)
        #expect(ref.hasSuffix("…"))
        #expect(ref.hasPrefix("Ref A: 1 Ref B: AMSEDGE1018"))
        #expect(String(validating: Array(ref.utf8), as: UTF8.self) != nil)
        let short = EdgeIdentity.identify(headers: [("X-MSEdge-Ref", "Ref B: AMSEDGE1018")])
        #expect(short?.ref == "Ref B: AMSEDGE1018")
        let exact = String(repeating: "x", count: 256)
        #expect(EdgeIdentity.identify(headers: [("X-MSEdge-Ref", exact)])?.ref == exact)
    }

    @Test(
        "Prefixes are refused for the right reason; IPv4-mapped IPv6 is refused with its IPv4 form",
        arguments: [
            ("0.0.0.0/0", "is too broad: it covers 0.0.0.0/8"),
            ("0.0.0.0/1", "is too broad: it covers 0.0.0.0/8"),
            ("::/0", "is too broad: it covers ::/128"),
            ("0.0.0.0/8", "is 'this network'"),
            ("240.0.0.0/4", "is reserved space (240.0.0.0/4"),
            ("255.255.255.255/32", "is the limited broadcast address"),
            ("::/128", "is the unspecified address"),
            ("::ffff:10.0.0.0/104", "is IPv4-mapped IPv6; write it as the IPv4 prefix 10.0.0.0/8"),
            ("::ffff:8.8.8.0/120", "is IPv4-mapped IPv6; write it as the IPv4 prefix 8.8.8.0/24"),
            ("10.1.0.0/16", "is a private (RFC 1918) range"),
            ("fd00::/8", "is a unique local (fc00::/7) range"),
        ])
    func prefixReason(prefix: String, reason: String) {
        let yaml = "providers:\n  - name: isp\n    prefixes: ['\(prefix)']\n" + Self.target
        let error = refusal(yaml)
        #expect(error?.message.hasPrefix("prefix \(prefix) \(reason)") == true, "\(String(describing: error))")
    }

    @Test("A public prefix still loads")
    func publicPrefix() throws {
        let yaml = "providers:\n  - name: isp\n    prefixes: ['8.8.8.0/24', '2603:1000::/24']\n" + Self.target
        #expect(try ConfigLoader.load(yaml: yaml, source: "p").providers.first?.prefixes.count == 2)
    }

    @Test("CR, LF and ESC in a bad header name or URL are escaped in the message")
    func escapedMessages() {
        let header = refusal("defaults:\n  headers:\n    \"X-\\e[31mA\\r\": v\n" + Self.target)
        let text = header?.description ?? ""
        #expect(text.contains("X-\\x1B[31mA\\r"), "\(text)")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
        let url = refusal("targets:\n  - url: \"http://a\\e[2J\\nb/\"\n")?.description ?? ""
        #expect(url.contains("\\x1B[2J\\n"), "\(url)")
        #expect(!url.unicodeScalars.contains { $0.value < 0x20 })
        #expect(MessageText.escaped("a\tb\u{7F}\u{85}") == "a\\tb\\x7F\\x85")
    }

    @Test(
        "A header value with a NUL, and the framing headers, are refused",
        arguments: [
            ("\"X-A\": \"v\\0w\"", "contains a NUL character"),
            ("Content-Length: '5'", "header 'Content-Length' cannot be set"),
            ("transfer-encoding: chunked", "header 'transfer-encoding' cannot be set"),
        ])
    func headerRefusals(header: String, message: String) {
        let error = refusal("defaults:\n  headers:\n    \(header)\n" + Self.target)
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
    }

    @Test("cacert must be a readable regular file")
    func caFile() throws {
        #expect(
            refusal("defaults:\n  cacert: /nonexistent/ca.pem\n" + Self.target)?.message.contains(
                "No such file or directory") == true)
        #expect(refusal("defaults:\n  cacert: /tmp\n" + Self.target)?.message.contains("not a regular file") == true)
        let file = NSTemporaryDirectory() + "/ca-\(getpid()).pem"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        #expect(
            try ConfigLoader.load(yaml: "defaults:\n  cacert: \(file)\n" + Self.target, source: "p")
                .defaults.caFile == file)
    }

    @Test("A pin whose address part has a port is refused")
    func resolvePin() {
        #expect(ConfigValues.resolveEntryProblem("127.0.0.1:18080:1.2.3.4:5")?.contains("invalid address") == true)
        #expect(ConfigValues.resolveEntryProblem("h:443:[::1]") == nil)
    }

    @Test("Running out of memory once the request was sent (a header line over libcurl's limit) is kind http")
    func outOfMemoryKind() {
        var report = TransferReport()
        report.resultCode = 27
        report.preTransfer = 100
        #expect(SampleError(report: report, expect: .default)?.kind == .http)
        report.preTransfer = 0
        #expect(SampleError(report: report, expect: .default)?.kind == .other)
    }
}
