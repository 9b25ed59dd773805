package import ProbeCore
internal import Synchronization

/// The agent's one round counter and one `seq` counter, shared by the scheduler (which numbers rounds as they
/// start) and the spool (which numbers samples as they are written), so that (agent, round, n) stays a unique
/// pairing key and `seq` counts on without a gap. Safe from any thread.
package final class AgentCounters: Sendable {
    private let next: Mutex<BatchCounters>

    /// Counters that continue from `start` (as the agent's state file keeps them).
    package init(start: BatchCounters) {
        next = Mutex(start)
    }

    /// Takes the next round number.
    package func takeRound() -> Int64 {
        next.withLock { counters in
            defer { counters.nextRound += 1 }
            return counters.nextRound
        }
    }

    /// Takes `count` consecutive `seq` numbers; returns the first.
    package func takeSeq(_ count: Int) -> Int64 {
        next.withLock { counters in
            defer { counters.nextSeq += Int64(count) }
            return counters.nextSeq
        }
    }

    /// Gives back the `count` `seq` numbers from `first`, when they are the last ones taken (samples dropped
    /// before they were written); returns whether they were taken back, so the next ones reuse them.
    package func giveBack(seqFrom first: Int64, count: Int) -> Bool {
        next.withLock { counters in
            guard counters.nextSeq == first + Int64(count) else { return false }
            counters.nextSeq = first
            return true
        }
    }

    /// The numbers not handed out yet.
    package var current: BatchCounters { next.withLock { $0 } }
}
