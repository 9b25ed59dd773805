public import ProbeCore
internal import Prometheus
internal import Synchronization

/// Every Prometheus series of the agent, named and labelled as blackbox_exporter users expect, over one
/// swift-prometheus registry; ``exposition()`` renders them in the text format 0.0.4 for `/metrics`.
///
/// The agent calls ``record(_:)`` with the samples of each finished round, then
/// ``roundFinished(target:wallClockSeconds:monotonicMicroseconds:)``; the spool reports through
/// ``batchFinished()``, ``samplesDropped(_:)``, ``retentionDeleted(_:)`` and ``setBuffered(_:)``; start and
/// SIGHUP through ``configReloaded(successful:wallClockSeconds:)``, ``setSchedule(_:)`` and ``removeTarget(_:)``.
/// All methods are safe to call from any thread.
///
/// Per sample (labels `target`, `path`, `path_type`):
/// - `peering_probe_phase_seconds{phase}`: the last sample's phases `dns`, `connect`, `tls`, `request`, `wait`
///   and `transfer` (``Phases``). A phase's series appears with the first sample that has the phase; when a
///   later sample lacks it (`tls` on `http://`, the phases after a failure), it reads NaN, so the gauge never
///   shows a value the last sample did not measure.
/// - `peering_probe_success`: 1 when the last sample was `ok`, else 0.
/// - `peering_probe_duration_seconds`: histogram of `total` of every answered sample (one with an HTTP status,
///   as the report's latency statistics count them), buckets ``durationBuckets``. A probe that got no answer is
///   counted in `peering_probe_samples_total{result="failed"}` and `peering_probe_errors_total`, not here, so
///   timeouts do not pose as latency.
/// - `peering_probe_samples_total{result="ok|failed"}`, `peering_probe_errors_total{kind}` (labels `target`,
///   `path`, `kind`: the ``SampleError/Kind``).
///
/// Per target: `peering_probe_rounds_total`, `peering_probe_round_overruns_total`,
/// `peering_probe_last_round_timestamp_seconds`. Per agent: `peering_probe_batches_finished_total`,
/// `peering_probe_samples_dropped_total`, `peering_probe_retention_deleted_total`, `peering_probe_samples_buffered`,
/// `peering_probe_config_last_reload_successful`, `peering_probe_config_last_reload_success_timestamp_seconds`
/// and `peering_probe_build_info{version}` (always 1).
public final class AgentMetrics: Sendable {
    /// Upper bounds of `peering_probe_duration_seconds`, in seconds: 1 ms to 10 s.
    public static let durationBuckets: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    /// The `phase` label values of `peering_probe_phase_seconds`, in the order of a transfer.
    public static let phaseNames = ["dns", "connect", "tls", "request", "wait", "transfer"]

    private let registry = PrometheusCollectorRegistry()
    private let state: Mutex<MetricsState>
    private let agent: AgentSeries?

    /// Makes the series of an agent running `version`. With `agentSeries` false (for `probe --textfile`), only
    /// the per-sample and per-target series and `peering_probe_build_info` are exposed, not the ones about the
    /// agent's process (batches, buffer, drops, retention, config reloads). The agent's counters and gauges
    /// start at 0; call ``configReloaded(successful:wallClockSeconds:)`` once the config has loaded at start.
    public init(version: String, agentSeries: Bool = true) {
        state = Mutex(MetricsState())
        let build = registry.makeGauge(descriptor: Descriptors.buildInfo, labels: [("version", version)])
        build.set(to: 1)
        agent = agentSeries ? AgentSeries(registry: registry) : nil
    }

    // MARK: Samples and rounds

    /// Records the samples of a finished round (or any samples, in the order they were taken): the last
    /// sample's phases and success per path, the duration histogram, the sample and error counters.
    public func record(_ samples: some Sequence<Sample>) {
        state.withLock { state in
            for sample in samples {
                let key = PathKey(target: sample.target, path: sample.path.name, type: sample.path.type.rawValue)
                let series = pathSeries(key, in: &state)
                setPhases(sample.phases, key: key, series: series, state: &state)
                series.success.set(to: sample.ok ? 1 : 0)
                (sample.ok ? series.ok : series.failed).increment()
                if sample.status != nil, let total = sample.phases.total {
                    series.duration.record(Double(total) / 1_000_000)
                }
                if let kind = sample.error?.kind {
                    errorCounter(target: sample.target, path: sample.path.name, kind: kind, in: &state).increment()
                }
            }
        }
    }

