import ProbeAgent
import ProbeCore
import TestSupport
import Testing

/// A real Prometheus server (Debian's `prometheus`) scrapes the metrics server on loopback, and PromQL over its
/// HTTP API sees the recorded samples.
@Suite("prometheus scrape", .serialized)
struct PrometheusScrapeTests {
    @Test(
        "Prometheus scrapes /metrics: sum(peering_probe_samples_total) is the sample count; quantiles per path type",
        .enabled(
            if: PrometheusServer.executablePath != nil, "prometheus is not installed (apt-get install prometheus)"),
        .timeLimit(.minutes(2)))
    func scrape() async throws {
        let samples = SampleSynthesizer.twoPaths(rounds: 25, count: 3, seed: 11).samples()
        let metrics = AgentMetrics(version: "0.1.0")
        metrics.record(samples)
        let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, metrics: metrics)
        let prometheus = try PrometheusServer.start(scraping: [server.localAddress])
        defer { prometheus.stop() }

        let count = try prometheus.waitForValue("sum(peering_probe_samples_total)", timeout: 30) {
            $0 == Double(samples.count)
        }
        #expect(count == Double(samples.count), "targets:\n\(prometheus.scrapeStatus())")
        #expect(try prometheus.query(#"up{job="peering-probe"}"#) == 1)
        let failed = samples.count { !$0.ok }
        #expect(try prometheus.query(#"sum(peering_probe_samples_total{result="failed"})"#) == Double(failed))

        // The median of each path type from the duration histogram (the README's example uses rate() over
        // a live agent; these counters stand still, so the buckets are summed as they are).
        for (type, low, high) in [("peering-service", 0.015, 0.03), ("internet", 0.025, 0.05)] {
            let query =
                #"histogram_quantile(0.5, sum by (le) (peering_probe_duration_seconds_bucket{path_type="\#(type)"}))"#
            let median = try #require(try prometheus.query(query))
            #expect(median > low && median < high, "\(type): \(median)")
        }
        await server.close()
    }
}
