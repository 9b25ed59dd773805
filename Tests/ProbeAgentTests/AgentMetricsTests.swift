import Foundation
import ProbeAgent
import ProbeCore
import TestSupport
import Testing

/// The agent's series: names, labels and values after recording samples, the histogram's buckets, removal of
/// a target's series, health, and a clean `promtool check metrics`.
@Suite("agent metrics")
struct AgentMetricsTests {
    @Test("samples, errors, success and phases per (target, path, path type) match the recorded samples")
    func perPathSeries() throws {
        let samples = SampleSynthesizer.twoPaths(rounds: 20, count: 3, seed: 7).samples()
        let metrics = AgentMetrics(version: "1.2.3")
        metrics.record(samples)
        let exposition = Exposition(metrics.exposition())

        let byPath = Dictionary(grouping: samples) { "\($0.target)|\($0.path.name)|\($0.path.type.rawValue)" }
        #expect(byPath.count == 4)
        for (_, group) in byPath {
            let first = group[0]
            let labels =
                #"target="\#(first.target)",path="\#(first.path.name)",path_type="\#(first.path.type.rawValue)""#
            let ok = group.count { $0.ok }
            #expect(exposition[#"peering_probe_samples_total{\#(labels),result="ok"}"#] == Double(ok))
            #expect(exposition[#"peering_probe_samples_total{\#(labels),result="failed"}"#] == Double(group.count - ok))
            let last = group.last!
            #expect(exposition["peering_probe_success{\(labels)}"] == (last.ok ? 1 : 0))
            let phases = [
                ("dns", last.phases.dns), ("connect", last.phases.connect), ("tls", last.phases.tls),
                ("request", last.phases.request), ("wait", last.phases.wait), ("transfer", last.phases.transfer),
            ]
            for (phase, value) in phases {
                let series = #"peering_probe_phase_seconds{\#(labels),phase="\#(phase)"}"#
                if let value {
                    #expect(exposition[series] == Double(value) / 1_000_000, "\(series)")
                } else {
                    #expect(exposition[series]?.isNaN == true, "\(series)")
                }
            }
            let timeouts = group.count { $0.error?.kind == .timeout }
            let errors =
                #"peering_probe_errors_total{target="\#(first.target)",path="\#(first.path.name)",kind="timeout"}"#
            #expect(exposition[errors] == (timeouts == 0 ? nil : Double(timeouts)))
        }
        #expect(exposition.series(named: "peering_probe_samples_total").count == 8)
        #expect(exposition[#"peering_probe_build_info{version="1.2.3"}"#] == 1)
        #expect(exposition.comments.contains("# TYPE peering_probe_duration_seconds histogram"))
        #expect(exposition.comments.contains("# TYPE peering_probe_samples_total counter"))
        #expect(exposition.comments.contains("# TYPE peering_probe_phase_seconds gauge"))
    }

