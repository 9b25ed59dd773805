import Foundation
import ProbeAgent
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The agent's schedule, measured from outside: rounds start on their slots (no drift over 1,000 rounds), an
/// overrunning target skips slots instead of catching up, and two targets start at their own offsets.
@Suite("run: schedule", .serialized)
struct AgentScheduleTests {
    /// The wall-clock time (microseconds since the epoch) of an RFC 3339 UTC timestamp with microseconds.
    static func microseconds(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let dot = text.firstIndex(of: "."), text.hasSuffix("Z") else { return nil }
        let whole = String(text[..<dot]) + "Z"
        let fraction = text[text.index(after: dot)..<text.index(before: text.endIndex)]
        guard let date = ISO8601DateFormatter().date(from: whole),
            let micros = Int64(
                fraction.padding(
                    toLength: 6, withPad: "0", startingAt: 0))
        else { return nil }
        return Int64(date.timeIntervalSince1970) * 1_000_000 + micros
    }

    /// The first-round times the start log line gives, by target.
    static func firstRounds(in log: String) throws -> [String: Int64] {
        let started = try #require(log.split(separator: "\n").first { $0.contains("started") })
        let field = try #require(started.range(of: "first_rounds=")).upperBound
        var text = started[field...]
        if text.first == "\"" {
            text = text.dropFirst().prefix { $0 != "\"" }
        } else {
            text = text.prefix { $0 != " " }
        }
        var result: [String: Int64] = [:]
        for entry in text.split(separator: " ") {
            let parts = entry.split(separator: "@")
            guard parts.count == 2, let time = microseconds(String(parts[1])) else { continue }
            result[String(parts[0])] = time
        }
        return result
    }

