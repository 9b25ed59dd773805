import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `peering-probe run`, the built binary with real signals against loopback servers: every scheduled probe
/// one line, `seq` without gap or repeat across restarts, graceful shutdown, SIGKILL recovery, reload.
@Suite("run: the continuous agent", .serialized)
struct AgentRunTests {
    /// Writes a config with the given targets (name, URL, extra YAML lines) and schedule.
    static func writeConfig(
        in folder: String, agent: String = "agent-test", interval: String = "200ms", count: Int = 2,
        spacing: String = "20ms", output: String = "", targets: [(String, String)], extra: String = ""
    ) throws -> String {
        let path = folder + "/config.yaml"
        var text = """
            agent: \(agent)
            schedule:
              interval: \(interval)
            defaults:
              count: \(count)
              spacing: \(spacing)
              timeout: 5s
            \(output)
            targets:

            """
        for (name, url) in targets { text += "  - name: \(name)\n    url: \(url)\n" }
        text += extra
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("Samples written are rounds x targets x count exactly, seq from 1 without a gap, across a clean restart")
    func exactCountsAcrossRestart() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try Self.writeConfig(
            in: folder, output: "output:\n  batch_size: 7",
            targets: [("alpha", server.url("/a")), ("beta", server.url("/b"))])
        let runner = try CommandRunner()
        let reader = AgentFolderReader(out: folder + "/out", agent: "agent-test")

        var total = 0
        for (pass, signal) in [(1, SIGTERM), (2, SIGINT)] {
            let agent = try runner.start(["run", "--config", config, "--out", folder + "/out"])
            #expect(agent.waitForStandardError(containing: "started"), "\(agent.standardErrorSoFar)")
            // Enough rounds of both targets to fill several batches of 7 (rounds of 2 never split).
            usleep(1_500_000)
            agent.send(signal)
            let result = try agent.wait(timeout: 30)
            #expect(result.status == 0, "pass \(pass): \(result.standardError)")
            let stopped = try #require(result.standardError.split(separator: "\n").last { $0.contains("stopped") })
            let lines = try reader.finishedLines()
            let rounds = roundsPerTarget(lines, perRound: 2)
            #expect(rounds["alpha", default: 0] >= 3 && rounds["beta", default: 0] >= 3, "\(rounds)")
            #expect(lines.count == rounds.values.reduce(0, +) * 2)
            #expect(logField("written", in: stopped) == "\(lines.count - total)", "\(stopped)")
            expectConsecutive(lines, from: 1, "pass \(pass): seq from 1, no gap, no repeat")
            #expect(try reader.nextSeq() == lines.count + 1, "a clean shutdown leaves the exact next seq")
            #expect(reader.files().temporary.isEmpty, "the open batch was finished")
            for file in reader.files().finished {
                let batch = try AgentFolderReader.lines(of: file)
                #expect(batch.count <= 7 + 1, "a batch is finished after the round that brings it to 7")
                #expect(Set(batch.map(\.batch)).count == 1 && file.hasSuffix(batch[0].batch + ".ndjson"))
            }
            #expect(lines.allSatisfy { $0.ok }, "every probe of a clean run is ok")
            total = lines.count
        }
    }

