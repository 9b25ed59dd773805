import Dispatch
import CurlKit
import ProbeCore
import TestSupport
import Testing

/// ``ProbeEngine/run(_:)`` with a feed of overlapping rounds: each round whole, one concurrency limit for all,
/// the older round first, and a cancellation that ends every round in progress one outcome per probe.
@Suite("Engine: rounds from a feed", .serialized)
struct RoundFeedTests {
    /// A feed that hands out `rounds` (due times relative to its start, in microseconds) and records outcomes.
    struct ScriptedFeed: RoundFeed {
        var pending: [(due: Int64, round: FeedRound)]
        let start = MultiHandle.monotonicMicroseconds()
        let concurrency: Int
        var outcomes: [Int64: [ProbeOutcome]] = [:]
        var finished: [Int64] = []

        var nextRoundDue: Int64? { pending.map { start + $0.due }.min() }
        var isFinished: Bool { pending.isEmpty }

        mutating func roundsDue(now: Int64) -> [FeedRound] {
            let due = pending.filter { start + $0.due <= now }.map(\.round)
            pending.removeAll { start + $0.due <= now }
            return due
        }

        mutating func record(_ outcome: ProbeOutcome, round: Int64) {
            outcomes[round, default: []].append(outcome)
        }

        mutating func finish(round: Int64) { finished.append(round) }
    }

    private func jobs(_ server: LoopbackServer, wait: Int, count: Int) throws -> [ProbeJob] {
        try ["a", "b"].map { path in
            ProbeJob(
                target: try ProbeHarness.spec(server.url("/", query: ["wait_ms": "\(wait)"]), count: count),
                path: PathTags(name: path, type: .internet))
        }
    }

    @Test("Rounds due at different times overlap, share one limit, and each ends whole, once")
    func overlappingRounds() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let engine = try ProbeEngine()
        var feed = ScriptedFeed(
            pending: [
                (0, FeedRound(id: 10, jobs: try jobs(server, wait: 150, count: 2))),
                (50_000, FeedRound(id: 11, jobs: try jobs(server, wait: 150, count: 2))),
                (100_000, FeedRound(id: 12, jobs: try jobs(server, wait: 150, count: 2))),
            ], concurrency: 3)
        engine.run(&feed)
        #expect(feed.finished.sorted() == [10, 11, 12] && feed.finished.count == 3, "each round finishes once")
        for id: Int64 in [10, 11, 12] {
            let outcomes = feed.outcomes[id] ?? []
            #expect(outcomes.count == 4 && outcomes.allSatisfy { $0.report.status == 200 }, "round \(id)")
            #expect(Set(outcomes.map { "\($0.job)-\($0.n)" }).count == 4)
        }
        // Never more than 3 transfers at once, over all rounds: sweep the start and end of every transfer.
        var events: [(Int64, Int)] = []
        for outcome in feed.outcomes.values.joined() {
            events.append((outcome.report.startedAt, 1))
            events.append((outcome.report.startedAt + outcome.report.total, -1))
        }
        var inFlight = 0
        var most = 0
        for (_, change) in events.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            inFlight += change
            most = max(most, inFlight)
        }
        #expect(most <= 3, "at most 3 in flight, got \(most)")
        #expect(most >= 2, "rounds overlapped: \(most) in flight at once")
        // The oldest round's probes went first: round 10 finished before round 12 started its last probe.
        let lastOf10 = (feed.outcomes[10] ?? []).map { $0.report.startedAt }.max() ?? 0
        let firstOf12 = (feed.outcomes[12] ?? []).map { $0.report.startedAt }.min() ?? 0
        #expect(lastOf10 <= firstOf12 + 200_000)
    }

    @Test("A cancellation ends every round in progress: one outcome per probe, the unstarted ones stamped when due")
    func cancellationEndsAll() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let engine = try ProbeEngine()
        let stop = RoundCancellation()
        engine.cancellation = stop
        var feed = ScriptedFeed(
            pending: [
                (0, FeedRound(id: 1, jobs: try jobs(server, wait: 2_000, count: 3))),
                (20_000, FeedRound(id: 2, jobs: try jobs(server, wait: 2_000, count: 3))),
            ], concurrency: 8)
        let before = MultiHandle.wallClockMicroseconds()
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(300)) { stop.cancel() }
        engine.run(&feed)
        #expect(feed.finished.sorted() == [1, 2])
        for id: Int64 in [1, 2] {
            let outcomes = feed.outcomes[id] ?? []
            #expect(outcomes.count == 6 && outcomes.allSatisfy { $0.report.cancelled }, "round \(id)")
            let notStarted = outcomes.filter { $0.report.total == 0 }
            #expect(notStarted.count == 4, "two in flight per round, four never started")
            #expect(notStarted.allSatisfy { $0.report.startedAt >= before + 250_000 })
        }
    }
}
