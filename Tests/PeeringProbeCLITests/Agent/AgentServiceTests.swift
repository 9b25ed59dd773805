import Foundation
import ProbeAgent
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `peering-probe run` as operators meet it: its folder is its own, retention, and its metrics scraped by a real
/// Prometheus server.
@Suite("run: ownership, retention, metrics", .serialized)
struct AgentServiceTests {
    /// An agent name whose target `t` has its first slot in the first `fraction` of the interval, so that an
    /// agent with a long interval runs exactly one round soon after start.
    static func earlyAgent(target: String = "t", fraction: Double = 0.0005) -> String {
        (0...).lazy.map { "early-\($0)" }.first { RoundSchedule.offsetFraction(agent: $0, target: target) < fraction }!
    }

    @Test("A second run on the same folder is refused (exit 3, naming the owner's pid); so is probe")
    func ownership() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(in: folder, interval: "1s", targets: [("t", server.url("/"))])
        let runner = try CommandRunner()
        let first = try runner.start(["run", "--config", config, "--out", folder + "/out"])
        #expect(first.waitForStandardError(containing: "started"))
        let second = try runner.run(["run", "--config", config, "--out", folder + "/out"])
        #expect(second.status == 3, "\(second.standardError)")
        #expect(second.standardError.contains("pid \(first.processIdentifier)"), "\(second.standardError)")
        let probe = try runner.run(["probe", "--config", config, "--out", folder + "/out"])
        #expect(probe.status == 3, "\(probe.standardError)")
        #expect(probe.standardError.contains("pid \(first.processIdentifier)"), "\(probe.standardError)")
        first.send(SIGTERM)
        #expect(try first.wait(timeout: 30).status == 0)
        let after = try runner.run(["probe", "--config", config, "--out", folder + "/out"])
        #expect(after.status == 0, "once run has stopped, probe may write the folder: \(after.standardError)")
    }

    @Test("Retention deletes the oldest finished batches at start and after each batch, each deletion logged")
    func retention() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let old = folder + "/out/agent-test/2020-01-01"
        try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true)
        let oldBatch = old + "/agent-test-20200101T000000Z-1.ndjson"
        try "{}\n".write(toFile: oldBatch, atomically: true, encoding: .utf8)
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "100ms", count: 1, output: "output:\n  retention: 1d\n  batch_size: 2",
            targets: [("t", server.url("/"))])
        let agent = try CommandRunner().start(["run", "--config", config, "--out", folder + "/out"])
        #expect(agent.waitForStandardError(containing: "batch deleted by retention"), "\(agent.standardErrorSoFar)")
        usleep(500_000)
        agent.send(SIGTERM)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: oldBatch))
        #expect(!FileManager.default.fileExists(atPath: old), "the emptied day folder goes too")
        let deleted = result.standardError.split(separator: "\n").filter { $0.contains("batch deleted by retention") }
        #expect(deleted.count == 1 && deleted[0].contains(oldBatch) && logField("reason", in: deleted[0]) == "age")
        #expect(try AgentFolderReader(out: folder + "/out", agent: "agent-test").finishedLines().count >= 3)
    }

    @Test(
        "A real Prometheus scrapes the agent: the sample count PromQL returns is the count the batches hold",
        .enabled(if: PrometheusServer.executablePath != nil, "prometheus is not installed (apt-get install prometheus)")
    )
    func prometheusScrape() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let agentName = Self.earlyAgent()
        // One round of 5 soon after start, the next an hour later.
        let config = try AgentRunTests.writeConfig(
            in: folder, agent: agentName, interval: "1h", count: 5, spacing: "10ms",
            output: "output:\n  batch_size: 5", targets: [("t", server.url("/"))])
        let agent = try CommandRunner().start([
            "run", "--config", config, "--out", folder + "/out", "--metrics-listen", "127.0.0.1:0", "--log-format",
            "json",
        ])
        defer { agent.send(SIGKILL) }
        #expect(agent.waitForStandardError(containing: "serving metrics"))
        let serving = try #require(
            agent.standardErrorSoFar.split(separator: "\n").first { $0.contains("serving metrics") })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(serving.utf8)) as? [String: Any])
        let address = try #require(object["address"] as? String)
        #expect(!address.hasSuffix(":0"), "the start log names the port picked: \(address)")
        let prometheus = try PrometheusServer.start(scraping: [address])
        defer { prometheus.stop() }
        let reader = AgentFolderReader(out: folder + "/out", agent: agentName)
        let deadline = Date().addingTimeInterval(20)
        while (try? reader.finishedLines().count) != 5, Date() < deadline { usleep(100_000) }
        let lines = try reader.finishedLines()
        #expect(lines.count == 5)
        let value = try prometheus.waitForValue("sum(peering_probe_samples_total)") { $0 == Double(lines.count) }
        #expect(value == Double(lines.count), "Prometheus: \(String(describing: value)); \(prometheus.scrapeStatus())")
        #expect(try prometheus.query("sum(peering_probe_rounds_total)") == 1)
        #expect(try prometheus.query("peering_probe_config_last_reload_successful") == 1)
        let healthy = try CommandRunner(path: "/usr/bin/curl").run([
            "-s", "-o", "/dev/null", "-w", "%{http_code}",
            "http://\(address)/-/healthy",
        ])
        #expect(healthy.standardOutput == "200")
        let exposition = try CommandRunner(path: "/usr/bin/curl").run(["-s", "http://\(address)/metrics"])
        let promtool = try CommandRunner(path: "/usr/bin/promtool").run(
            ["check", "metrics"], standardInput: Data(exposition.standardOutput.utf8))
        #expect(promtool.status == 0 && promtool.standardOutput.isEmpty, "\(promtool.standardOutput)")
        agent.send(SIGTERM)
        #expect(try agent.wait(timeout: 30).status == 0)
    }

    @Test("A metrics address in use is exit 3, naming it")
    func portInUse() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(in: folder, interval: "1s", targets: [("t", "http://127.0.0.1:9/")])
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(holder, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        listen(holder, 1)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(holder, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let result = try CommandRunner().run([
            "run", "--config", config, "--out", folder + "/out", "--metrics-listen", "127.0.0.1:\(port)",
        ])
        #expect(result.status == 3, "\(result.standardError)")
        #expect(result.standardError.contains("127.0.0.1:\(port)"), "\(result.standardError)")
    }
}