    @Test("1,000 rounds at 100 ms: start delays against the slots, p99 under 20 ms, none over 100 ms")
    func noDrift() throws {
        let server = try LoopbackServer.start(.init(logRequests: false))
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "100ms", count: 1, output: "output:\n  batch_size: 500",
            targets: [("steady", server.url("/"))])
        let agent = try CommandRunner().start([
            "run", "--config", config, "--out", folder + "/out", "--log-level", "debug",
        ])
        #expect(agent.waitForStandardError(containing: "started"))
        #expect(agent.waitForStandardError(containing: "round finished", count: 1_000, timeout: 200))
        agent.send(SIGTERM)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0)
        let first = try #require(try Self.firstRounds(in: result.standardError)["steady"])
        let lines = try AgentFolderReader(out: folder + "/out", agent: "agent-test").finishedLines()
        #expect(lines.count >= 1_000)
        #expect(!result.standardError.contains("overran"), "a 100 ms interval fits a loopback probe")
        // Independent of the agent's own figures: each sample's wall-clock start against slot k. The wall clock
        // may run at a slightly different rate from the monotonic one the slots are on (NTP slews it by tens of
        // ppm, milliseconds over 100 s), so the slot spacing is measured as the wall clock sees it: the slope of
        // a least-squares line through the starts. A schedule that slept an interval after each round would
        // show a spacing of 100 ms plus the round's own time.
        let starts = try lines.prefix(1_000).map { try #require(Self.microseconds($0.ts)) }
        let ks = (0..<starts.count).map(Double.init)
        let meanK = ks.reduce(0, +) / Double(ks.count)
        let meanT = starts.map { Double($0 - first) }.reduce(0, +) / Double(starts.count)
        var covariance = 0.0
        var variance = 0.0
        for (k, ts) in zip(ks, starts) {
            covariance += (k - meanK) * (Double(ts - first) - meanT)
            variance += (k - meanK) * (k - meanK)
        }
        let spacing = covariance / variance
        #expect(abs(spacing - 100_000) < 100, "slots 100 ms apart on the wall clock, to 0.1%: \(spacing) µs")
        let delays = starts.enumerated().map { k, ts in Double(ts - first) - Double(k) * spacing }
        let sorted = delays.sorted()
        let p99 = sorted[Int(Double(sorted.count) * 0.99) - 1]
        #expect(sorted.first! > -2_000, "no round starts before its slot: \(sorted.first!) µs")
        #expect(p99 < 20_000, "p99 start delay \(p99) µs")
        #expect(sorted.last! < 100_000, "largest start delay \(sorted.last!) µs")
        // The agent's own account agrees.
        let reported = result.standardError.split(separator: "\n").filter { $0.contains("round finished") }
            .compactMap { logField("start_delay_us", in: $0).flatMap { Int64($0.filter(\.isNumber)) } }
        #expect(reported.count >= 1_000)
        let reportedSorted = reported.prefix(1_000).sorted()
        #expect(reportedSorted[989] < 20_000 && reportedSorted.last! < 100_000, "\(reportedSorted.suffix(5))")
    }

    @Test("A target slower than its interval: rounds never overlap, slots are skipped, overruns logged")
    func overrun() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "100ms", count: 1, targets: [("slow", server.url("/", query: ["wait_ms": "250"]))])
        let agent = try CommandRunner().start(["run", "--config", config, "--out", folder + "/out"])
        #expect(agent.waitForStandardError(containing: "round overran", timeout: 30))
        usleep(1_500_000)
        agent.send(SIGTERM)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0)
        let first = try #require(try Self.firstRounds(in: result.standardError)["slow"])
        let lines = try AgentFolderReader(out: folder + "/out", agent: "agent-test").finishedLines()
        let starts = try lines.map { try #require(Self.microseconds($0.ts)) }.sorted()
        #expect(starts.count >= 5)
        for (a, b) in zip(starts, starts.dropFirst()) {
            #expect(b - a >= 250_000, "rounds of one target never overlap: \(b - a) µs apart")
            // A round of 250+ ms started on a slot ends before the third slot after it: the next one is that one.
            let slot = Double(b - first) / 100_000
            #expect(abs(slot - slot.rounded()) < 0.2, "each round starts on a slot: \(slot)")
        }
        // Every round overruns, each one counted; the log says so once a minute per target, not every round.
        let overruns = result.standardError.split(separator: "\n").filter { $0.contains("round overran") }
        #expect(overruns.count == 1 && logField("skipped_slots", in: overruns[0]) == "2", "\(overruns)")
        let stopped = try #require(result.standardError.split(separator: "\n").last { $0.contains("stopped") })
        let counted = try #require(logField("overruns", in: stopped).flatMap { Int($0) })
        #expect(counted >= starts.count - 2, "\(counted) overruns counted over \(starts.count) rounds")
    }

    @Test("Two targets start at their own offsets within the interval, stable for the agent and target names")
    func offsets() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "2s", count: 1, targets: [("north", server.url("/n")), ("south", server.url("/s"))])
        let agent = try CommandRunner().start(["run", "--config", config, "--out", folder + "/out"])
        #expect(agent.waitForStandardError(containing: "started"))
        usleep(2_300_000)
        agent.send(SIGTERM)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0)
        let firsts = try Self.firstRounds(in: result.standardError)
        let north = try #require(firsts["north"])
        let south = try #require(firsts["south"])
        let expected =
            (RoundSchedule.offsetFraction(agent: "agent-test", target: "south")
                - RoundSchedule.offsetFraction(agent: "agent-test", target: "north")) * 2_000_000
        #expect(abs(Double(south - north) - expected) < 5_000, "offsets differ by the hashes' difference")
        let lines = try AgentFolderReader(out: folder + "/out", agent: "agent-test").finishedLines()
        for (target, slot) in [("north", north), ("south", south)] {
            let firstLine = try #require(lines.first { $0.target == target })
            let ts = try #require(Self.microseconds(firstLine.ts))
            #expect(ts - slot >= -2_000 && ts - slot < 50_000, "\(target) first ran at its logged slot")
        }
    }
}