    /// Counts a finished round of `target`: `peering_probe_rounds_total` goes up by one, and
    /// `peering_probe_last_round_timestamp_seconds` becomes `wallClockSeconds` (Unix time). The round's
    /// monotonic finish time (the clock of ``RoundSchedule``, microseconds) is what ``isHealthy(at:)`` checks.
    public func roundFinished(target: String, wallClockSeconds: Double, monotonicMicroseconds: Int64) {
        state.withLock { state in
            let series = targetSeries(target, in: &state)
            series.rounds.increment()
            let gauge =
                state.lastRoundGauges[target]
                ?? registry.makeGauge(descriptor: Descriptors.lastRound, labels: [("target", target)])
            state.lastRoundGauges[target] = gauge
            gauge.set(to: wallClockSeconds)
            state.lastRounds[target] = monotonicMicroseconds
        }
    }

    /// Counts a round of `target` that overran its interval (`peering_probe_round_overruns_total`).
    public func roundOverran(target: String) {
        state.withLock { state in targetSeries(target, in: &state).overruns.increment() }
    }

    /// Removes every series of `target` (its paths, errors, rounds and health), for a target a reload removed.
    /// Call it after the target's last round was recorded: a later ``record(_:)`` would bring its series back.
    public func removeTarget(_ target: String) {
        state.withLock { state in
            for key in state.paths.keys where key.target == target {
                guard let series = state.paths.removeValue(forKey: key) else { continue }
                for gauge in series.phases.compactMap({ $0 }) { registry.unregisterGauge(gauge) }
                registry.unregisterGauge(series.success)
                registry.unregisterValueHistogram(series.duration)
                registry.unregisterCounter(series.ok)
                registry.unregisterCounter(series.failed)
            }
            for key in state.errors.keys where key.target == target {
                if let counter = state.errors.removeValue(forKey: key) { registry.unregisterCounter(counter) }
            }
            if let series = state.targets.removeValue(forKey: target) {
                registry.unregisterCounter(series.rounds)
                registry.unregisterCounter(series.overruns)
            }
            if let gauge = state.lastRoundGauges.removeValue(forKey: target) { registry.unregisterGauge(gauge) }
            state.lastRounds.removeValue(forKey: target)
            state.schedules.removeValue(forKey: target)
        }
    }

    // MARK: The agent

    /// Counts a finished batch (`peering_probe_batches_finished_total`).
    public func batchFinished() {
        agent?.batchesFinished.increment()
    }

    /// Counts samples dropped because the memory buffer was full (`peering_probe_samples_dropped_total`).
    public func samplesDropped(_ count: Int) {
        agent?.samplesDropped.increment(by: Int64(max(0, count)))
    }

    /// Counts batch files deleted by retention (`peering_probe_retention_deleted_total`).
    public func retentionDeleted(_ count: Int) {
        agent?.retentionDeleted.increment(by: Int64(max(0, count)))
    }

    /// Sets the number of samples waiting in memory for the disk (`peering_probe_samples_buffered`).
    public func setBuffered(_ count: Int) {
        agent?.buffered.set(to: Double(count))
    }

    /// Records a config load: at start (successful) and on every SIGHUP. `peering_probe_config_last_reload_successful`
    /// becomes 1 or 0; a successful one also sets `peering_probe_config_last_reload_success_timestamp_seconds` to
    /// `wallClockSeconds` (Unix time), as blackbox_exporter does.
    public func configReloaded(successful: Bool, wallClockSeconds: Double) {
        agent?.reloadSuccessful.set(to: successful ? 1 : 0)
        if successful { agent?.reloadTimestamp.set(to: wallClockSeconds) }
    }

    // MARK: Health

