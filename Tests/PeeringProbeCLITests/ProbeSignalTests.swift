import Foundation
import TestSupport
import Testing

/// `peering-probe probe` stopped by a real SIGINT or SIGTERM mid-round, and started with standard output closed.
@Suite("probe signals and closed streams", .serialized)
struct ProbeSignalTests {
    private func json(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// A config with a quick target (five samples, 100 ms each) and a slow one (two samples of 5 s), so that when
    /// the signal comes some samples are done, one is in flight and the rest have not started.
    private func config(server: LoopbackServer, in folder: String) throws -> String {
        let path = folder + "/config.yaml"
        try """
        agent: sig
        defaults:
          spacing: 50ms
        targets:
          - name: quick
            url: \(server.url("/quick", query: ["wait_ms": "100"]))
            count: 5
          - name: slow
            url: \(server.url("/slow", query: ["wait_ms": "5000"]))
            count: 2
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Waits until the server has read `count` requests, so the round is under way (and the handler installed).
    private func waitForRequests(_ count: Int, on server: LoopbackServer) throws {
        let deadline = Date().addingTimeInterval(20)
        while try server.requests().count < count {
            guard Date() < deadline else { throw TestSupportError("the probe sent no \(count) requests in 20 s") }
            usleep(10_000)
        }
    }

    private func nextSeq(in agentFolder: String) throws -> Int {
        let state = try String(contentsOfFile: agentFolder + "/state", encoding: .utf8)
        let line = try #require(state.split(separator: "\n").first { $0.hasPrefix("next_seq ") })
        return try #require(Int(line.dropFirst("next_seq ".count)))
    }

    /// Starts `probe` into `out`, signals it once the quick target has finished two samples, and checks
    /// what it wrote: every scheduled probe one line, finished ones ok, the rest cancelled, `seq` consecutive
    /// from the state's `next_seq`, which advanced by exactly the lines written.
    private func stop(with signal: Int32, status: Int32, name: String) throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try config(server: server, in: folder)
        let runner = try CommandRunner()
        // A first, whole run, so that the stopped run's numbers do not start at 1.
        let first = try runner.run([
            "probe", "--config", config, "--url", server.url("/"), "--count", "2", "--out", folder + "/out",
        ])
        #expect(first.status == 0, "\(first.standardError)")
        let agentFolder = folder + "/out/sig"
        let before = try nextSeq(in: agentFolder)
        #expect(before == 3)
        let requestsBefore = try server.requests().count

        let running = try runner.start(["probe", "--config", config, "--out", folder + "/out"])
        // Quick samples 0-2 and slow sample 0 asked for: quick 0 and 1 are done, the slow one is in flight.
        try waitForRequests(requestsBefore + 4, on: server)
        let signalled = Date()
        running.send(signal)
        let run = try running.wait(timeout: 30)
        let stoppedIn = Date().timeIntervalSince(signalled)

        #expect(run.uncaughtSignal == nil, "the process handles the signal and exits by itself")
        #expect(run.status == status, "\(run.standardError)")
        #expect(stoppedIn < 3, "stopped \(stoppedIn) s after the signal; the slow sample would take 5 s")
        #expect(run.standardError.contains("stopped by \(name): wrote 7 samples to "), "\(run.standardError)")

        let dayFolders = try FileManager.default.contentsOfDirectory(atPath: agentFolder).filter { $0.hasPrefix("20") }
        var lines: [[String: Any]] = []
        for day in dayFolders {
            for file in try FileManager.default.contentsOfDirectory(atPath: agentFolder + "/" + day)
            where file.hasSuffix("-\(before).ndjson") {
                let text = try String(contentsOfFile: agentFolder + "/" + day + "/" + file, encoding: .utf8)
                lines += try text.split(separator: "\n").map(json)
            }
        }
        #expect(lines.count == 7, "5 quick and 2 slow samples, one line each")
        #expect(lines.compactMap { $0["seq"] as? Int } == Array(before..<(before + 7)))
        #expect(try nextSeq(in: agentFolder) == before + 7)

        let ok = lines.filter { $0["ok"] as? Bool == true }
        let cancelled = lines.filter { ($0["error"] as? [String: Any])?["kind"] as? String == "cancelled" }
        #expect(ok.count + cancelled.count == 7, "every line is ok or cancelled: \(lines)")
        #expect(ok.count >= 2 && ok.allSatisfy { $0["target"] as? String == "quick" }, "\(ok)")
        #expect(lines.filter { $0["target"] as? String == "slow" }.count == 2)
        #expect(cancelled.allSatisfy { $0["status"] is NSNull && $0["ok"] as? Bool == false })
        #expect(cancelled.allSatisfy { ($0["error"] as? [String: Any])?["code"] is NSNull })
        #expect(cancelled.allSatisfy { $0["dns_ms"] is NSNull && $0["wait_ms"] is NSNull && $0["ttfb_ms"] is NSNull })
        // The slow sample 0 was in flight: it ran for a while. Slow sample 1 never started.
        let slow = cancelled.filter { $0["target"] as? String == "slow" }
        let inFlight = try #require(slow.first { $0["n"] as? Int == 0 })
        let total = try #require(inFlight["total_ms"] as? Double)
        #expect(total > 0 && total < 5_000, "\(total)")
        let notStarted = try #require(slow.first { $0["n"] as? Int == 1 })
        #expect(notStarted["total_ms"] is NSNull)
        // Quick samples are 0...4 once each; the cancelled ones are the last.
        #expect(
            lines.filter { $0["target"] as? String == "quick" }.compactMap { $0["n"] as? Int }.sorted() == [
                0, 1, 2, 3, 4,
            ])
        #expect(lines.prefix(ok.count).allSatisfy { $0["ok"] as? Bool == true })
    }

    @Test("SIGINT mid-round: exit 130, the batch holds every probe, unfinished ones cancelled, seq range used")
    func sigint() throws {
        try stop(with: SIGINT, status: 130, name: "SIGINT")
    }

    @Test("SIGTERM mid-round: exit 143, the batch holds every probe, unfinished ones cancelled, seq range used")
    func sigterm() throws {
        try stop(with: SIGTERM, status: 143, name: "SIGTERM")
    }

    @Test("SIGTERM with --out -: the NDJSON of every probe still goes to standard output, then exit 143")
    func sigtermToStandardOutput() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let running = try CommandRunner().start([
            "probe", "--url", server.url("/", query: ["wait_ms": "5000"]), "--count", "3", "--out", "-",
        ])
        try waitForRequests(1, on: server)
        running.send(SIGTERM)
        let run = try running.wait(timeout: 30)
        #expect(run.status == 143, "\(run.standardError)")
        let samples = try run.standardOutput.split(separator: "\n").map(json)
        #expect(samples.compactMap { $0["seq"] as? Int } == [1, 2, 3])
        #expect(samples.compactMap { $0["n"] as? Int } == [0, 1, 2])
        #expect(samples.allSatisfy { ($0["error"] as? [String: Any])?["kind"] as? String == "cancelled" })
        #expect(run.standardError.contains("to standard output, 3 of them cancelled"), "\(run.standardError)")
    }

    @Test("A stop signal ignored at start (a background job of a script ignores SIGINT) stays ignored")
    func ignoredSignalStaysIgnored() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let probe = try CommandRunner().executable
        let running = try CommandRunner(path: "/bin/sh").start([
            "-c", "trap '' INT; exec \"$0\" probe --url \"$1\" --count 3 --out -", probe,
            server.url("/", query: ["wait_ms": "5000"]),
        ])
        try waitForRequests(1, on: server)
        running.send(SIGINT)
        usleep(300_000)
        running.send(SIGTERM)
        let run = try running.wait(timeout: 30)
        #expect(run.status == 143, "\(run.standardError)")
        #expect(run.standardError.contains("stopped by SIGTERM"), "\(run.standardError)")
        #expect(run.standardOutput.split(separator: "\n").count == 3)
    }

    @Test("probe --out - with standard output closed is an environment fault (exit 3); nothing is probed")
    func closedStandardOutput() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let probe = try CommandRunner().executable
        let run = try CommandRunner(path: "/bin/sh").run([
            "-c", "exec 1>&-; exec \"$0\" probe --url \"$1\" --count 2 --out -", probe, server.url("/"),
        ])
        #expect(run.status == 3, "\(run.standardError)")
        #expect(run.standardError.contains("standard output is closed"), "\(run.standardError)")
        #expect(try server.requests().isEmpty)
    }

    @Test("With standard output closed, probe --out DIR still writes its batch (descriptor 1 is /dev/null)")
    func closedStandardOutputWithFolder() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let probe = try CommandRunner().executable
        let run = try CommandRunner(path: "/bin/sh").run([
            "-c", "exec 1>&- 0<&-; exec \"$0\" probe --url \"$1\" --count 2 --out \"$2\"", probe, server.url("/"),
            folder + "/out",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        let agents = try FileManager.default.contentsOfDirectory(atPath: folder + "/out")
        let agentFolder = folder + "/out/" + (try #require(agents.first))
        let day = try #require(
            try FileManager.default.contentsOfDirectory(atPath: agentFolder).first { $0.hasPrefix("20") })
        let files = try FileManager.default.contentsOfDirectory(atPath: agentFolder + "/" + day)
        let text = try String(
            contentsOfFile: agentFolder + "/" + day + "/" + (try #require(files.first)), encoding: .utf8)
        let samples = try text.split(separator: "\n").map(json)
        #expect(samples.count == 2 && samples.allSatisfy { $0["ok"] as? Bool == true })
    }
}
