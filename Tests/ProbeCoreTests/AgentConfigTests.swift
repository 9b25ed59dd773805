import CurlKit
import Testing

@testable import ProbeCore

/// The continuous agent's config keys (`schedule`, `metrics`, `output.retention_size`, `output.buffer`, a
/// target's `interval`): good values, defaults, every refusal with file, line and key, and the schedule warning.
@Suite struct AgentConfigTests {
    private static let oneTarget = "targets:\n  - url: http://127.0.0.1:1/\n"

    /// The error `yaml` is refused with; fails the test when it loads.
    private func refusal(_ yaml: String) -> ConfigError? {
        do {
            _ = try ConfigLoader.load(yaml: yaml, source: "agent.yaml")
            Issue.record("loaded: \(yaml)")
            return nil
        } catch {
            return error
        }
    }

    @Test("Every agent key is read, and a target's interval wins over schedule.interval in its spec")
    func goodValues() throws {
        let yaml = """
            schedule:
              interval: 30s
              egress_discovery: 2m
            metrics:
              listen: :9100
            output:
              retention: 7d
              retention_size: 2GiB
              buffer: 5_000
            targets:
              - url: http://127.0.0.1:1/
              - url: http://127.0.0.2:1/
                interval: 250ms
            """
        let loaded = try ConfigLoader.loadWithWarnings(yaml: yaml, source: "agent.yaml")
        #expect(loaded.warnings.isEmpty)
        let config = loaded.config
        #expect(config.schedule == ScheduleSettings(interval: .seconds(30), egressDiscovery: .seconds(120)))
        #expect(config.metrics.listen?.host == "127.0.0.1")
        #expect(config.metrics.listen?.port == 9100)
        #expect(config.output.retention == .seconds(7 * 86_400))
        #expect(config.output.retentionSize == 2 << 30)
        #expect(config.output.bufferSamples == 5_000)
        #expect(config.targets.map(\.interval) == [nil, .milliseconds(250)])
        #expect(config.targetSpecs().map(\.interval) == [.seconds(30), .milliseconds(250)])
    }

    @Test("Without the keys: a 60s interval, no metrics, no size limit, a buffer of 100000 samples")
    func defaults() throws {
        let config = try ConfigLoader.load(yaml: Self.oneTarget, source: "agent.yaml")
        #expect(config.schedule.interval == .seconds(60))
        #expect(config.schedule.egressDiscovery == .seconds(300))
        #expect(config.metrics.listen == nil)
        #expect(config.output.retentionSize == nil)
        #expect(config.output.bufferSamples == 100_000)
        #expect(config.targets.first?.interval == nil)
        #expect(config.targetSpecs().first?.interval == .seconds(60))
        let empty = try ConfigLoader.load(yaml: "schedule:\nmetrics:\n" + Self.oneTarget, source: "agent.yaml")
        #expect(empty.schedule == ScheduleSettings())
        #expect(empty.metrics == MetricsSettings())
    }

    @Test("The bounds themselves are accepted")
    func bounds() throws {
        let low = try ConfigLoader.load(
            yaml: "schedule:\n  interval: 100ms\noutput:\n  retention_size: 1MiB\n  buffer: 1\n" + Self.oneTarget,
            source: "agent.yaml")
        #expect(low.schedule.interval == ConfigLimits.interval.lowerBound)
        #expect(low.output.retentionSize == ConfigLimits.retentionSize.lowerBound)
        #expect(low.output.bufferSamples == ConfigLimits.buffer.lowerBound)
        let high = try ConfigLoader.load(
            yaml: "schedule:\n  interval: 1d\noutput:\n  retention_size: 1024TiB\n  buffer: 10000000\n"
                + Self.oneTarget + "    interval: 24h\n",
            source: "agent.yaml")
        #expect(high.schedule.interval == ConfigLimits.interval.upperBound)
        #expect(high.targets.first?.interval == ConfigLimits.interval.upperBound)
        #expect(high.output.retentionSize == ConfigLimits.retentionSize.upperBound)
        #expect(high.output.bufferSamples == ConfigLimits.buffer.upperBound)
    }

