public import CurlKit
import HeapModule

/// Runs rounds of probes over one persistent libcurl multi handle.
///
/// Rules (<doc:RoundsAndBatches>):
/// - the `count` samples of one job run one after another, `spacing` apart (from the end of one to the
///   start of the next), never at the same time;
/// - different jobs run at once, at most `concurrency` transfers in flight;
/// - a free slot goes to the waiting sample with the lowest (`n`, job index), so the paths of one target
///   (adjacent jobs) start together and comparisons are paired.
///
/// The engine is driven by the calling thread; it is not `Sendable`. One engine lives for the process
/// so that libcurl's CA cache survives between transfers and rounds. Set ``cancellation`` to stop rounds
/// early (on a signal, at shutdown).
public final class ProbeEngine {
    private let multi: MultiHandle
    private var idle: [Transfer] = []
    private let defaultCAFile: String?

    /// The stop request every round of this engine honours, egress discovery's included: once it is set, a
    /// round stops its transfers and ends at once, every probe not finished a `cancelled` outcome.
    public var cancellation: RoundCancellation?

    /// Makes the engine; throws when libcurl cannot start (an environment fault).
    public init() throws(CurlError) {
        multi = try MultiHandle()
        defaultCAFile = CurlGlobal.defaultCABundle
    }

    /// One probe waiting for a free transfer: the older round first, then the lower `n`, then the job order.
    private struct Ready: Comparable, Hashable {
        var order: Int64
        var n: Int
        var job: Int
        static func < (lhs: Ready, rhs: Ready) -> Bool { (lhs.order, lhs.n, lhs.job) < (rhs.order, rhs.n, rhs.job) }
    }

    /// One probe waiting for its `spacing` to pass.
    private struct Waiting: Comparable {
        var due: Int64
        var ready: Ready
        static func < (lhs: Waiting, rhs: Waiting) -> Bool { (lhs.due, lhs.ready) < (rhs.due, rhs.ready) }
    }

    /// A round in progress: its feed id, jobs, and how far each job got.
    private struct ActiveRound {
        var id: Int64
        var jobs: [ProbeJob]
        /// Per job, the `n` of its next probe not started yet.
        var unstarted: [Int]
        /// Probes without an outcome yet.
        var remaining: Int
    }

    /// Everything the loop keeps between turns.
    private struct LoopState {
        var ready = Heap<Ready>()
        var waiting = Heap<Waiting>()
        var running: [ObjectIdentifier: (transfer: Transfer, slot: Ready)] = [:]
        var rounds: [Int64: ActiveRound] = [:]
        var nextOrder: Int64 = 0
    }

    /// Runs one round: every job `target.count` times. Calls `onOutcome` for each finished probe as soon as
    /// it finishes (keep it quick: the event loop waits for it). Every scheduled probe yields exactly one
    /// outcome; a transfer that cannot even be configured yields a failed report rather than nothing.
    ///
    /// When ``cancellation`` is set the round ends early and still yields one outcome per probe: transfers
    /// that finished meanwhile are collected, transfers in flight are stopped (a `cancelled` report whose
    /// `total` is the time they ran), and each probe not started yet yields a `cancelled` report with
    /// `total` 0, stamped with the time it was due (at the earliest, the moment of cancellation); these come
    /// last, in (`n`, job) order.
    public func runRound(jobs: [ProbeJob], concurrency: Int, onOutcome: (ProbeOutcome) -> Void) {
        withoutActuallyEscaping(onOutcome) { onOutcome in
            var feed = SingleRound(jobs: jobs, concurrency: concurrency, onOutcome: onOutcome)
            run(&feed)
        }
    }

