import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// More of `peering-probe run`'s life: batches finished by age, a second SIGINT, JSON logs, a bad config,
/// `report` reading the folder while the agent writes it, and reloads that change targets or need a restart.
@Suite("run: lifecycle", .serialized)
struct AgentLifecycleTests {
    private func curl(_ url: String) throws -> String {
        try CommandRunner(path: "/usr/bin/curl").run(["-s", url]).standardOutput
    }

    @Test("A batch is finished when it reaches batch_age, with the rounds it holds whole")
    func batchAge() throws {
        let server = try LoopbackServer.start(.init(logRequests: false))
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "100ms", count: 2, output: "output:\n  batch_size: 100000\n  batch_age: 1s",
            targets: [("t", server.url("/"))])
        let agent = try CommandRunner().start(["run", "--config", config, "--out", folder + "/out"])
        #expect(agent.waitForStandardError(containing: "started"))
        let reader = AgentFolderReader(out: folder + "/out", agent: "agent-test")
        let deadline = Date().addingTimeInterval(15)
        while reader.files().finished.count < 2, Date() < deadline { usleep(100_000) }
        let finishedWhileRunning = reader.files().finished.count
        agent.send(SIGTERM)
        #expect(try agent.wait(timeout: 30).status == 0)
        #expect(finishedWhileRunning >= 2, "batches are finished by age while the agent runs")
        let lines = try reader.finishedLines()
        _ = roundsPerTarget(lines, perRound: 2)
        expectConsecutive(lines, from: 1)
    }

    @Test("A second SIGINT skips the grace period: every line is still written, exit 0")
    func secondInterrupt() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "10s", count: 3, spacing: "0s",
            targets: [("slow", server.url("/", query: ["wait_ms": "8000"]))])
        let agent = try CommandRunner().start(["run", "--config", config, "--out", folder + "/out", "--grace", "60s"])
        #expect(agent.waitForStandardError(containing: "started"))
        let deadline = Date().addingTimeInterval(15)
        while try server.requests().isEmpty, Date() < deadline { usleep(20_000) }
        agent.send(SIGINT)
        #expect(agent.waitForStandardError(containing: "stopping"))
        usleep(300_000)
        #expect(!agent.standardErrorSoFar.contains("\"stopped\"") && !agent.standardErrorSoFar.contains(" stopped "))
        let second = Date()
        agent.send(SIGINT)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(Date().timeIntervalSince(second) < 3, "no waiting for the 60 s grace period")
        let lines = try AgentFolderReader(out: folder + "/out", agent: "agent-test").finishedLines()
        #expect(lines.count == 3 && lines.allSatisfy { $0.errorKind == "cancelled" })
    }

    @Test("--log-format json: one object per line with ts, level, message and the event's fields as flat keys")
    func jsonLogs() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "100ms", count: 1, targets: [("t", server.url("/"))])
        let agent = try CommandRunner().start([
            "run", "--config", config, "--out", folder + "/out", "--log-format", "json", "--log-level", "debug",
        ])
        #expect(agent.waitForStandardError(containing: "round finished", count: 3))
        agent.send(SIGTERM)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0)
        var messages: [String] = []
        for line in result.standardError.split(separator: "\n") {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            #expect(object["ts"] is String && object["level"] is String, "\(line)")
            messages.append(try #require(object["message"] as? String))
            if object["message"] as? String == "stopped" {
                #expect(object["samples"] is Int && object["written"] is Int, "counts are numbers: \(line)")
            }
        }
        // At debug level swift-service-lifecycle's own events come too; the agent's start comes before any round.
        let started = try #require(messages.firstIndex(of: "started"))
        #expect(messages.firstIndex(of: "round finished").map { $0 > started } == true)
        #expect(messages.contains("stopped"))
        #expect(messages.filter { $0 == "round finished" }.count >= 3)
    }

    @Test("A bad config at start is exit 2 with file, line and key")
    func badConfig() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "10ms", targets: [("t", "http://127.0.0.1:9/")])
        let result = try CommandRunner().run(["run", "--config", config, "--out", folder + "/out"])
        #expect(result.status == 2, "\(result.standardError)")
        #expect(result.standardError.contains("config.yaml:3") && result.standardError.contains("interval"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out/agent-test/state"), "nothing was started")
    }

    @Test("report over the folder while run writes it never sees a half batch")
    func reportWhileRunning() throws {
        let server = try LoopbackServer.start(.init(logRequests: false))
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "100ms", count: 5, spacing: "0s", output: "output:\n  batch_size: 5",
            targets: [("a", server.url("/a")), ("b", server.url("/b"))])
        let runner = try CommandRunner()
        let agent = try runner.start(["run", "--config", config, "--out", folder + "/out"])
        #expect(agent.waitForStandardError(containing: "started"))
        usleep(500_000)
        for _ in 0..<10 {
            let report = try runner.run(["report", "--strict", "--format", "json", folder + "/out"])
            #expect(report.status == 0, "\(report.standardError)")
            usleep(100_000)
        }
        agent.send(SIGTERM)
        #expect(try agent.wait(timeout: 30).status == 0)
    }

    @Test("Reload: a removed target stops and its metric series go; a new metrics address refuses the reload")
    func reloadTargetsAndMetrics() throws {
        let server = try LoopbackServer.start(.init(logRequests: false))
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let both = [("keep", server.url("/k")), ("drop", server.url("/d"))]
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "100ms", count: 1, targets: both, extra: "metrics:\n  listen: 127.0.0.1:0\n")
        let agent = try CommandRunner().start([
            "run", "--config", config, "--out", folder + "/out", "--log-format", "json",
        ])
        #expect(agent.waitForStandardError(containing: "serving metrics"))
        let serving = try #require(
            agent.standardErrorSoFar.split(separator: "\n").first { $0.contains("serving metrics") })
        let address = try #require(
            (try JSONSerialization.jsonObject(with: Data(serving.utf8)) as? [String: Any])?["address"] as? String)
        usleep(600_000)
        #expect(try curl("http://\(address)/metrics").contains("target=\"drop\""))
        _ = try AgentRunTests.writeConfig(
            in: folder, interval: "100ms", count: 1, targets: [both[0]], extra: "metrics:\n  listen: 127.0.0.1:0\n")
        agent.send(SIGHUP)
        #expect(agent.waitForStandardError(containing: "config reloaded"))
        usleep(500_000)
        let metrics = try curl("http://\(address)/metrics")
        #expect(!metrics.contains("target=\"drop\""), "the removed target's series are gone")
        #expect(metrics.contains("target=\"keep\""))
        #expect(metrics.contains("peering_probe_config_last_reload_successful 1"))
        _ = try AgentRunTests.writeConfig(
            in: folder, interval: "100ms", count: 1, targets: [both[0]], extra: "metrics:\n  listen: 127.0.0.1:1\n")
        agent.send(SIGHUP)
        #expect(agent.waitForStandardError(containing: "reload refused"))
        let refused = try #require(
            agent.standardErrorSoFar.split(separator: "\n").last { $0.contains("reload refused") })
        #expect(refused.contains("metrics_listen"), "\(refused)")
        usleep(300_000)
        #expect(try curl("http://\(address)/metrics").contains("peering_probe_config_last_reload_successful 0"))
        agent.send(SIGTERM)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0)
        let lines = try AgentFolderReader(out: folder + "/out", agent: "agent-test").finishedLines()
        let dropLast = try #require(lines.last { $0.target == "drop" })
        let keepAfter = lines.filter { $0.target == "keep" && $0.seq > dropLast.seq }
        #expect(keepAfter.count >= 5, "only the kept target runs after the reload")
    }
}
