import CurlKit
import Foundation
import ProbeCore
import Testing

/// The YAML config loader: every key resolved, defaults, and every refusal with its exact text, line and key.
@Suite struct ConfigLoaderTests {
    /// A config that sets every key there is; line numbers matter to the tests below.
    static let fullYAML = """
        agent: probe-ams-01
        site: on
        region: westeurope
        output:
          dir: /var/lib/peering-probe
          batch_size: 5_000
          batch_age: 2m
          retention: 30d
        defaults:
          count: 5
          spacing: 250ms
          connect_timeout: 3s
          timeout: 15s
          concurrency: 4
          expect: ["200-299", 301, 302]
          method: head
          max_bytes: 64KiB
          ip_version: 4
          insecure: false
          cacert: /etc/ssl/certs/ca-certificates.crt
          headers:
            X-Probe: peering-probe
            Accept: application/json
          follow_redirects: no
        targets:
          - name: entra-id
            url: https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration
            count: 2
            spacing: 1.5s
            connect_timeout: 500ms
            timeout: 2s
            expect: 200-399,401
            method: GET
            max_bytes: 1MiB
            ip_version: 6
            insecure: off
            cacert: /etc/ssl/certs/ca-certificates.crt
            headers:
              Authorization: Bearer none
            resolve:
              - login.microsoftonline.com:443:192.0.2.10
              - "login.microsoftonline.com:443:[2001:db8::10]"
            follow_redirects: yes
          - url: https://graph.microsoft.com/v1.0/
        """

    @Test func fullConfigResolvesEveryKey() throws {
        let loaded = try ConfigLoader.loadWithWarnings(yaml: Self.fullYAML, source: "full.yaml")
        let config = loaded.config
        #expect(loaded.warnings.isEmpty)
        Self.expectFull(config, source: "full.yaml")
    }

    /// What ``fullYAML`` must resolve to.
    static func expectFull(_ config: ProbeConfig, source: String) {
        #expect(config.source == source)
        #expect(config.agent == "probe-ams-01")
        #expect(config.site == "on")  // a string key keeps the text, YAML's `on` is not turned into a boolean
        #expect(config.region == "westeurope")
        #expect(
            config.output
                == OutputSettings(
                    dir: "/var/lib/peering-probe", batchMaxSamples: 5_000, batchMaxAge: .seconds(120),
                    retention: .seconds(30 * 86_400)
                ))

        var defaults = ProbeDefaults()
        defaults.count = 5
        defaults.spacing = .milliseconds(250)
        defaults.connectTimeout = .seconds(3)
        defaults.timeout = .seconds(15)
        defaults.concurrency = 4
        defaults.expect = StatusSet([200...299, 301...301, 302...302])
        defaults.method = .head
        defaults.maxBytes = 65_536
        defaults.ipVersion = .v4
        defaults.insecure = false
        defaults.caFile = "/etc/ssl/certs/ca-certificates.crt"
        defaults.headers = ["X-Probe: peering-probe", "Accept: application/json"]
        defaults.followRedirects = false
        #expect(config.defaults == defaults)

        #expect(config.targets.count == 2)
        guard config.targets.count == 2 else { return }
        var entra = TargetConfig(
            name: "entra-id",
            url: try! CurlURL("https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"),
            line: 26
        )
        entra.count = 2
        entra.spacing = .milliseconds(1_500)
        entra.connectTimeout = .milliseconds(500)
        entra.timeout = .seconds(2)
        entra.expect = StatusSet([200...399, 401...401])
        entra.method = .get
        entra.maxBytes = 1_048_576
        entra.ipVersion = .v6
        entra.insecure = false
        entra.caFile = "/etc/ssl/certs/ca-certificates.crt"
        entra.headers = ["Authorization: Bearer none"]
        entra.resolve = ["login.microsoftonline.com:443:192.0.2.10", "login.microsoftonline.com:443:[2001:db8::10]"]
        entra.followRedirects = true
        #expect(config.targets[0] == entra)

