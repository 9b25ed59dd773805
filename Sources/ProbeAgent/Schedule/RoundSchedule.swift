/// When one target's rounds start in the continuous agent: on slots `interval` apart on the monotonic clock,
/// shifted by a stable offset derived from (agent, target).
///
/// The offset spreads a fleet of agents, and one agent's targets, over the interval, so they do not all probe
/// an endpoint at the same moment; it is the same on every start of the same agent, so a target keeps its place
/// in the interval across restarts. The first slot lies in `[start, start + interval)`. Slots are computed from
/// the start, never by sleeping an interval after each round, so time spent probing does not drift the
/// schedule; a round that overruns gives up the slots it covered (no catch-up burst).
public struct RoundSchedule: Sendable, Hashable {
    /// Time between slots, in microseconds (more than 0).
    public let interval: Int64
    /// Monotonic time of the first slot, in microseconds.
    public let firstSlot: Int64

    /// The schedule of `target` on `agent`, for an agent that started at `start` (monotonic microseconds).
    public init(interval: Duration, agent: String, target: String, start: Int64) {
        let (seconds, attoseconds) = interval.components
        let micros = max(1, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        self.interval = micros
        self.firstSlot = start + Int64(Self.offsetFraction(agent: agent, target: target) * Double(micros))
    }

    /// Where in the interval (0 up to, not including, 1) the target's slots fall: a hash of the agent and target
    /// names (64-bit FNV-1a over their UTF-8 bytes with a 0 between them, then MurmurHash3's 64-bit finaliser so
    /// that names differing only in their last bytes still spread), stable across runs and platforms.
    public static func offsetFraction(agent: String, target: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in agent.utf8 + [0] + target.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        hash = (hash ^ (hash >> 33)) &* 0xff51_afd7_ed55_8ccd
        hash = (hash ^ (hash >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return Double(hash >> 11) / Double(UInt64(1) << 53)
    }

    /// The slot after a round that started on `slot` and finished at `finished` (monotonic microseconds): the
    /// next slot when the round fit its interval, else the first slot at or after `finished`; `skipped` counts
    /// the slots the overrun gave up (0 when it fit).
    public func slot(after slot: Int64, finished: Int64) -> (slot: Int64, skipped: Int) {
        let next = slot + interval
        guard finished > next else { return (next, 0) }
        let behind = finished - next
        let steps = (behind + interval - 1) / interval
        return (next + steps * interval, Int(steps))
    }
}
