import CurlKit
import ProbeCore
import Testing

/// Issue 3's configuration: providers, paths and their validation, and tagging each path.
@Suite("Paths and providers")
struct PathConfigTests {
    static let target = "targets:\n  - url: https://example.com/\n"

    static func load(_ yaml: String) throws(ConfigError) -> LoadedConfig {
        try ConfigLoader.loadWithWarnings(yaml: yaml + target, source: "t.yaml")
    }

    /// A config that must be refused, with the exact message, line and key.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var yaml: String
        var line: Int
        var key: String
        var message: String
        var testDescription: String { message }
    }

    static let refusals: [Refusal] = [
        Refusal(
            yaml:
                "providers:\n  - name: a\n    prefixes: [203.0.113.0/24]\n  - name: b\n    prefixes: [203.0.113.0/24]\n",
            line: 5, key: "providers[1].prefixes[0]",
            message: "prefix 203.0.113.0/24 of provider b is also registered with provider a (line 3);"
                + " Peering Service allows a prefix with one provider only"),
        Refusal(
            yaml: "providers:\n  - name: a\n    prefixes: [198.51.100.0/24]\n  - name: b\n"
                + "    prefixes: [198.51.100.128/25]\n",
            line: 5, key: "providers[1].prefixes[0]",
            message: "prefix 198.51.100.128/25 of provider b overlaps 198.51.100.0/24 registered with provider a"
                + " (line 3); Peering Service allows a prefix with one provider only"),
        Refusal(
            yaml: "providers:\n  - name: a\n    prefixes: [203.0.113.5/24]\n", line: 3, key: "providers[0].prefixes[0]",
            message: "'203.0.113.5/24' has host bits set; the prefix is 203.0.113.0/24"),
        Refusal(
            yaml: "providers:\n  - name: a\n    prefixes: [203.0.113.0/64]\n", line: 3, key: "providers[0].prefixes[0]",
            message: "prefix length /64 is out of range for IPv4 (0-32)"),
        Refusal(
            yaml: "providers:\n  - name: a\n    prefixes: [banana]\n", line: 3, key: "providers[0].prefixes[0]",
            message: "'banana' is not a CIDR prefix like 203.0.113.0/24 or 2001:db8::/32"),
        Refusal(
            yaml: "providers:\n  - name: a\n    prefixes: [10.1.0.0/16]\n", line: 3, key: "providers[0].prefixes[0]",
            message: "prefix 10.1.0.0/16 is a private (RFC 1918) range;"
                + " Microsoft accepts only public prefixes for Peering Service"),
        Refusal(
            yaml: "providers:\n  - name: a\n    prefixes: [127.0.0.0/8]\n", line: 3, key: "providers[0].prefixes[0]",
            message:
                "prefix 127.0.0.0/8 is a loopback range; Microsoft accepts only public prefixes for Peering Service"),
        Refusal(
            yaml: "providers:\n  - name: a\n    prefixes: [169.254.0.0/16]\n", line: 3, key: "providers[0].prefixes[0]",
            message: "prefix 169.254.0.0/16 is a link-local range;"
                + " Microsoft accepts only public prefixes for Peering Service"),
        Refusal(
            yaml: "providers:\n  - name: a\n    prefixes: [100.64.0.0/10]\n", line: 3, key: "providers[0].prefixes[0]",
            message: "prefix 100.64.0.0/10 is shared address space (100.64.0.0/10);"
                + " Microsoft accepts only public prefixes for Peering Service"),
        Refusal(
            yaml: "providers:\n  - name: a\n    prefixes: [224.0.0.0/4]\n", line: 3, key: "providers[0].prefixes[0]",
            message: "prefix 224.0.0.0/4 is a multicast range;"
                + " Microsoft accepts only public prefixes for Peering Service"),
        Refusal(
            yaml: "providers:\n  - name: a\npaths:\n  - name: p\n    provider: zz\n", line: 5,
            key: "paths[0].provider", message: "unknown provider 'zz'; the providers are: a"),
        Refusal(
            yaml: "providers:\n  - name: a\n  - name: a\n", line: 3, key: "providers[1].name",
            message: "duplicate provider name 'a'; provider names must be unique"),
        Refusal(
            yaml: "paths:\n  - name: p\n  - name: p\n", line: 3, key: "paths[1].name",
            message: "duplicate path name 'p'; path names must be unique"),
        Refusal(
            yaml: "providers:\n  - name: a\n    asnn: 1\n", line: 3, key: "providers[0].asnn",
            message: "unknown key 'asnn'; did you mean 'asn'?"),
        Refusal(
            yaml: "paths:\n  - name: p\n    type: private\n", line: 3, key: "paths[0].type",
            message: "expected 'internet' or 'expressroute', got 'private'"),
        Refusal(
            yaml: "paths:\n  - name: p\n    egress_ip: 203.0.113.300\n", line: 3, key: "paths[0].egress_ip",
            message: "expected an IPv4 or IPv6 address, got '203.0.113.300'"),
    ]

    @Test(
        "Invalid providers and paths are refused with file, line, key and an actionable message",
        arguments: refusals)
    func refuses(_ refusal: Refusal) {
        #expect {
            _ = try Self.load(refusal.yaml)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            #expect(error.message == refusal.message)
            #expect(error.line == refusal.line)
            #expect(error.key == refusal.key)
            return true
        }
    }

    @Test("The full example in Config/example-site.yaml is valid")
    func shippedExample() throws {
        let path = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let loaded = try ConfigLoader.loadWithWarnings(path: "/" + path + "/Config/example-site.yaml")
        #expect(loaded.config.paths.map(\.name) == ["uplink-a", "uplink-b", "expressroute"])
        #expect(loaded.config.providers.count == 2)
        // Documentation prefixes warn, one warning per prefix.
        #expect(
            loaded.warnings.map(\.key) == [
                "providers[0].prefixes[0]", "providers[0].prefixes[1]", "providers[1].prefixes[0]",
            ])
        #expect(
            loaded.warnings.map(\.message)
                == ["203.0.113.0/24", "2001:db8:100::/48", "198.51.100.0/24"].map {
                    "prefix \($0) is a documentation range; fine for tests, not for a real registration"
                })
    }

    @Test("A target naming an unknown path is refused")
    func unknownTargetPath() {
        #expect {
            _ = try ConfigLoader.load(
                yaml: "paths:\n  - name: p\ntargets:\n  - url: https://example.com/\n    paths: [q]\n",
                source: "t.yaml")
        } throws: { error in
            "\(error)" == "t.yaml:5: targets[0].paths: unknown path 'q'; the paths are: p"
        }
    }

    @Test("Documentation and IPv6 prefixes are warnings, not errors")
    func warnings() throws {
        let loaded = try Self.load("providers:\n  - name: a\n    prefixes: [203.0.113.0/24, 2a01:111::/32]\n")
        #expect(
            loaded.warnings.map(\.message) == [
                "prefix 203.0.113.0/24 is a documentation range; fine for tests, not for a real registration",
                "prefix 2a01:111::/32 is IPv6; check that your provider registers IPv6 prefixes for Peering Service",
            ])
    }

    @Test("A full config resolves providers, paths and per-target paths")
    func fullConfig() throws {
        let config = try Self.load(
            """
            providers:
              - name: isp-a
                asn: 64500
                peering_service: true
                prefixes: [203.0.113.0/24]
            paths:
              - name: uplink-a
                provider: isp-a
                bind: eth1
                egress_ip: 203.0.113.10
                egress_discovery: https://ip.example.test/
              - name: er
                type: expressroute
            edge_rules:
              - header: X-Edge
                pattern: 'pop=([A-Z]{3})'

            """
        ).config
        #expect(
            config.providers == [
                ProviderConfig(
                    name: "isp-a", asn: 64_500, peeringService: true,
                    prefixes: [try IPPrefix(parsing: "203.0.113.0/24")], line: 2)
            ])
        #expect(config.paths.map(\.name) == ["uplink-a", "er"])
        #expect(config.paths[0].bind == "eth1")
        #expect(config.paths[0].egressIP == IPAddress("203.0.113.10"))
        #expect(config.paths[0].egressDiscovery?.host == "ip.example.test")
        #expect(config.paths[1].expressroute)
        #expect(config.edgeRules.count == 1)
        #expect(config.targetSpecs()[0].transfer.captureHeaders.first == "x-edge")
    }

    static let providers = [
        ProviderConfig(
            name: "isp-a", asn: 64_500, peeringService: true,
            prefixes: [try! IPPrefix(parsing: "203.0.113.0/24"), try! IPPrefix(parsing: "2001:db8::/32")]),
        ProviderConfig(
            name: "isp-b", asn: 64_501, peeringService: false,
            prefixes: [try! IPPrefix(parsing: "198.51.100.0/24")]),
        ProviderConfig(
            name: "isp-c", asn: 64_502, peeringService: true,
            prefixes: [try! IPPrefix(parsing: "192.0.2.0/24")]),
    ]

    @Test(
        "Path types follow the egress address and whose prefix it is",
        arguments: [
            ("isp-a", "203.0.113.10", false, PathType.peeringService, "203.0.113.0/24", nil),
            ("isp-a", "2001:db8::10", false, .peeringService, "2001:db8::/32", nil),
            ("isp-b", "198.51.100.10", false, .internet, "198.51.100.0/24", nil),
            (
                "isp-b", "203.0.113.10", false, .internet, "203.0.113.0/24",
                "path 'p' (provider isp-b) leaves from 203.0.113.10, which is in 203.0.113.0/24 registered with "
                    + "provider isp-a: this traffic is not reaching Microsoft through the registered provider, so it "
                    + "is tagged internet"
            ),
            ("isp-a", "8.8.8.8", false, .internet, nil, nil),
            ("isp-a", nil, false, .unknown, nil, nil),
            ("isp-c", "192.0.2.9", true, .expressroute, "192.0.2.0/24", nil),
        ] as [(String, String?, Bool, PathType, String?, String?)])
    func tagging(
        provider: String, egress: String?, expressroute: Bool, type: PathType, prefix: String?,
        expectedWarning: String?
    ) {
        let tagger = PathTagger(providers: Self.providers)
        let path = PathConfig(name: "p", provider: provider, expressroute: expressroute)
        let (tags, warning) = tagger.tags(for: path, egress: egress.flatMap(IPAddress.init))
        #expect(tags.type == type)
        #expect(tags.prefix == prefix)
        #expect(tags.isp == provider)
        #expect(tags.asn == Self.providers.first { $0.name == provider }?.asn)
        #expect(tags.egressIP == egress)
        #expect(warning == expectedWarning)
    }

    @Test("Egress comes from config, then discovery, then the last local address")
    func egressOrder() {
        var state = EgressState()
        state.local["p"] = IPAddress("192.0.2.1")
        let plain = PathConfig(name: "p")
        #expect(state.egress(for: plain) == IPAddress("192.0.2.1"))
        state.discovered["p"] = IPAddress("192.0.2.2")
        #expect(state.egress(for: plain) == IPAddress("192.0.2.2"))
        #expect(state.egress(for: plain, discoveredNow: IPAddress("192.0.2.3")) == IPAddress("192.0.2.3"))
        let configured = PathConfig(name: "p", egressIP: IPAddress("192.0.2.4"))
        #expect(state.egress(for: configured, discoveredNow: IPAddress("192.0.2.3")) == IPAddress("192.0.2.4"))
        #expect(EgressState(text: state.text) == state)
    }
}