        let graph = TargetConfig(
            name: "graph.microsoft.com", url: try! CurlURL("https://graph.microsoft.com/v1.0/"),
            line: 44)
        #expect(config.targets[1] == graph)
    }

    @Test func fullConfigFromFile() throws {
        let path = try Self.temporaryFile(Array(Self.fullYAML.utf8))
        defer { unlink(path) }
        Self.expectFull(try ConfigLoader.load(path: path), source: path)
    }

    @Test func missingKeysTakeTheDocumentedDefaults() throws {
        let loaded = try ConfigLoader.loadWithWarnings(yaml: "targets:\n  - url: https://example.com/\n", source: "min")
        let config = loaded.config
        #expect(loaded.warnings.isEmpty)
        #expect(config.agent == nil)
        #expect(config.site == nil)
        #expect(config.region == nil)
        #expect(config.output == OutputSettings())
        #expect(config.output.dir == nil)
        #expect(config.output.batchMaxSamples == 10_000)
        #expect(config.output.batchMaxAge == .seconds(300))
        #expect(config.output.retention == nil)
        #expect(config.defaults == ProbeDefaults())
        #expect(config.defaults.count == 3)
        #expect(config.defaults.spacing == .milliseconds(100))
        #expect(config.defaults.connectTimeout == .seconds(5))
        #expect(config.defaults.timeout == .seconds(10))
        #expect(config.defaults.concurrency == 8)
        #expect(config.defaults.expect == StatusSet([200...399]))
        #expect(config.defaults.method == .get)
        #expect(config.defaults.maxBytes == 1_048_576)
        #expect(config.defaults.ipVersion == .any)
        #expect(config.defaults.insecure == false)
        #expect(config.defaults.caFile == nil)
        #expect(config.defaults.headers.isEmpty)
        #expect(config.defaults.followRedirects == false)
        let expected = TargetConfig(name: "example.com", url: try CurlURL("https://example.com/"), line: 2)
        #expect(config.targets == [expected])
    }

    @Test func emptySectionsAreEmptyMappings() throws {
        let yaml = "output:\ndefaults:\n  # all commented out\ntargets:\n  - url: https://example.com/\n    headers:\n"
        let config = try ConfigLoader.load(yaml: yaml, source: "t")
        #expect(config.output == OutputSettings())
        #expect(config.defaults == ProbeDefaults())
        #expect(config.targets.first?.headers == [])
    }

    @Test func shippedDefaultConfigIsValidWithoutWarnings() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/peering-probe.yaml").path
        let loaded = try ConfigLoader.loadWithWarnings(path: path)
        #expect(loaded.warnings.isEmpty)
        #expect(!loaded.config.targets.isEmpty)
    }

    // MARK: - Refusals

    /// A config that must be refused, with where and why.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var yaml: String
        var line: Int?
        var key: String?
        var message: String
        var testDescription: String { message }

        init(_ yaml: String, line: Int?, key: String?, _ message: String) {
            self.yaml = yaml
            self.line = line
            self.key = key
            self.message = message
        }
    }

    /// One valid target, appended to configs whose mistake is elsewhere.
    static let oneTarget = "targets:\n  - url: https://example.com/\n"

    /// Misspelt, misplaced and not-yet-supported keys.
    static let keyRefusals: [Refusal] = [
        Refusal(
            "defualts:\n  count: 1\n" + oneTarget, line: 1, key: "defualts",
            "unknown key 'defualts'; did you mean 'defaults'?"),
        Refusal(
            "defaults:\n  timout: 5s\n" + oneTarget, line: 2, key: "defaults.timout",
            "unknown key 'timout'; did you mean 'timeout'?"),
        Refusal(
            "defaults:\n  connectTimeout: 5s\n" + oneTarget, line: 2, key: "defaults.connectTimeout",
            "unknown key 'connectTimeout'; did you mean 'connect_timeout'?"),
        Refusal(
            "output:\n  batch-size: 10\n" + oneTarget, line: 2, key: "output.batch-size",
            "unknown key 'batch-size'; did you mean 'batch_size'?"),
        Refusal(
            oneTarget + "    naem: x\n", line: 3, key: "targets[0].naem",
            "unknown key 'naem'; did you mean 'name'?"),
        Refusal(
            "schedule:\n  every: 1m\n" + oneTarget, line: 2, key: "schedule.every",
            "unknown key 'every'; expected one of: interval, egress_discovery"),
        Refusal(
            oneTarget + "metrics:\n  listen: 9100\n", line: 4, key: "metrics.listen",
            "expected HOST:PORT like 127.0.0.1:9100, :9100 or [::1]:9100, got '9100'; a port alone is written :9100"),
        Refusal(
            oneTarget + "export:\n  url: https://collector/\n", line: 3, key: "export",
            "unknown key 'export'; expected one of: agent, site, region, output, schedule, metrics, defaults,"
                + " providers, paths, targets, edge_rules"),
        Refusal(
            "defaults:\n  retries: 2\n" + oneTarget, line: 2, key: "defaults.retries",
            "unknown key 'retries'; expected one of: count, spacing, connect_timeout, timeout, expect, method,"
                + " max_bytes, ip_version, insecure, cacert, headers, follow_redirects, concurrency"),
        Refusal(
            "timeout: 5s\n" + oneTarget, line: 1, key: "timeout",
            "unknown key 'timeout'; it belongs under 'defaults' or in a target"),
        Refusal("dir: /tmp\n" + oneTarget, line: 1, key: "dir", "unknown key 'dir'; it belongs under 'output'"),
        Refusal(
            "url: https://example.com/\n", line: 1, key: "url",
            "unknown key 'url'; it belongs in an entry of 'targets'"),
        Refusal(
            "defaults:\n  resolve: []\n" + oneTarget, line: 2, key: "defaults.resolve",
            "unknown key 'resolve'; it can only be set per target, in an entry of 'targets'"),
        Refusal(
            oneTarget + "    concurrency: 2\n", line: 3, key: "targets[0].concurrency",
            "unknown key 'concurrency'; it can only be set under 'defaults'"
                + " (it limits transfers across all targets)"),
        Refusal(
            oneTarget + "    <<: {count: 2}\n", line: 3, key: "targets[0].<<",
            "merge keys ('<<') are not supported; put shared settings under 'defaults'"),
        Refusal("defaults:\n  [a, b]: 1\n" + oneTarget, line: 2, key: "defaults", "expected a key name, got a list"),
    ]

    /// Values of the wrong type or out of range.
    static let valueRefusals: [Refusal] = [
        Refusal(
            "defaults:\n  timeout: abc\n" + oneTarget, line: 2, key: "defaults.timeout",
            "expected a duration like 500ms or 10s, got 'abc'"),
        Refusal(
            "defaults:\n  timeout: 10\n" + oneTarget, line: 2, key: "defaults.timeout",
            "expected a duration like 500ms or 10s, got '10'; add a unit: ms, s, m, h or d"),
        Refusal(
            "defaults:\n  spacing: 10sec\n" + oneTarget, line: 2, key: "defaults.spacing",
            "expected a duration like 500ms or 10s, got '10sec'; the units are ms, s, m, h and d"),
        Refusal(
            "defaults:\n  spacing: -5ms\n" + oneTarget, line: 2, key: "defaults.spacing",
            "expected a duration like 500ms or 10s, got '-5ms'"),
        Refusal(
            "defaults:\n  connect_timeout: 0s\n" + oneTarget, line: 2, key: "defaults.connect_timeout",
            "must be more than 0s and at most 10m, got '0s'"),
        Refusal(
            "defaults:\n  timeout:\n" + oneTarget, line: 2, key: "defaults.timeout",
            "expected a duration like 500ms or 10s, got an empty value"),
        Refusal(
            "defaults:\n  timeout: [1s]\n" + oneTarget, line: 2, key: "defaults.timeout",
            "expected a duration like 500ms or 10s, got a list"),
        Refusal(
            "defaults:\n  count: 0\n" + oneTarget, line: 2, key: "defaults.count", "must be from 1 to 10000, got 0"),
        Refusal(
            "defaults:\n  concurrency: 0\n" + oneTarget, line: 2, key: "defaults.concurrency",
            "must be from 1 to 1000, got 0"),
        Refusal(oneTarget + "    count: -3\n", line: 3, key: "targets[0].count", "must be from 1 to 10000, got -3"),
        Refusal(
            "defaults:\n  count: three\n" + oneTarget, line: 2, key: "defaults.count",
            "expected a whole number, got 'three'"),
        Refusal(
            "defaults:\n  count: 2.5\n" + oneTarget, line: 2, key: "defaults.count",
            "expected a whole number, got '2.5'"),
        Refusal(
            "output:\n  batch_size: 0\n" + oneTarget, line: 2, key: "output.batch_size",
            "must be from 1 to 1000000, got 0"),
        Refusal(
            "output:\n  batch_age: 0ms\n" + oneTarget, line: 2, key: "output.batch_age",
            "must be more than 0s and at most 1d, got '0ms'"),
        Refusal(
            "output:\n  retention: 30\n" + oneTarget, line: 2, key: "output.retention",
            "expected a duration like 500ms or 10s, got '30'; add a unit: ms, s, m, h or d"),
        Refusal(
            "output: ./data\n" + oneTarget, line: 1, key: "output",
            "expected a mapping with keys such as 'dir' and 'batch_size', got './data'"),
        Refusal("output:\n  dir: ''\n" + oneTarget, line: 2, key: "output.dir", "must not be empty"),
        Refusal(
            "defaults:\n  max_bytes: 10XB\n" + oneTarget, line: 2, key: "defaults.max_bytes",
            "expected a size in bytes like 512, 64KiB, 1MiB or 5MB, got '10XB';"
                + " the units are B, kB, MB, GB, KiB, MiB and GiB"),
        Refusal(
            "defaults:\n  max_bytes: 0\n" + oneTarget, line: 2, key: "defaults.max_bytes",
            "must be from 1 byte to 1GiB, got '0'"),
        Refusal(
            "defaults:\n  insecure: maybe\n" + oneTarget, line: 2, key: "defaults.insecure",
            "expected true or false, got 'maybe'"),
        Refusal(
            oneTarget + "    follow_redirects: [true]\n", line: 3, key: "targets[0].follow_redirects",
            "expected true or false, got a list"),
        Refusal(
            "defaults:\n  method: POST\n" + oneTarget, line: 2, key: "defaults.method",
            "expected GET or HEAD, got 'POST'"),
        Refusal(
            oneTarget + "    ip_version: 5\n", line: 3, key: "targets[0].ip_version",
            "expected any, 4 or 6, got '5'"),
        Refusal(
            "defaults:\n  expect:\n    - 200\n    - abc\n" + oneTarget, line: 4, key: "defaults.expect[1]",
            "expected HTTP statuses like 200, '200-399' or '200-399,401' (codes 100 to 599), got 'abc'"),
        Refusal(
            "defaults:\n  expect: 399-200\n" + oneTarget, line: 2, key: "defaults.expect",
            "expected HTTP statuses like 200, '200-399' or '200-399,401' (codes 100 to 599), got '399-200'"),
        Refusal(
            "defaults:\n  expect: [200, 700]\n" + oneTarget, line: 2, key: "defaults.expect[1]",
            "expected HTTP statuses like 200, '200-399' or '200-399,401' (codes 100 to 599), got '700'"),
        Refusal(
            "defaults:\n  expect: []\n" + oneTarget, line: 2, key: "defaults.expect",
            "expected at least one status, like [200] or ['200-399', 401]"),
        Refusal(
            "defaults:\n  headers:\n    X Probe: 1\n" + oneTarget, line: 3, key: "defaults.headers.X Probe",
            "invalid header name 'X Probe': it cannot contain spaces, colons or other separators"),
        Refusal(
            "defaults:\n  headers:\n    'X-A:B': 1\n" + oneTarget, line: 3, key: "defaults.headers.X-A:B",
            "invalid header name 'X-A:B': it cannot contain spaces, colons or other separators"),
        Refusal(
            "defaults:\n  headers:\n    - 'X-Probe: 1'\n" + oneTarget, line: 3, key: "defaults.headers",
            "expected a mapping of header names to values, like 'X-Probe: peering-probe', got a list"),
        Refusal(
            oneTarget + "    headers:\n      X-Probe:\n", line: 4, key: "targets[0].headers.X-Probe",
            "expected a header value, got an empty value"),
        Refusal(
            oneTarget + "    headers:\n      X-Probe: ''\n", line: 4, key: "targets[0].headers.X-Probe",
            "header 'X-Probe' has an empty value"),
        Refusal(
            oneTarget + "    headers:\n      X-Probe: \"a\\r\\nHost: evil\"\n", line: 4,
            key: "targets[0].headers.X-Probe", "the value of header 'X-Probe' must be a single line"),
        Refusal(
            oneTarget + "    resolve: ['example.com:443']\n", line: 3, key: "targets[0].resolve[0]",
            "expected HOST:PORT:ADDRESS like 'example.com:443:192.0.2.10', got 'example.com:443'"),
        Refusal(
            oneTarget + "    resolve:\n      - example.com:https:192.0.2.1\n", line: 4,
            key: "targets[0].resolve[0]",
            "invalid port 'https' in 'example.com:https:192.0.2.1': expected 1 to 65535"),
        Refusal(
            oneTarget + "    resolve:\n      - example.com:443:192.0.2\n", line: 4, key: "targets[0].resolve[0]",
            "invalid address '192.0.2' in 'example.com:443:192.0.2': expected an IPv4 or IPv6 address"),
        Refusal(
            oneTarget + "    resolve:\n      - example.com:443:[192.0.2.1]\n", line: 4,
            key: "targets[0].resolve[0]",
            "invalid address '[192.0.2.1]' in 'example.com:443:[192.0.2.1]': expected an IPv4 or IPv6 address"),
        Refusal(
            oneTarget + "    resolve: example.com:443:192.0.2.1\n", line: 3, key: "targets[0].resolve",
            "expected a list of pins like 'example.com:443:192.0.2.10', got 'example.com:443:192.0.2.1'"),
        Refusal(
            "agent: probe 01\n" + oneTarget, line: 1, key: "agent",
            "agent id 'probe 01' may use only letters, digits, '.', '-' and '_', starting with a letter or digit"
                + " (it names folders and batch files)"),
        Refusal(
            "agent: ../x\n" + oneTarget, line: 1, key: "agent",
            "agent id '../x' may use only letters, digits, '.', '-' and '_', starting with a letter or digit"
                + " (it names folders and batch files)"),
        Refusal("site: \"\"\n" + oneTarget, line: 1, key: "site", "must not be empty"),
        Refusal("region: [westeurope]\n" + oneTarget, line: 1, key: "region", "expected a string, got a list"),
        Refusal("site: \"a\\nb\"\n" + oneTarget, line: 1, key: "site", "must be a single line"),
    ]

    /// Targets that are missing, malformed or clash.
    static let targetRefusals: [Refusal] = [
        Refusal(
            "agent: a\n", line: nil, key: "targets",
            "no targets: add at least one, like '- url: https://example.com/'"),
        Refusal(
            "agent: a\ntargets: []\n", line: 2, key: "targets",
            "no targets: add at least one, like '- url: https://example.com/'"),
        Refusal(
            "targets:\n", line: 1, key: "targets",
            "no targets: add at least one, like '- url: https://example.com/'"),
        Refusal(
            "targets:\n  url: https://example.com/\n", line: 2, key: "targets",
            "expected a list of targets, each with a 'url', got a mapping"),
        Refusal(
            "targets:\n  - https://example.com/\n", line: 2, key: "targets[0]",
            "expected a mapping with at least 'url', like '- url: https://example.com/',"
                + " got 'https://example.com/'"),
        Refusal(
            oneTarget + "  - name: second\n    count: 2\n", line: 3, key: "targets[1]",
            "missing 'url': every target needs the URL to probe"),
        Refusal(
            "targets:\n  - url:\n", line: 2, key: "targets[0].url",
            "expected an http:// or https:// URL, got an empty value"),
        Refusal(
            "targets:\n  - url: ftp://example.com/file\n", line: 2, key: "targets[0].url",
            "URL 'ftp://example.com/file' is not HTTP or HTTPS (scheme 'ftp')"),
        Refusal(
            "targets:\n  - url: 'https://'\n", line: 2, key: "targets[0].url",
            "malformed URL 'https://': No host part in the URL"),
        Refusal(
            "targets:\n  - url: example dot com\n", line: 2, key: "targets[0].url",
            "malformed URL 'example dot com': Bad scheme"),
        Refusal(
            "targets:\n  - name: a\n    url: https://x.example/\n  - name: a\n    url: https://y.example/\n",
            line: 4, key: "targets[1].name",
            "duplicate target name 'a', already used by targets[0] on line 2; target names must be unique"),
        Refusal(
            "targets:\n  - url: https://x.example/a\n  - url: https://x.example/b\n", line: 3,
            key: "targets[1].name",
            "target name 'x.example' (taken from the URL's host) is already used by targets[0] on line 2;"
                + " give this target a unique 'name'"),
        Refusal(
            "targets:\n  - url: https://example.com/\n    name: ''\n", line: 3, key: "targets[0].name",
            "must not be empty"),
    ]

    /// Files that are not a usable YAML mapping at all.
    static let documentRefusals: [Refusal] = [
        Refusal("", line: nil, key: nil, "the config is empty; it needs at least a 'targets' list with one 'url'"),
        Refusal(
            "# nothing but a comment\n", line: nil, key: nil,
            "the config is empty; it needs at least a 'targets' list with one 'url'"),
        Refusal("~\n", line: nil, key: nil, "the config is empty; it needs at least a 'targets' list with one 'url'"),
        Refusal(
            "- url: https://example.com/\n", line: 1, key: nil,
            "expected a mapping of settings such as 'defaults' and 'targets', got a list"),
        Refusal(
            "just text\n", line: 1, key: nil,
            "expected a mapping of settings such as 'defaults' and 'targets', got 'just text'"),
        Refusal(
            "targets:\n\t- url: https://example.com/\n", line: 2, key: nil,
            "invalid YAML: found character that cannot start any token (while scanning for the next token on"
                + " line 2); indent with spaces, YAML does not allow tabs"),
        Refusal(
            "targets: [https://example.com/\n", line: 2, key: nil,
            "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence on line 1)"),
        Refusal(
            "targets:\n  - url: https://example.com/\n   name: x\n", line: 3, key: nil,
            "invalid YAML: did not find expected '-' indicator (while parsing a block collection on line 2)"),
        Refusal(
            "defaults:\n  timeout: 1s\n  count: 2\n  timeout: 2s\n" + oneTarget, line: 4, key: nil,
            "duplicate key 'timeout', already set on line 2; a key may appear only once here"),
        Refusal(
            "defaults: {count: 1, count: 2}\n" + oneTarget, line: 1, key: nil,
            "duplicate key 'count'; a key may appear only once in a mapping"),
        Refusal(
            oneTarget + "---\n" + oneTarget, line: 3, key: nil,
            "the config must be a single YAML document; remove the second '---' and what follows"),
        Refusal("defaults: *missing\n" + oneTarget, line: 1, key: nil, "invalid YAML: found undefined alias"),
    ]

    @Test(arguments: keyRefusals + valueRefusals + targetRefusals + documentRefusals)
    func refusesWithLocatedMessage(_ refusal: Refusal) {
        #expect {
            _ = try ConfigLoader.load(yaml: refusal.yaml, source: "probe.yaml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            #expect(error.source == "probe.yaml")
            #expect(error.line == refusal.line)
            #expect(error.key == refusal.key)
            #expect(error.message == refusal.message)
            return true
        }
    }

    @Test func errorDescriptionIsSourceLineKeyMessage() {
        #expect(
            ConfigError(source: "a.yaml", line: 3, key: "defaults.timeout", message: "m").description
                == "a.yaml:3: defaults.timeout: m")
        #expect(ConfigError(source: "a.yaml", key: "targets", message: "m").description == "a.yaml: targets: m")
        #expect(ConfigError(source: "a.yaml", line: 2, message: "m").description == "a.yaml:2: m")
        #expect(
            ConfigError(source: "<embedded default config>", message: "m").description
                == "<embedded default config>: m")
        #expect(
            ConfigWarning(source: "a.yaml", line: 7, key: "targets[1].timeout", message: "w").description
                == "a.yaml:7: targets[1].timeout: w")
        do {
            _ = try ConfigLoader.load(yaml: "defaults:\n  timout: 5s\n" + Self.oneTarget, source: "probe.yaml")
            Issue.record("accepted a misspelt key")
        } catch {
            #expect("\(error)" == "probe.yaml:2: defaults.timout: unknown key 'timout'; did you mean 'timeout'?")
        }
    }

    // MARK: - Files

    @Test func missingFileNamesTheFileAndTheReason() {
        #expect(
            throws: ConfigError(
                source: "/nonexistent/probe.yaml",
                message: "cannot read the config file: No such file or directory")
        ) {
            try ConfigLoader.load(path: "/nonexistent/probe.yaml")
        }
    }

    @Test func folderIsNotAConfigFile() {
        #expect(throws: ConfigError(source: "/tmp", message: "cannot read the config file: Is a directory")) {
            try ConfigLoader.load(path: "/tmp")
        }
    }

    @Test func nonUTF8FileIsRefusedWithItsLine() throws {
        let path = try Self.temporaryFile(
            Array("targets:\n  - url: https://example.com/\n  # caf".utf8) + [0xE9, 0x0A])
        defer { unlink(path) }
        let expected = ConfigError(source: path, line: 3, message: "the file is not UTF-8 text (a config is YAML text)")
        #expect(throws: expected) {
            try ConfigLoader.load(path: path)
        }
    }

    // MARK: - Warnings

    /// A config that loads with exactly one warning.
    struct Finding: Sendable, CustomTestStringConvertible {
        var yaml: String
        var line: Int
        var key: String
        var message: String
        var testDescription: String { message }
    }

    static let findings: [Finding] = [
        Finding(
            yaml: "defaults:\n  connect_timeout: 5s\n  timeout: 2s\n" + oneTarget, line: 3, key: "defaults.timeout",
            message: "timeout 2s is shorter than connect_timeout 5s; connections are cut off after 2s"),
        Finding(
            yaml: oneTarget + "    timeout: 1500ms\n", line: 3, key: "targets[0].timeout",
            message: "timeout 1.5s is shorter than connect_timeout 5s; connections are cut off after 1.5s"),
        Finding(
            yaml: "defaults:\n  connect_timeout: 1s\n  timeout: 3s\n" + oneTarget + "    connect_timeout: 4s\n",
            line: 6,
            key: "targets[0].connect_timeout",
            message: "timeout 3s is shorter than connect_timeout 4s; connections are cut off after 3s"),
        Finding(
            yaml: "defaults:\n  insecure: true\n  cacert: /etc/ssl/certs/ca-certificates.crt\n" + oneTarget, line: 3,
            key: "defaults.cacert",
            message: "cacert is not used because insecure is true (certificates are not verified)"),
        Finding(
            yaml: "defaults:\n  cacert: /etc/ssl/certs/ca-certificates.crt\n" + oneTarget + "    insecure: yes\n",
            line: 5,
            key: "targets[0].insecure",
            message: "cacert is not used because insecure is true (certificates are not verified)"),
        Finding(
            yaml: oneTarget + "    resolve:\n      - example.com:443:192.0.2.1\n"
                + "      - example.org:443:192.0.2.2\n",
            line: 5, key: "targets[0].resolve[1]",
            message: "pin 'example.org:443:192.0.2.2' is for example.org:443 but the URL is for example.com:443,"
                + " so it is never used"),
        Finding(
            yaml: oneTarget + "    resolve: ['example.com:80:192.0.2.1']\n", line: 3, key: "targets[0].resolve[0]",
            message: "pin 'example.com:80:192.0.2.1' is for example.com:80 but the URL is for example.com:443,"
                + " so it is never used"),
    ]

    @Test(arguments: findings)
    func warnsButLoads(_ finding: Finding) throws {
        let loaded = try ConfigLoader.loadWithWarnings(yaml: finding.yaml, source: "probe.yaml")
        #expect(
            loaded.warnings == [
                ConfigWarning(source: "probe.yaml", line: finding.line, key: finding.key, message: finding.message)
            ])
    }

    @Test func pinsForOtherHostsAreFineWhenRedirectsAreFollowed() throws {
        let yaml = oneTargetWith("    follow_redirects: true\n    resolve: ['www.example.com:443:192.0.2.1']\n")
        #expect(try ConfigLoader.loadWithWarnings(yaml: yaml, source: "t").warnings.isEmpty)
    }

    private func oneTargetWith(_ lines: String) -> String { Self.oneTarget + lines }

    // MARK: - Scalars as YAML resolves them

    @Test func yamlBooleanWordsAndQuotedValues() throws {
        let yaml = """
            site: no
            region: "4"
            defaults:
              insecure: "true"
              follow_redirects: off
              ip_version: "6"
              method: Head
              count: "7"
              expect: 200
            targets:
              - url: https://example.com/
                insecure: Yes
                ip_version: ANY
            """
        let config = try ConfigLoader.load(yaml: yaml, source: "t")
        #expect(config.site == "no")
        #expect(config.region == "4")
        #expect(config.defaults.insecure == true)
        #expect(config.defaults.followRedirects == false)
        #expect(config.defaults.ipVersion == .v6)
        #expect(config.defaults.method == .head)
        #expect(config.defaults.count == 7)
        #expect(config.defaults.expect == StatusSet([200...200]))
        #expect(config.targets[0].insecure == true)
        #expect(config.targets[0].ipVersion == TransferOptions.IPVersion.any)
    }

    // MARK: - Value syntaxes

    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("10s", .seconds(10)), ("1.5s", .milliseconds(1_500)),
        ("5m", .seconds(300)), ("1h", .seconds(3_600)), ("2d", .seconds(172_800)), ("0ms", .zero),
        ("0.25ms", .microseconds(250)), (" 2 s ", .seconds(2)), (".5s", .milliseconds(500)),
    ])
    func durations(_ text: String, _ expected: Duration) {
        #expect(ConfigValues.duration(text) == expected)
    }

    @Test(arguments: ["10", "1.5", "abc", "", "s", "10sec", "1e3ms", "-1s", "1..5s", "1.s", "5 m s", "99999999999999d"])
    func refusedDurations(_ text: String) {
        #expect(ConfigValues.duration(text) == nil)
    }

    @Test(arguments: [
        ("512", Int64(512)), ("512B", 512), ("64KiB", 65_536), ("1MiB", 1_048_576), ("1GiB", 1_073_741_824),
        ("10kB", 10_000), ("5MB", 5_000_000), ("2GB", 2_000_000_000), ("1.5MiB", 1_572_864), ("64 kib", 65_536),
    ])
    func sizes(_ text: String, _ expected: Int64) {
        #expect(ConfigValues.size(text) == expected)
    }

    @Test(arguments: ["1.5", "abc", "10XB", "-1", "", "99999999999TiB"])
    func refusedSizes(_ text: String) {
        #expect(ConfigValues.size(text) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(10), "10s"), (.milliseconds(500), "500ms"), (.milliseconds(1_500), "1.5s"),
        (.seconds(300), "5m"), (.seconds(7_200), "2h"), (.seconds(86_400 * 30), "30d"), (.seconds(90), "90s"),
        (.microseconds(250), "0.25ms"), (.zero, "0s"),
    ])
    func durationText(_ duration: Duration, _ expected: String) {
        #expect(ConfigValues.text(duration) == expected)
        #expect(ConfigValues.duration(expected) == duration)
    }

    @Test func otherValueSyntaxes() {
        #expect(ConfigValues.bool("ON") == true)
        #expect(ConfigValues.bool("no") == false)
        #expect(ConfigValues.bool("1") == nil)
        #expect(ConfigValues.ipVersion("any") == .any)
        #expect(ConfigValues.ipVersion("4") == .v4)
        #expect(ConfigValues.ipVersion("ipv4") == nil)
        #expect(ConfigValues.method("head") == .head)
        #expect(ConfigValues.method("POST") == nil)
        #expect(ConfigValues.resolveEntryProblem("example.com:443:192.0.2.1") == nil)
        #expect(ConfigValues.resolveEntryProblem("example.com:443:2001:db8::1") == nil)
        #expect(ConfigValues.resolveEntryProblem("example.com:443:[2001:db8::1],192.0.2.1") == nil)
        #expect(
            ConfigValues.resolveEntryProblem("example.com:0:192.0.2.1")
                == "invalid port '0' in 'example.com:0:192.0.2.1': expected 1 to 65535")
        #expect(
            ConfigValues.resolveEntryProblem(":443:192.0.2.1")
                == "expected HOST:PORT:ADDRESS like 'example.com:443:192.0.2.10', got ':443:192.0.2.1'")
    }

    // MARK: - Helpers

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "config-loader-\(UUID().uuidString).yaml"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
