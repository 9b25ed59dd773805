import ProbeAgent
import Testing

/// Slots of the continuous agent's schedule: stable offsets within one interval, no drift, no catch-up.
@Suite("round schedule")
struct RoundScheduleTests {
    @Test("the first slot is within one interval of the start, at the same place on every start")
    func firstSlot() {
        let start: Int64 = 5_000_000
        for target in ["entra-id", "teams", "graph", "blob-westeurope", ""] {
            let schedule = RoundSchedule(interval: .seconds(60), agent: "ams-01", target: target, start: start)
            #expect(schedule.firstSlot >= start && schedule.firstSlot < start + 60_000_000, "\(target)")
            let later = RoundSchedule(interval: .seconds(60), agent: "ams-01", target: target, start: start + 7)
            #expect(later.firstSlot - schedule.firstSlot == 7, "the offset depends on the names only")
        }
    }

    @Test("offsets are a fixed function of the names, and spread targets and agents over the interval")
    func offsetsSpread() {
        // Pinned values (computed independently in Python): a fleet keeps its spread across versions.
        #expect(RoundSchedule.offsetFraction(agent: "a", target: "b") == 0.6698144629221369)
        #expect(RoundSchedule.offsetFraction(agent: "ams-01", target: "entra-id") == 0.735728021308905)
        #expect(
            RoundSchedule.offsetFraction(agent: "ab", target: "")
                != RoundSchedule.offsetFraction(agent: "a", target: "b"))
        var buckets = [Int](repeating: 0, count: 10)
        for agent in 0..<20 {
            for target in 0..<50 {
                let fraction = RoundSchedule.offsetFraction(agent: "agent-\(agent)", target: "target-\(target)")
                #expect(fraction >= 0 && fraction < 1)
                buckets[Int(fraction * 10)] += 1
            }
        }
        // 1,000 offsets in 10 buckets: each near 100; a hash that clusters would leave some nearly empty.
        #expect(buckets.allSatisfy { (60...140).contains($0) }, "\(buckets)")
    }

    @Test("a round that fits takes the next slot; an overrun skips to the next free slot without catching up")
    func overruns() {
        let schedule = RoundSchedule(interval: .milliseconds(100), agent: "a", target: "t", start: 0)
        let slot = schedule.firstSlot
        #expect(schedule.slot(after: slot, finished: slot + 30_000) == (slot + 100_000, 0))
        #expect(schedule.slot(after: slot, finished: slot + 100_000) == (slot + 100_000, 0))
        #expect(schedule.slot(after: slot, finished: slot + 100_001) == (slot + 200_000, 1))
        #expect(schedule.slot(after: slot, finished: slot + 350_000) == (slot + 400_000, 3))
    }

    @Test("slots come from the start: 1,000 rounds of varying length never drift")
    func noDrift() {
        let schedule = RoundSchedule(interval: .milliseconds(100), agent: "a", target: "t", start: 1_000)
        var slot = schedule.firstSlot
        for round in 1...1_000 {
            let duration = Int64(round % 7) * 9_000  // rounds of 0 to 54 ms
            slot = schedule.slot(after: slot, finished: slot + duration).slot
        }
        #expect(slot == schedule.firstSlot + 1_000 * 100_000)
    }
}