    @Test("the duration histogram counts answered samples into buckets from 1 ms to 10 s, bounds inclusive")
    func histogramBuckets() throws {
        let metrics = AgentMetrics(version: "test")
        let totals: [Int64] = [500, 1_000, 1_001, 2_500, 99_999, 100_000, 10_000_000, 10_000_001]
        var samples = totals.map { metricsSample(phases: Phases(total: $0)) }
        // No answer: counted as a sample and an error, not as a duration.
        samples.append(
            metricsSample(
                ok: false, status: nil, phases: Phases(dns: 900, total: 5_000_000),
                error: SampleError(kind: .timeout, code: 28, message: "timed out")))
        // An unexpected status is an answer: its time counts.
        samples.append(
            metricsSample(
                ok: false, status: 503, phases: Phases(total: 20_000),
                error: SampleError(kind: .http, code: nil, message: "503")))
        metrics.record(samples)
        let exposition = Exposition(metrics.exposition())
        let labels = #"target="login",path="isp-a",path_type="peering-service""#
        let expected: [(String, Int)] = [
            ("0.001", 2), ("0.0025", 4), ("0.005", 4), ("0.01", 4), ("0.025", 5), ("0.05", 5), ("0.1", 7),
            ("0.25", 7), ("0.5", 7), ("1.0", 7), ("2.5", 7), ("5.0", 7), ("10.0", 8), ("+Inf", 9),
        ]
        #expect(
            AgentMetrics.durationBuckets == [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
        for (bound, count) in expected {
            let series = #"peering_probe_duration_seconds_bucket{\#(labels),le="\#(bound)"}"#
            #expect(exposition.values[series] == String(count), "\(series)")
        }
        #expect(exposition.series(named: "peering_probe_duration_seconds_bucket").count == expected.count)
        #expect(exposition["peering_probe_duration_seconds_count{\(labels)}"] == 9)
        let sum = Double(totals.reduce(0, +) + 20_000) / 1_000_000
        let written = try #require(exposition["peering_probe_duration_seconds_sum{\(labels)}"])
        #expect(abs(written - sum) < 1e-9)
        #expect(exposition[#"peering_probe_samples_total{\#(labels),result="ok"}"#] == 8)
        #expect(exposition[#"peering_probe_samples_total{\#(labels),result="failed"}"#] == 2)
        #expect(exposition[#"peering_probe_errors_total{target="login",path="isp-a",kind="timeout"}"#] == 1)
        #expect(exposition[#"peering_probe_errors_total{target="login",path="isp-a",kind="http"}"#] == 1)
    }

    @Test("a phase appears with the first sample that has it and reads NaN when a later sample lacks it")
    func missingPhases() {
        let metrics = AgentMetrics(version: "test")
        let http = Phases(dns: 1_000, connect: 2_000, request: 50, wait: 3_000, transfer: 100, total: 6_150)
        metrics.record([metricsSample(path: "plain", phases: http)])
        var exposition = Exposition(metrics.exposition())
        let plain = #"target="login",path="plain",path_type="peering-service""#
        #expect(exposition[#"peering_probe_phase_seconds{\#(plain),phase="connect"}"#] == 0.002)
        #expect(exposition.values[#"peering_probe_phase_seconds{\#(plain),phase="tls"}"#] == nil)

        metrics.record([metricsSample()])
        metrics.record([
            metricsSample(
                ok: false, status: nil, phases: Phases(dns: 1_500, total: 3_000),
                error: SampleError(kind: .connect, code: 7, message: "refused"))
        ])
        exposition = Exposition(metrics.exposition())
        let tls = #"target="login",path="isp-a",path_type="peering-service""#
        #expect(exposition[#"peering_probe_phase_seconds{\#(tls),phase="dns"}"#] == 0.0015)
        for phase in ["connect", "tls", "request", "wait", "transfer"] {
            #expect(exposition[#"peering_probe_phase_seconds{\#(tls),phase="\#(phase)"}"#]?.isNaN == true, "\(phase)")
        }
        #expect(exposition["peering_probe_success{\(tls)}"] == 0)
    }

    @Test("removing a target removes every series it had and keeps the others")
    func removeTarget() throws {
        let metrics = AgentMetrics(version: "test")
        metrics.record(SampleSynthesizer.twoPaths(rounds: 5, seed: 3).samples())
        metrics.record([
            metricsSample(
                target: "graph", ok: false, status: nil, phases: Phases(total: 10),
                error: SampleError(kind: .dns, code: 6, message: "no name"))
        ])
        for target in ["login", "graph"] {
            metrics.roundFinished(target: target, wallClockSeconds: 1_795_000_000.5, monotonicMicroseconds: 1)
            metrics.roundOverran(target: target)
        }
        metrics.setSchedule([
            "login": RoundSchedule(interval: .seconds(60), agent: "a", target: "login", start: 0),
            "graph": RoundSchedule(interval: .seconds(60), agent: "a", target: "graph", start: 0),
        ])
        let before = Exposition(metrics.exposition())
        #expect(before.values.keys.contains { $0.contains(#"target="graph""#) })
        #expect(before.values.keys.count { $0.contains(#"target="login""#) } > 30)

        metrics.removeTarget("graph")
        let after = Exposition(metrics.exposition())
        let left = after.values.keys.filter { $0.contains(#"target="graph""#) }
        #expect(left.isEmpty, "\(left)")
        let kept = before.values.keys.filter { !$0.contains(#"target="graph""#) }
        #expect(Set(after.values.keys) == Set(kept))
        #expect(after.values[#"peering_probe_errors_total{target="graph",path="isp-a",kind="dns"}"#] == nil)
        #expect(after[#"peering_probe_rounds_total{target="login"}"#] == 1)
        // A target no longer watched does not count for health.
        #expect(metrics.staleTargets(at: Int64(1_000) * 60_000_000) == ["login"])
    }

    @Test("rounds, overruns, last round time and the agent-wide series")
    func roundsAndAgent() {
        let metrics = AgentMetrics(version: "0.1.0")
        var exposition = Exposition(metrics.exposition())
        for name in [
            "peering_probe_batches_finished_total", "peering_probe_samples_dropped_total",
            "peering_probe_retention_deleted_total", "peering_probe_samples_buffered",
            "peering_probe_config_last_reload_successful", "peering_probe_config_last_reload_success_timestamp_seconds",
        ] {
            #expect(exposition[name] == 0, "\(name) exists from the start")
        }
        metrics.setSchedule(["login": RoundSchedule(interval: .seconds(1), agent: "a", target: "login", start: 0)])
        exposition = Exposition(metrics.exposition())
        #expect(exposition[#"peering_probe_rounds_total{target="login"}"#] == 0)
        #expect(exposition[#"peering_probe_round_overruns_total{target="login"}"#] == 0)
        #expect(exposition.values[#"peering_probe_last_round_timestamp_seconds{target="login"}"#] == nil)

        metrics.configReloaded(successful: true, wallClockSeconds: 1_795_000_000)
        metrics.roundFinished(target: "login", wallClockSeconds: 1_795_000_001.25, monotonicMicroseconds: 5)
        metrics.roundFinished(target: "login", wallClockSeconds: 1_795_000_002.5, monotonicMicroseconds: 6)
        metrics.roundOverran(target: "login")
        metrics.batchFinished()
        metrics.batchFinished()
        metrics.samplesDropped(7)
        metrics.retentionDeleted(3)
        metrics.setBuffered(42)
        metrics.configReloaded(successful: false, wallClockSeconds: 1_795_000_100)
        exposition = Exposition(metrics.exposition())
        #expect(exposition[#"peering_probe_rounds_total{target="login"}"#] == 2)
        #expect(exposition[#"peering_probe_round_overruns_total{target="login"}"#] == 1)
        #expect(exposition[#"peering_probe_last_round_timestamp_seconds{target="login"}"#] == 1_795_000_002.5)
        #expect(exposition["peering_probe_batches_finished_total"] == 2)
        #expect(exposition["peering_probe_samples_dropped_total"] == 7)
        #expect(exposition["peering_probe_retention_deleted_total"] == 3)
        #expect(exposition["peering_probe_samples_buffered"] == 42)
        #expect(exposition["peering_probe_config_last_reload_successful"] == 0)
        #expect(exposition["peering_probe_config_last_reload_success_timestamp_seconds"] == 1_795_000_000)
        #expect(exposition[#"peering_probe_build_info{version="0.1.0"}"#] == 1)
    }

    @Test("the run series for a textfile leave out the agent's process series")
    func runSeries() throws {
        let samples = SampleSynthesizer.twoPaths(rounds: 1, count: 2).samples()
        let metrics = AgentMetrics.forRun(samples, version: "0.1.0", wallClockSeconds: 1_795_000_000)
        let exposition = Exposition(metrics.exposition())
        #expect(exposition[#"peering_probe_rounds_total{target="login"}"#] == 1)
        #expect(exposition[#"peering_probe_rounds_total{target="graph"}"#] == 1)
        #expect(exposition[#"peering_probe_last_round_timestamp_seconds{target="graph"}"#] == 1_795_000_000)
        #expect(exposition.series(named: "peering_probe_samples_total").count == 8)
        #expect(exposition.series(named: "peering_probe_batches_finished_total").isEmpty)
        #expect(exposition.series(named: "peering_probe_config_last_reload_successful").isEmpty)
        #expect(exposition[#"peering_probe_build_info{version="0.1.0"}"#] == 1)
    }

    @Test("healthy while every watched target's last round is younger than three intervals")
    func health() {
        let metrics = AgentMetrics(version: "test")
        #expect(metrics.isHealthy(at: 0))
        let start: Int64 = 1_000_000_000
        let fast = RoundSchedule(interval: .seconds(1), agent: "a", target: "fast", start: start)
        let slow = RoundSchedule(interval: .seconds(60), agent: "a", target: "slow", start: start)
        metrics.setSchedule(["fast": fast, "slow": slow])
        // Before a first round, a target counts from its first slot.
        #expect(metrics.isHealthy(at: fast.firstSlot + 2_999_999))
        #expect(metrics.staleTargets(at: fast.firstSlot + 3_000_000) == ["fast"])
        #expect(!metrics.isHealthy(at: fast.firstSlot + 3_000_000))
        let finished = fast.firstSlot + 3_500_000
        metrics.roundFinished(target: "fast", wallClockSeconds: 1, monotonicMicroseconds: finished)
        #expect(metrics.isHealthy(at: finished + 2_999_999))
        #expect(metrics.staleTargets(at: finished + 3_000_000) == ["fast"])
        #expect(metrics.staleTargets(at: slow.firstSlot + 180_000_000) == ["fast", "slow"])
        // A reload that drops a target stops watching it.
        metrics.setSchedule(["slow": slow])
        #expect(metrics.isHealthy(at: finished + 3_000_000))
    }

    /// Debian's `prometheus` package ships promtool; Scripts/test installs it.
    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    @Test(
        "promtool check metrics finds nothing to lint in the exposition",
        .enabled(if: promtool != nil, "promtool is not installed (apt-get install prometheus)"))
    func promtoolLint() throws {
        let promtool = try #require(Self.promtool)
        let metrics = AgentMetrics(version: "0.1.0")
        metrics.setSchedule(["login": RoundSchedule(interval: .seconds(60), agent: "a", target: "login", start: 0)])
        metrics.record(SampleSynthesizer.twoPaths(rounds: 3).samples())
        metrics.record([metricsSample(path: "plain", phases: Phases(dns: 10, connect: 20, wait: 30, total: 60))])
        metrics.roundFinished(target: "login", wallClockSeconds: 1_795_000_000, monotonicMicroseconds: 1)
        metrics.configReloaded(successful: true, wallClockSeconds: 1_795_000_000)
        let bytes = metrics.exposition()
        let result = try CommandRunner(path: promtool).run(["check", "metrics"], standardInput: Data(bytes))
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.isEmpty, "\(result.standardOutput)")
        #expect(result.standardError.isEmpty, "\(result.standardError)")
    }
}