    /// Sets the targets `GET /-/healthy` watches, each with its schedule (from start, and after each successful
    /// reload). A target missing from `schedules` is no longer watched; one that has not finished a round yet
    /// counts from its first slot. Each target's round counters are created at 0 here, so `rate()` and
    /// `increase()` see them from the start.
    public func setSchedule(_ schedules: [String: RoundSchedule]) {
        state.withLock { state in
            state.schedules = schedules
            for target in schedules.keys { _ = targetSeries(target, in: &state) }
        }
    }

    /// The watched targets whose last round finished three intervals or more before `now` (monotonic
    /// microseconds, the clock of ``RoundSchedule``), sorted. A target that has not finished a round yet counts
    /// from its first slot, so it has three intervals from then to finish one.
    public func staleTargets(at now: Int64) -> [String] {
        state.withLock { state in
            state.schedules.compactMap { target, schedule in
                let since = state.lastRounds[target] ?? schedule.firstSlot
                return now - since >= 3 * schedule.interval ? target : nil
            }.sorted()
        }
    }

    /// Whether every watched target's last round is younger than three of its intervals at `now` (monotonic
    /// microseconds): what `GET /-/healthy` answers. True when no target is watched.
    public func isHealthy(at now: Int64) -> Bool {
        staleTargets(at: now).isEmpty
    }

    // MARK: Exposition

    /// Every series in the Prometheus text exposition format 0.0.4, as served at `/metrics`.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    // MARK: Internals

    private func pathSeries(_ key: PathKey, in state: inout MetricsState) -> PathSeries {
        if let series = state.paths[key] { return series }
        let labels = key.labels
        let series = PathSeries(
            phases: Array(repeating: nil, count: Self.phaseNames.count),
            success: registry.makeGauge(descriptor: Descriptors.success, labels: labels),
            duration: registry.makeValueHistogram(
                descriptor: Descriptors.duration, labels: labels, buckets: Self.durationBuckets),
            ok: registry.makeCounter(descriptor: Descriptors.samples, labels: labels + [("result", "ok")]),
            failed: registry.makeCounter(descriptor: Descriptors.samples, labels: labels + [("result", "failed")]))
        state.paths[key] = series
        _ = targetSeries(key.target, in: &state)
        return series
    }

    private func setPhases(_ phases: Phases, key: PathKey, series: PathSeries, state: inout MetricsState) {
        let values = [phases.dns, phases.connect, phases.tls, phases.request, phases.wait, phases.transfer]
        var series = series
        var created = false
        for (index, value) in values.enumerated() {
            if let value {
                if series.phases[index] == nil {
                    series.phases[index] = registry.makeGauge(
                        descriptor: Descriptors.phase, labels: key.labels + [("phase", Self.phaseNames[index])])
                    created = true
                }
                series.phases[index]?.set(to: Double(value) / 1_000_000)
            } else {
                series.phases[index]?.set(to: .nan)
            }
        }
        if created { state.paths[key] = series }
    }

    private func errorCounter(target: String, path: String, kind: SampleError.Kind, in state: inout MetricsState)
        -> Counter
    {
        let key = ErrorKey(target: target, path: path, kind: kind.rawValue)
        if let counter = state.errors[key] { return counter }
        let counter = registry.makeCounter(
            descriptor: Descriptors.errors, labels: [("target", target), ("path", path), ("kind", kind.rawValue)])
        state.errors[key] = counter
        return counter
    }

    private func targetSeries(_ target: String, in state: inout MetricsState) -> TargetSeries {
        if let series = state.targets[target] { return series }
        let labels = [("target", target)]
        let series = TargetSeries(
            rounds: registry.makeCounter(descriptor: Descriptors.rounds, labels: labels),
            overruns: registry.makeCounter(descriptor: Descriptors.overruns, labels: labels))
        state.targets[target] = series
        return series
    }

    // MARK: Types

    /// The series of one (target, path, path type), kept to update and to unregister them.
    private struct PathSeries {
        /// `peering_probe_phase_seconds`, by ``AgentMetrics/phaseNames`` index; nil until a sample had the phase.
        var phases: [Gauge?]
        let success: Gauge
        let duration: ValueHistogram
        let ok: Counter
        let failed: Counter
    }