    /// Runs the rounds `feed` hands out, as they come due, until the feed ``RoundFeed/isFinished`` and every
    /// round handed out is done; all rounds share the one multi handle and the feed's concurrency limit.
    /// Each round keeps the rules of ``runRound(jobs:concurrency:onOutcome:)``.
    ///
    /// When ``cancellation`` is set, every round in progress ends as a cancelled single round does, each
    /// still one outcome per probe and then ``RoundFeed/finish(round:)``, and the loop returns.
    public func run(_ feed: inout some RoundFeed) {
        var state = LoopState()
        while true {
            var now = MultiHandle.monotonicMicroseconds()
            for round in feed.roundsDue(now: now) { begin(round, state: &state, feed: &feed) }
            // A round due when the cancellation is found still yields one (cancelled) outcome per probe.
            if cancellation?.isCancelled == true {
                cancelRounds(&state, feed: &feed)
                return
            }
            while let first = state.waiting.min, first.due <= now {
                state.ready.insert(state.waiting.removeMin().ready)
            }
            startReady(&state, limit: max(1, feed.concurrency), now: now, feed: &feed)
            var finished = 0
            multi.perform { transfer, report in
                guard let slot = state.running.removeValue(forKey: ObjectIdentifier(transfer))?.slot else { return }
                idle.append(transfer)
                finished += 1
                complete(slot, report: report, state: &state, feed: &feed, now: MultiHandle.monotonicMicroseconds())
            }
            if state.rounds.isEmpty && feed.isFinished { return }
            // Something finished or is ready to start: go round again without waiting.
            if finished > 0 && (!state.ready.isEmpty || state.waiting.min.map { $0.due <= now } == true) { continue }
            now = MultiHandle.monotonicMicroseconds()
            var due = state.waiting.min?.due
            if let next = feed.nextRoundDue { due = min(due ?? next, next) }
            var timeout = 1_000
            if let due { timeout = min(timeout, Int(max(0, (due - now + 999) / 1_000))) }
            multi.poll(timeoutMilliseconds: timeout, wakeDescriptor: cancellation?.wakeDescriptor)
        }
    }

    /// A handle that wakes the engine's poll from any thread, for a feed whose plans change from outside
    /// (a reload, a shutdown). Valid while the engine lives.
    public var waker: Waker { Waker(multi: multi) }

    /// Wakes a ``ProbeEngine`` waiting in its poll; safe from any thread while the engine lives.
    public struct Waker: @unchecked Sendable {
        fileprivate let multi: MultiHandle
        /// Ends the engine's current poll early, so that it asks its feed again.
        public func wake() { multi.wakeup() }
    }

    /// Takes a round into the loop; a round without probes is finished at once.
    private func begin(_ round: FeedRound, state: inout LoopState, feed: inout some RoundFeed) {
        var remaining = 0
        let order = state.nextOrder
        state.nextOrder += 1
        for (index, job) in round.jobs.enumerated() where job.target.count > 0 {
            state.ready.insert(Ready(order: order, n: 0, job: index))
            remaining += job.target.count
        }
        guard remaining > 0 else {
            feed.finish(round: round.id)
            return
        }
        state.rounds[order] = ActiveRound(
            id: round.id, jobs: round.jobs, unstarted: [Int](repeating: 0, count: round.jobs.count),
            remaining: remaining)
    }

    /// Starts ready probes while transfers are free.
    private func startReady(_ state: inout LoopState, limit: Int, now: Int64, feed: inout some RoundFeed) {
        while state.running.count < limit, let next = state.ready.popMin() {
            guard let round = state.rounds[next.order] else { continue }
            let job = round.jobs[next.job]
            state.rounds[next.order]?.unstarted[next.job] = next.n + 1
            let transfer = idle.popLast() ?? (try? Transfer())
            var options = job.target.transfer
            if let interface = job.interface { options.interface = interface }
            do throws(CurlError) {
                guard let transfer else { throw CurlError(numericCode: 27, context: "curl_easy_init") }
                try transfer.configure(options, caFile: defaultCAFile)
                try multi.add(transfer)
                state.running[ObjectIdentifier(transfer)] = (transfer, next)
            } catch {
                var report = TransferReport()
                report.startedAt = MultiHandle.wallClockMicroseconds()
                report.resultCode = error.code
                report.message = error.description
                if let transfer { idle.append(transfer) }
                complete(next, report: report, state: &state, feed: &feed, now: now)
            }
        }
    }

