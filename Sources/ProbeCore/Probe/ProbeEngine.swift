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

    private struct Ready: Comparable {
        var n: Int
        var job: Int
        static func < (lhs: Ready, rhs: Ready) -> Bool { (lhs.n, lhs.job) < (rhs.n, rhs.job) }
    }

    private struct Waiting: Comparable {
        var due: Int64
        var ready: Ready
        static func < (lhs: Waiting, rhs: Waiting) -> Bool { (lhs.due, lhs.ready) < (rhs.due, rhs.ready) }
    }

    /// Runs one round: every job `target.count` times. Calls `onOutcome` for each finished probe as soon as
    /// it finishes (keep it quick: the event loop waits for it). Every scheduled probe yields exactly one
    /// outcome; a transfer that cannot even be configured yields a failed report rather than nothing.
    ///
    /// When ``cancellation`` is set the round ends early and still yields one outcome per probe: transfers
    /// that finished meanwhile are collected, transfers in flight are stopped (a `cancelled` report whose
    /// `total` is the time they ran), and each probe not started yet yields a `cancelled` report with
    /// `total` 0, stamped with the moment of cancellation; these come last, in (`n`, job) order.
    public func runRound(jobs: [ProbeJob], concurrency: Int, onOutcome: (ProbeOutcome) -> Void) {
        let limit = max(1, concurrency)
        var ready = Heap<Ready>()
        var waiting = Heap<Waiting>()
        var remaining = 0
        for (index, job) in jobs.enumerated() where job.target.count > 0 {
            ready.insert(Ready(n: 0, job: index))
            remaining += job.target.count
        }
        var running: [ObjectIdentifier: (transfer: Transfer, slot: Ready)] = [:]
        // Per job, the `n` of its next probe not started yet.
        var unstarted = [Int](repeating: 0, count: jobs.count)

        while remaining > 0 {
            if cancellation?.isCancelled == true {
                cancelRound(jobs: jobs, running: &running, unstarted: unstarted, onOutcome: onOutcome)
                return
            }
            var now = MultiHandle.monotonicMicroseconds()
            while let first = waiting.min, first.due <= now {
                ready.insert(waiting.removeMin().ready)
            }
            while running.count < limit, let next = ready.popMin() {
                let transfer = idle.popLast() ?? (try? Transfer())
                let job = jobs[next.job]
                unstarted[next.job] = next.n + 1
                var options = job.target.transfer
                if let interface = job.interface { options.interface = interface }
                do throws(CurlError) {
                    guard let transfer else { throw CurlError(numericCode: 27, context: "curl_easy_init") }
                    try transfer.configure(options, caFile: defaultCAFile)
                    try multi.add(transfer)
                    running[ObjectIdentifier(transfer)] = (transfer, next)
                } catch {
                    var report = TransferReport()
                    report.startedAt = MultiHandle.wallClockMicroseconds()
                    report.resultCode = error.code
                    report.message = error.description
                    if let transfer { idle.append(transfer) }
                    remaining -= 1
                    onOutcome(ProbeOutcome(job: next.job, n: next.n, report: report))
                    schedule(after: next, jobs: jobs, now: now, ready: &ready, waiting: &waiting)
                }
            }
            var finished = 0
            multi.perform { transfer, report in
                guard let slot = running.removeValue(forKey: ObjectIdentifier(transfer))?.slot else { return }
                idle.append(transfer)
                finished += 1
                remaining -= 1
                onOutcome(ProbeOutcome(job: slot.job, n: slot.n, report: report))
                schedule(
                    after: slot, jobs: jobs, now: MultiHandle.monotonicMicroseconds(), ready: &ready,
                    waiting: &waiting)
            }
            if remaining == 0 { break }
            // Something finished or is ready to start: go round again without waiting.
            if finished > 0 && (!ready.isEmpty || waiting.min.map { $0.due <= now } == true) { continue }
            now = MultiHandle.monotonicMicroseconds()
            var timeout = 1_000
            if let first = waiting.min {
                timeout = min(timeout, Int(max(0, (first.due - now + 999) / 1_000)))
            }
            multi.poll(timeoutMilliseconds: timeout, wakeDescriptor: cancellation?.wakeDescriptor)
        }
    }

    /// Ends a cancelled round: collects what finished, stops what runs, and reports every probe not started,
    /// one outcome each.
    private func cancelRound(
        jobs: [ProbeJob], running: inout [ObjectIdentifier: (transfer: Transfer, slot: Ready)], unstarted: [Int],
        onOutcome: (ProbeOutcome) -> Void
    ) {
        multi.perform { transfer, report in
            guard let slot = running.removeValue(forKey: ObjectIdentifier(transfer))?.slot else { return }
            idle.append(transfer)
            onOutcome(ProbeOutcome(job: slot.job, n: slot.n, report: report))
        }
        for (transfer, slot) in running.values.sorted(by: { $0.slot < $1.slot }) {
            let report = multi.cancel(transfer)
            idle.append(transfer)
            onOutcome(ProbeOutcome(job: slot.job, n: slot.n, report: report))
        }
        running.removeAll()
        var notStarted = TransferReport()
        notStarted.cancelled = true
        notStarted.startedAt = MultiHandle.wallClockMicroseconds()
        var left: [Ready] = []
        for (index, job) in jobs.enumerated() where unstarted[index] < job.target.count {
            for n in unstarted[index]..<job.target.count { left.append(Ready(n: n, job: index)) }
        }
        for slot in left.sorted() { onOutcome(ProbeOutcome(job: slot.job, n: slot.n, report: notStarted)) }
    }

    private func schedule(
        after slot: Ready, jobs: [ProbeJob], now: Int64, ready: inout Heap<Ready>,
        waiting: inout Heap<Waiting>
    ) {
        let target = jobs[slot.job].target
        let next = Ready(n: slot.n + 1, job: slot.job)
        guard next.n < target.count else { return }
        let spacing = target.spacing.microseconds
        if spacing <= 0 {
            ready.insert(next)
        } else {
            waiting.insert(Waiting(due: now + spacing, ready: next))
        }
    }
}
