import Logging
import ProbeAgent
import ServiceLifecycle
import TestSupport
import Testing

/// The metrics server as a swift-service-lifecycle service.
@Suite("metrics server in a service group")
struct MetricsServiceTests {
    @Test("a graceful shutdown of the service group stops the server and closes its port")
    func gracefulShutdown() async throws {
        let server = try await MetricsServer.bind(host: "127.0.0.1", port: 0, metrics: AgentMetrics(version: "t"))
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        #expect(try MetricsServerTests.fetch("http://127.0.0.1:\(server.port)/metrics").status == 200)
        await group.triggerGracefulShutdown()
        try await running.value
        let refused = try CommandRunner(path: "/usr/bin/curl").run(
            ["-sS", "--max-time", "5", "http://127.0.0.1:\(server.port)/metrics"])
        #expect(refused.status == 7, "curl: \(refused.standardError)")
    }
}