    /// The per-target round counters.
    private struct TargetSeries {
        let rounds: Counter
        let overruns: Counter
    }

    /// The agent-wide series (not in a `probe --textfile` file).
    private struct AgentSeries: Sendable {
        let batchesFinished: Counter
        let samplesDropped: Counter
        let retentionDeleted: Counter
        let buffered: Gauge
        let reloadSuccessful: Gauge
        let reloadTimestamp: Gauge

        init(registry: PrometheusCollectorRegistry) {
            batchesFinished = registry.makeCounter(descriptor: Descriptors.batchesFinished)
            samplesDropped = registry.makeCounter(descriptor: Descriptors.samplesDropped)
            retentionDeleted = registry.makeCounter(descriptor: Descriptors.retentionDeleted)
            buffered = registry.makeGauge(descriptor: Descriptors.buffered)
            reloadSuccessful = registry.makeGauge(descriptor: Descriptors.reloadSuccessful)
            reloadTimestamp = registry.makeGauge(descriptor: Descriptors.reloadTimestamp)
        }
    }

    /// Labels of the per-path series.
    private struct PathKey: Hashable {
        let target: String
        let path: String
        let type: String

        var labels: [(String, String)] { [("target", target), ("path", path), ("path_type", type)] }
    }

    /// Labels of `peering_probe_errors_total`.
    private struct ErrorKey: Hashable {
        let target: String
        let path: String
        let kind: String
    }

    /// What the lock guards: the series made so far (to update and unregister them) and the health inputs.
    private struct MetricsState {
        var paths: [PathKey: PathSeries] = [:]
        var errors: [ErrorKey: Counter] = [:]
        var targets: [String: TargetSeries] = [:]
        var lastRoundGauges: [String: Gauge] = [:]
        /// Monotonic finish time of each target's last round, microseconds.
        var lastRounds: [String: Int64] = [:]
        var schedules: [String: RoundSchedule] = [:]
    }

    /// Names and help texts.
    private enum Descriptors {
        static func make(_ name: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
        }

        static var phase: MetricNameDescriptor {
            make("peering_probe_phase_seconds", "Duration of each phase of the last sample (NaN when it lacked it).")
        }
        static var success: MetricNameDescriptor {
            make("peering_probe_success", "Whether the last sample was ok (1) or not (0).")
        }
        static var duration: MetricNameDescriptor {
            make("peering_probe_duration_seconds", "Total time of the answered samples (those with an HTTP status).")
        }
        static var samples: MetricNameDescriptor { make("peering_probe_samples_total", "Samples taken, by result.") }
        static var errors: MetricNameDescriptor { make("peering_probe_errors_total", "Failed samples, by error kind.") }
        static var rounds: MetricNameDescriptor { make("peering_probe_rounds_total", "Rounds finished.") }
        static var overruns: MetricNameDescriptor {
            make("peering_probe_round_overruns_total", "Rounds that overran their interval.")
        }
        static var lastRound: MetricNameDescriptor {
            make("peering_probe_last_round_timestamp_seconds", "Unix time the last round of the target finished.")
        }
        static var batchesFinished: MetricNameDescriptor {
            make("peering_probe_batches_finished_total", "Batch files finished.")
        }
        static var samplesDropped: MetricNameDescriptor {
            make("peering_probe_samples_dropped_total", "Samples dropped because the memory buffer was full.")
        }
        static var retentionDeleted: MetricNameDescriptor {
            make("peering_probe_retention_deleted_total", "Batch files deleted by retention.")
        }
        static var buffered: MetricNameDescriptor {
            make("peering_probe_samples_buffered", "Samples held in memory waiting for the disk.")
        }
        static var reloadSuccessful: MetricNameDescriptor {
            make("peering_probe_config_last_reload_successful", "Whether the last configuration load succeeded.")
        }
        static var reloadTimestamp: MetricNameDescriptor {
            make(
                "peering_probe_config_last_reload_success_timestamp_seconds",
                "Unix time of the last successful configuration load.")
        }
        static var buildInfo: MetricNameDescriptor {
            make("peering_probe_build_info", "The peering-probe version; always 1.")
        }
    }
}