    /// Hands one probe's outcome to the feed, schedules the job's next probe and finishes the round when it
    /// was its last.
    private func complete(
        _ slot: Ready, report: TransferReport, state: inout LoopState, feed: inout some RoundFeed, now: Int64
    ) {
        guard var round = state.rounds[slot.order] else { return }
        round.remaining -= 1
        feed.record(ProbeOutcome(job: slot.job, n: slot.n, report: report), round: round.id)
        if round.remaining == 0 {
            state.rounds[slot.order] = nil
            feed.finish(round: round.id)
            return
        }
        state.rounds[slot.order] = round
        let target = round.jobs[slot.job].target
        let next = Ready(order: slot.order, n: slot.n + 1, job: slot.job)
        guard next.n < target.count else { return }
        let spacing = target.spacing.microseconds
        if spacing <= 0 {
            state.ready.insert(next)
        } else {
            state.waiting.insert(Waiting(due: now + spacing, ready: next))
        }
    }

    /// Ends every round in progress: collects what finished, stops what runs, and reports every probe not
    /// started, one outcome each (stamped with the time it was due, at the earliest now), then finishes the
    /// rounds, oldest first.
    private func cancelRounds(_ state: inout LoopState, feed: inout some RoundFeed) {
        var outcomes: [Int64: [ProbeOutcome]] = [:]
        multi.perform { transfer, report in
            guard let slot = state.running.removeValue(forKey: ObjectIdentifier(transfer))?.slot else { return }
            idle.append(transfer)
            outcomes[slot.order, default: []].append(ProbeOutcome(job: slot.job, n: slot.n, report: report))
        }
        for (transfer, slot) in state.running.values.sorted(by: { $0.slot < $1.slot }) {
            let report = multi.cancel(transfer)
            idle.append(transfer)
            outcomes[slot.order, default: []].append(ProbeOutcome(job: slot.job, n: slot.n, report: report))
        }
        state.running.removeAll()
        let nowWall = MultiHandle.wallClockMicroseconds()
        let nowMonotonic = MultiHandle.monotonicMicroseconds()
        var due: [Ready: Int64] = [:]
        for waiting in state.waiting.unordered { due[waiting.ready] = waiting.due }
        for order in state.rounds.keys.sorted() {
            guard let round = state.rounds[order] else { continue }
            var left: [Ready] = []
            for (index, job) in round.jobs.enumerated() where round.unstarted[index] < job.target.count {
                for n in round.unstarted[index]..<job.target.count {
                    left.append(Ready(order: order, n: n, job: index))
                }
            }
            for outcome in outcomes[order] ?? [] { feed.record(outcome, round: round.id) }
            for slot in left.sorted() {
                // The first probe a job had not started was due when its spacing ends (now when it was ready);
                // each later one a spacing after that.
                let first = Ready(order: order, n: round.unstarted[slot.job], job: slot.job)
                let firstDue = max(nowMonotonic, due[first] ?? nowMonotonic)
                let spacing = max(0, round.jobs[slot.job].target.spacing.microseconds)
                var notStarted = TransferReport()
                notStarted.cancelled = true
                notStarted.startedAt = nowWall + (firstDue - nowMonotonic) + Int64(slot.n - first.n) * spacing
                feed.record(ProbeOutcome(job: slot.job, n: slot.n, report: notStarted), round: round.id)
            }
            feed.finish(round: round.id)
        }
        state.rounds.removeAll()
    }
}

/// The feed of ``ProbeEngine/runRound(jobs:concurrency:onOutcome:)``: one round, handed out at once.
private struct SingleRound: RoundFeed {
    var jobs: [ProbeJob]?
    let concurrency: Int
    let onOutcome: (ProbeOutcome) -> Void

    init(jobs: [ProbeJob], concurrency: Int, onOutcome: @escaping (ProbeOutcome) -> Void) {
        self.jobs = jobs
        self.concurrency = concurrency
        self.onOutcome = onOutcome
    }

    var nextRoundDue: Int64? { nil }
    var isFinished: Bool { jobs == nil }

    mutating func roundsDue(now: Int64) -> [FeedRound] {
        guard let jobs else { return [] }
        self.jobs = nil
        return [FeedRound(id: 0, jobs: jobs)]
    }

    func record(_ outcome: ProbeOutcome, round: Int64) { onOutcome(outcome) }
    func finish(round: Int64) {}
}