    @Test(
        "A bad value is refused at its file, line and key",
        arguments: [
            ("schedule:\n  interval: 50ms\n", 2, "schedule.interval", "must be from 100ms to 1d, got '50ms'"),
            ("schedule:\n  interval: 2d\n", 2, "schedule.interval", "must be from 100ms to 1d, got '2d'"),
            (
                "schedule:\n  egress_discovery: 500ms\n", 2, "schedule.egress_discovery",
                "must be from 1s to 1d, got '500ms'"
            ),
            (
                "schedule:\n  interval: 10\n", 2, "schedule.interval",
                "expected a duration like 500ms or 10s, got '10'; add a unit: ms, s, m, h or d"
            ),
            (
                "schedule:\n  every: 10s\n", 2, "schedule.every",
                "unknown key 'every'; expected one of: interval, egress_discovery"
            ),
            (
                "schedule: 10s\n", 1, "schedule",
                "expected a mapping with the keys 'interval' and 'egress_discovery', got '10s'"
            ),
            (
                "interval: 10s\n", 1, "interval",
                "unknown key 'interval'; it belongs under 'schedule' or in a target"
            ),
            (
                "defaults:\n  interval: 10s\n", 2, "defaults.interval",
                "unknown key 'interval'; it belongs under 'schedule' or in a target"
            ),
            (
                "metrics:\n  listen: 9100\n", 2, "metrics.listen",
                "expected HOST:PORT like 127.0.0.1:9100, :9100 or [::1]:9100, got '9100'; a port alone is written :9100"
            ),
            (
                "metrics:\n  listen: ':99999'\n", 2, "metrics.listen",
                "invalid port '99999' in ':99999': expected 0 to 65535 (0 picks a free port)"
            ),
            (
                "metrics:\n  listen: example.com:9100\n", 2, "metrics.listen",
                "host 'example.com' in 'example.com:9100' must be an IPv4 address, an IPv6 address in brackets or"
                    + " localhost"
            ),
            (
                "metrics:\n  listen: '::1:9100'\n", 2, "metrics.listen",
                "expected HOST:PORT like 127.0.0.1:9100, :9100 or [::1]:9100, got '::1:9100'; put an IPv6 address"
                    + " in brackets, like [::1]:9100"
            ),
            (
                "metrics:\n  listen:\n", 2, "metrics.listen",
                "expected HOST:PORT like 127.0.0.1:9100, :9100 or [::1]:9100, got an empty value"
            ),
            (
                "metrics:\n  port: 9100\n", 2, "metrics.port",
                "unknown key 'port'; expected one of: listen"
            ),
            ("listen: :9100\n", 1, "listen", "unknown key 'listen'; it belongs under 'metrics'"),
            (
                "output:\n  retention_size: 512KiB\n", 2, "output.retention_size",
                "must be from 1MiB to 1024TiB, got '512KiB'"
            ),
            (
                "output:\n  retention_size: lots\n", 2, "output.retention_size",
                "expected a size in bytes like 512, 64KiB, 1MiB or 5MB, got 'lots'"
            ),
            ("output:\n  buffer: 0\n", 2, "output.buffer", "must be from 1 to 10000000, got 0"),
            ("output:\n  buffer: 10000001\n", 2, "output.buffer", "must be from 1 to 10000000, got 10000001"),
            ("output:\n  buffer: 1k\n", 2, "output.buffer", "expected a whole number, got '1k'"),
            ("buffer: 10\n", 1, "buffer", "unknown key 'buffer'; it belongs under 'output'"),
        ])
    func refusals(yaml: String, line: Int, key: String, message: String) {
        let error = refusal(yaml + Self.oneTarget)
        #expect(error?.source == "agent.yaml")
        #expect(error?.line == line)
        #expect(error?.key == key)
        #expect(error?.message == message)
    }

    @Test("A target's interval out of range is refused at its key")
    func targetInterval() {
        let error = refusal(Self.oneTarget + "    count: 1\n    interval: 10ms\n")
        #expect(error?.line == 4)
        #expect(error?.key == "targets[0].interval")
        #expect(error?.message == "must be from 100ms to 1d, got '10ms'")
    }

    @Test("A target whose count x spacing + timeout exceeds its interval is warned about, at its line and key")
    func scheduleWarning() throws {
        let yaml = """
            schedule:
              interval: 5s
            targets:
              - url: http://127.0.0.1:1/
                timeout: 4s
              - url: http://127.0.0.2:1/
                count: 5
                spacing: 1s
                timeout: 1s
              - url: http://127.0.0.3:1/
                interval: 20s
                timeout: 20s
              - url: http://127.0.0.4:1/
                interval: 1m
                timeout: 20s
            """
        let config = try ConfigLoader.load(yaml: yaml, source: "agent.yaml")
        let warnings = config.scheduleWarnings()
        #expect(warnings.map(\.line) == [6, 10])
        #expect(warnings.map(\.key) == ["targets[1]", "targets[2]"])
        #expect(warnings.allSatisfy { $0.source == "agent.yaml" })
        #expect(
            warnings.first?.message
                == "target '127.0.0.2': a round can take count x spacing + timeout = 5 x 1s + 1s = 6s, longer than"
                + " schedule.interval 5s; such rounds overrun and the next one starts at the next free slot")
        #expect(
            warnings.last?.description
                == "agent.yaml:10: targets[2]: target '127.0.0.3': a round can take count x spacing + timeout ="
                + " 3 x 100ms + 20s = 20.3s, longer than its interval 20s; such rounds overrun and the next one"
                + " starts at the next free slot")
    }

    @Test("The default config's schedule is clean")
    func defaultScheduleIsClean() throws {
        let config = try ConfigLoader.load(yaml: Self.oneTarget, source: "agent.yaml")
        #expect(config.scheduleWarnings().isEmpty)
    }

    @Test(
        "Listen addresses parse and print back with brackets around IPv6",
        arguments: [
            (":9100", "127.0.0.1", 9100, "127.0.0.1:9100"),
            ("127.0.0.1:0", "127.0.0.1", 0, "127.0.0.1:0"),
            ("0.0.0.0:65535", "0.0.0.0", 65_535, "0.0.0.0:65535"),
            ("[::1]:9100", "::1", 9100, "[::1]:9100"),
            ("[::]:80", "::", 80, "[::]:80"),
            ("[2001:db8::1]:9100", "2001:db8::1", 9100, "[2001:db8::1]:9100"),
            ("localhost:9100", "localhost", 9100, "localhost:9100"),
            ("LocalHost:9100", "localhost", 9100, "localhost:9100"),
        ])
    func listenAddress(text: String, host: String, port: Int, description: String) throws {
        let address = try #require(ListenAddress(text))
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == description)
        #expect(ListenAddress(address.description) == address)
    }

    @Test(
        "Malformed listen addresses are refused",
        arguments: [
            "", "9100", ":", "127.0.0.1", "127.0.0.1:", ":65536", ":-1", ":+80", ": 80", ":80x", "::1:9100",
            "[::1]", "[::1]9100", "[::1:9100", "[127.0.0.1]:80", "[example.com]:80", "example.com:80",
            "256.0.0.1:80", ":0000009100",
        ])
    func badListenAddress(text: String) {
        #expect(ListenAddress(text) == nil)
    }
}