    @Test("SIGTERM mid-round: the rest of each started round is written as cancelled, the batch finished, exit 0")
    func sigtermMidRound() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try Self.writeConfig(
            in: folder, interval: "10s", count: 3, spacing: "0s",
            targets: [("slow", server.url("/slow", query: ["wait_ms": "4000"]))])
        let agent = try CommandRunner().start([
            "run", "--config", config, "--out", folder + "/out", "--grace", "300ms",
        ])
        #expect(agent.waitForStandardError(containing: "started"))
        // Wait for the first request: the round is under way.
        let deadline = Date().addingTimeInterval(15)
        while try server.requests().isEmpty, Date() < deadline { usleep(20_000) }
        usleep(200_000)
        let signalled = Date()
        agent.send(SIGTERM)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(Date().timeIntervalSince(signalled) < 3, "the grace period of 300 ms bounds the shutdown")
        let reader = AgentFolderReader(out: folder + "/out", agent: "agent-test")
        let lines = try reader.finishedLines()
        #expect(lines.count == 3, "the started round is whole: \(lines.count) lines")
        #expect(lines.allSatisfy { $0.errorKind == "cancelled" && !$0.ok })
        #expect(lines.filter { $0.total != nil }.count == 1, "one transfer was in flight; the others never started")
        expectConsecutive(lines, from: 1)
        #expect(reader.files().temporary.isEmpty)
    }

    @Test("SIGKILL, then start again: the lines written before the kill are recovered, no seq repeats, no torn line")
    func sigkillRecovery() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try Self.writeConfig(
            in: folder, interval: "100ms", count: 1, output: "output:\n  batch_size: 100000\n  batch_age: 1h",
            targets: [("one", server.url("/"))])
        let runner = try CommandRunner()
        let reader = AgentFolderReader(out: folder + "/out", agent: "agent-test")
        let first = try runner.start(["run", "--config", config, "--out", folder + "/out"])
        #expect(first.waitForStandardError(containing: "started"))
        usleep(1_500_000)
        first.send(SIGKILL)
        _ = try? first.wait(timeout: 10)
        let leftover = try #require(reader.files().temporary.first, "the open batch is a temporary file")
        let before = try String(contentsOfFile: leftover, encoding: .utf8)
        let keptBefore = before.split(separator: "\n", omittingEmptySubsequences: false).dropLast().count
        #expect(keptBefore >= 5, "lines reach the temporary file as each round finishes")
        // A torn last line, as a crash mid-write leaves it.
        let handle = try #require(FileHandle(forWritingAtPath: leftover))
        handle.seekToEndOfFile()
        handle.write(Data("{\"seq\":".utf8))
        handle.closeFile()

        let second = try runner.start(["run", "--config", config, "--out", folder + "/out"])
        #expect(second.waitForStandardError(containing: "started"))
        usleep(800_000)
        second.send(SIGTERM)
        let result = try second.wait(timeout: 30)
        #expect(result.status == 0, "\(result.standardError)")
        let recovered = try #require(result.standardError.split(separator: "\n").first { $0.contains("recovered") })
        #expect(logField("kept_lines", in: recovered) == "\(keptBefore)", "\(recovered)")
        #expect(logField("dropped_torn_lines", in: recovered) == "1", "\(recovered)")
        let lines = try reader.finishedLines()
        #expect(Set(lines.map(\.seq)).count == lines.count, "no seq repeats")
        #expect(lines.prefix(keptBefore).map(\.seq) == Array(1...keptBefore), "every line before the kill is kept")
        #expect(lines.count > keptBefore, "the second run wrote on")
        #expect(reader.files().temporary.isEmpty)
    }

    @Test("SIGHUP: a broken config keeps the running one; a new target is probed from its next slot")
    func reload() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try Self.writeConfig(
            in: folder, interval: "200ms", count: 1, targets: [("old", server.url("/old"))])
        let agent = try CommandRunner().start(["run", "--config", config, "--out", folder + "/out"])
        #expect(agent.waitForStandardError(containing: "started"))
        try "targets: [".write(toFile: config, atomically: true, encoding: .utf8)
        agent.send(SIGHUP)
        #expect(agent.waitForStandardError(containing: "reload refused"), "\(agent.standardErrorSoFar)")
        let refused = try #require(
            agent.standardErrorSoFar.split(separator: "\n").first { $0.contains("reload refused") })
        #expect(refused.contains("config.yaml") && refused.contains("line"), "file and line are named: \(refused)")
        _ = try Self.writeConfig(
            in: folder, interval: "200ms", count: 1,
            targets: [("old", server.url("/old")), ("new", server.url("/new"))])
        agent.send(SIGHUP)
        #expect(agent.waitForStandardError(containing: "config reloaded"), "\(agent.standardErrorSoFar)")
        usleep(1_000_000)
        agent.send(SIGTERM)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0, "\(result.standardError)")
        let lines = try AgentFolderReader(out: folder + "/out", agent: "agent-test").finishedLines()
        let rounds = roundsPerTarget(lines, perRound: 1)
        #expect(rounds["old", default: 0] >= 5, "the old target kept running through the broken reload: \(rounds)")
        #expect(rounds["new", default: 0] >= 3, "the new target runs from its slot: \(rounds)")
        expectConsecutive(lines, from: 1)
    }

    @Test("run --out - is refused with exit 2; a folder that cannot be written is exit 3")
    func usageAndEnvironment() throws {
        let runner = try CommandRunner()
        let dash = try runner.run(["run", "--out", "-"])
        #expect(dash.status == 2, "\(dash.standardError)")
        #expect(dash.standardError.contains("output folder"))
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "".write(toFile: folder + "/file", atomically: true, encoding: .utf8)
        let config = try Self.writeConfig(in: folder, targets: [("t", "http://127.0.0.1:9/")])
        let blocked = try runner.run(["run", "--config", config, "--out", folder + "/file/out"])
        #expect(blocked.status == 3, "\(blocked.standardError)")
    }
}
