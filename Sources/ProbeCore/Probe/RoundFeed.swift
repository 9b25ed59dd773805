/// What a ``ProbeEngine`` running continuously asks for rounds and tells about their outcomes: the continuous
/// agent's scheduler is one; a single round (``ProbeEngine/runRound(jobs:concurrency:onOutcome:)``) is another.
///
/// The engine calls every requirement on its own thread, between polls. Rounds handed out may overlap in time;
/// they share the engine's one concurrency limit, and the older round's probes go first.
public protocol RoundFeed {
    /// The rounds to start now, `now` being the monotonic clock in microseconds
    /// (``CurlKit/MultiHandle/monotonicMicroseconds()``). Called on every turn of the engine's loop.
    mutating func roundsDue(now: Int64) -> [FeedRound]
    /// The monotonic time (microseconds) at which the next round is due, nil when none is planned; the engine
    /// wakes up for it. Anything else that should wake the engine calls its ``ProbeEngine/waker``.
    var nextRoundDue: Int64? { get }
    /// Transfers in flight at most, over all rounds; read on every turn, so it may change.
    var concurrency: Int { get }
    /// True once no round will be handed out any more: the engine returns when the rounds it runs are done.
    var isFinished: Bool { get }
    /// One probe of round `round` finished (or was cancelled): called once per scheduled probe.
    mutating func record(_ outcome: ProbeOutcome, round: Int64)
    /// Every probe of round `round` has its outcome.
    mutating func finish(round: Int64)
}

/// A round a ``RoundFeed`` hands to the engine: an id of the feed's choosing and the jobs to run.
public struct FeedRound: Sendable {
    /// The feed's id for the round, given back with its outcomes; unique among rounds in progress.
    public var id: Int64
    /// The jobs, each run `target.count` times, `spacing` apart.
    public var jobs: [ProbeJob]

    /// Makes a round.
    public init(id: Int64, jobs: [ProbeJob]) {
        self.id = id
        self.jobs = jobs
    }
}