/// `peering-probe run` under systemd's eyes: the notify protocol on a socket the test binds, as systemd would.
@Suite("run: systemd notify")
struct AgentNotifyTests {
    @Test("READY=1 after start, WATCHDOG=1 while on schedule, RELOADING=1 and READY=1 on SIGHUP, STOPPING=1")
    func notifications() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "200ms", count: 1, targets: [("t", server.url("/"))])
        let receiver = try DatagramReceiver(abstract: false)
        let agent = try CommandRunner().start(
            ["run", "--config", config, "--out", folder + "/out"],
            environment: ["NOTIFY_SOCKET": receiver.address, "WATCHDOG_USEC": "1000000"])
        #expect(receiver.receive(timeout: 10_000) == "READY=1")
        #expect(receiver.receive(timeout: 3_000) == "WATCHDOG=1", "a watchdog ping within half of WATCHDOG_USEC")
        agent.send(SIGHUP)
        var messages: [String] = []
        while let message = receiver.receive(timeout: 3_000), messages.count < 8 {
            messages.append(message)
            if message == "READY=1" { break }
        }
        let reloading = messages.firstIndex { $0.hasPrefix("RELOADING=1\nMONOTONIC_USEC=") }
        #expect(reloading != nil && messages.last == "READY=1", "\(messages)")
        agent.send(SIGTERM)
        var stopping = false
        while let message = receiver.receive(timeout: 5_000) {
            if message == "STOPPING=1" { stopping = true }
        }
        #expect(stopping)
        #expect(try agent.wait(timeout: 30).status == 0)
    }
}
