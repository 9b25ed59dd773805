package import CurlKit
import HeapModule
package import Logging
package import ProbeCore

/// The continuous agent's schedule, as the ``ProbeCore/ProbeEngine`` runs it (a ``ProbeCore/RoundFeed``): each
/// target's rounds on the slots of its ``RoundSchedule``, never two of one target at once, numbered from the
/// agent's one round counter; egress discovery again every few minutes and when a path's local address
/// changes; a new config from each target's next round; after a shutdown request no new rounds, and the
/// rounds in progress cancelled when the grace period ends.
///
/// It lives on the engine's thread; other threads reach it through its ``SchedulerMailbox`` (and wake the
/// engine), and it reports through ``SchedulerEvents``.
package struct AgentScheduler: RoundFeed {
    private struct TargetState {
        var name: String
        var interval: Duration
        var schedule: RoundSchedule
        /// The slot of the round running or last run (one interval before the first slot at first).
        var slot: Int64
        var nextSlot: Int64
        var running = false
        var removed = false
        /// Counts changes of `nextSlot` (and removal), so that stale entries of the due heap are passed over.
        var generation = 0
        var jobs: [ProbeJob] = []
    }

    /// A target waiting for its slot: the earliest slot first, then the config order.
    private struct Due: Comparable {
        var slot: Int64
        var index: Int
        var generation: Int
        static func < (lhs: Due, rhs: Due) -> Bool { (lhs.slot, lhs.index) < (rhs.slot, rhs.index) }
    }

    private struct InFlight {
        var index: Int
        var slot: Int64
        var started: Int64
        var jobs: [ProbeJob]
        var outcomes: [ProbeOutcome] = []
    }

    private var config: ProbeConfig
    private var runner: RoundRunner
    private var concurrencyLimit: Int
    private var hasDiscoverablePaths: Bool
    /// Every target ever scheduled, by index; a removed one stays as a tombstone (a reload may bring it back).
    private var states: [TargetState] = []
    private var indexByName: [String: Int] = [:]
    /// The targets of the config in force, in config order.
    private var order: [Int] = []
    private var due = Heap<Due>()
    private var inFlight: [Int64: InFlight] = [:]
    private var egress: EgressState
    /// The last local address text seen per path, so that only a change is parsed and acted on.
    private var lastLocalIP: [String: String] = [:]
    private var tags: [String: PathTags] = [:]
    private var pathWarnings: Set<String> = []
    private var discoveryDue: Int64
    private var discovery: (id: Int64, jobs: [ProbeJob], found: [String: IPAddress])?
    private var nextDiscoveryID: Int64 = -1
    private var graceDeadline: Int64?
    private var removedSinceReport: [String] = []
    private let agent: String
    private let counters: AgentCounters
    private let mailbox: SchedulerMailbox
    private let cancellation: RoundCancellation
    private let folder: OutputFolder?
    private let logger: Logger
    private let events: SchedulerEvents

    /// A scheduler for `config`, started at `start` (monotonic microseconds): each target's first round at its
    /// offset slot within one interval of `start`. `egress` is what is known of the paths (remembered and
    /// just discovered); `folder`, when given, keeps that knowledge across restarts.
    package init(
        config: ProbeConfig, start: Int64, egress: EgressState, counters: AgentCounters, mailbox: SchedulerMailbox,
        cancellation: RoundCancellation, folder: OutputFolder?, logger: Logger, events: SchedulerEvents
    ) {
        self.config = config
        self.runner = RoundRunner(config: config)
        self.concurrencyLimit = config.concurrency(overrides: ProbeOverrides())
        self.hasDiscoverablePaths = Self.discoverable(config)
        self.agent = config.agentID
        self.egress = egress
        self.counters = counters
        self.mailbox = mailbox
        self.cancellation = cancellation
        self.folder = folder
        self.logger = logger
        self.events = events
        self.discoveryDue = start + config.schedule.egressDiscovery.microseconds
        apply(config, now: start, initial: true)
    }

    /// When each target's first round is due (monotonic microseconds), in config order.
    package var firstSlots: [(target: String, slot: Int64)] {
        order.map { (states[$0].name, states[$0].nextSlot) }
    }

    package var concurrency: Int { concurrencyLimit }

    package var isFinished: Bool { graceDeadline != nil }

    package var nextRoundDue: Int64? {
        if let graceDeadline { return cancellation.isCancelled ? nil : graceDeadline }
        // A stale heap entry can only be earlier than the truth: the engine then wakes a little early.
        let next = due.min?.slot
        guard discovery == nil, hasDiscoverablePaths else { return next }
        return min(next ?? discoveryDue, discoveryDue)
    }

    package mutating func roundsDue(now: Int64) -> [FeedRound] {
        let requests = mailbox.take()
        if let deadline = requests.graceDeadline {
            graceDeadline = deadline
            if now >= deadline, !cancellation.isCancelled, !inFlight.isEmpty || discovery != nil {
                logger.info(
                    "grace period over: cancelling the rounds in progress",
                    metadata: ["rounds": .stringConvertible(inFlight.count)])
                cancellation.cancel()
            }
            return []
        }
        if let newConfig = requests.config { apply(newConfig, now: now, initial: false) }
        var rounds: [FeedRound] = []
        if discovery == nil, hasDiscoverablePaths, now >= discoveryDue {
            let jobs = EgressDiscovery().jobs(
                paths: config.effectivePaths.filter { $0.egressIP == nil }, insecure: config.defaults.insecure,
                caFile: config.defaults.caFile)
            discovery = (nextDiscoveryID, jobs, [:])
            rounds.append(FeedRound(id: nextDiscoveryID, jobs: jobs))
            nextDiscoveryID -= 1
            discoveryDue = now + config.schedule.egressDiscovery.microseconds
        }
        while let first = due.min, first.slot <= now {
            due.removeMin()
            let index = first.index
            guard states[index].generation == first.generation, !states[index].running, !states[index].removed
            else { continue }
            let round = counters.takeRound()
            states[index].running = true
            states[index].slot = states[index].nextSlot
            inFlight[round] = InFlight(index: index, slot: states[index].slot, started: now, jobs: states[index].jobs)
            rounds.append(FeedRound(id: round, jobs: states[index].jobs))
        }
        return rounds
    }

    package mutating func record(_ outcome: ProbeOutcome, round: Int64) {
        if round < 0 {
            guard let current = discovery, current.id == round,
                let address = EgressDiscovery.address(in: outcome.report)
            else { return }
            discovery?.found[current.jobs[outcome.job].path.name] = address
            return
        }
        inFlight[round]?.outcomes.append(outcome)
    }

    package mutating func finish(round: Int64) {
        let now = MultiHandle.monotonicMicroseconds()
        if round < 0 {
            guard let finished = discovery, finished.id == round else { return }
            discovery = nil
            egress.discovered.merge(finished.found) { _, new in new }
            replan(now: now)
            return
        }
        guard let flight = inFlight.removeValue(forKey: round) else { return }
        noteLocalAddresses(of: flight, now: now)
        let index = flight.index
        let (next, skipped) = states[index].schedule.slot(after: flight.slot, finished: now)
        states[index].running = false
        events.roundFinished(
            FinishedRound(
                target: states[index].name, round: round, outcomes: flight.outcomes, jobs: flight.jobs, runner: runner,
                startDelay: flight.started - flight.slot, finished: now, duration: now - flight.started,
                overranSlots: skipped, interval: states[index].interval))
        if states[index].removed {
            removedSinceReport.append(states[index].name)
            reportTargets()
        } else {
            setNextSlot(next, of: index)
        }
    }

    /// Sets a target's next slot and queues it.
    private mutating func setNextSlot(_ slot: Int64, of index: Int) {
        states[index].nextSlot = slot
        states[index].generation += 1
        due.insert(Due(slot: slot, index: index, generation: states[index].generation))
    }

    /// Whether some path of `config` has no configured egress address and a discovery URL.
    private static func discoverable(_ config: ProbeConfig) -> Bool {
        config.effectivePaths.contains { $0.egressIP == nil && $0.egressDiscovery != nil }
    }

    /// Remembers the local address each path's answered transfers used; a change prompts egress discovery at
    /// once (the path may have failed over to another uplink), and a new address a new plan.
    private mutating func noteLocalAddresses(of flight: InFlight, now: Int64) {
        var changed = false
        var seen = false
        for outcome in flight.outcomes where outcome.report.status > 0 {
            guard let text = outcome.report.localIP else { continue }
            let path = flight.jobs[outcome.job].path.name
            guard lastLocalIP[path] != text else { continue }
            lastLocalIP[path] = text
            guard let address = IPAddress(text), egress.local[path] != address else { continue }
            if let before = egress.local[path] {
                logger.info(
                    "path's local address changed: discovering its egress again",
                    metadata: ["path": "\(path)", "from": "\(before)", "to": "\(address)"])
                changed = true
            }
            seen = true
            egress.local[path] = address
        }
        if changed { discoveryDue = now }
        if seen { replan(now: now) }
    }

    /// Takes a config: targets added start at their slot, removed ones stop after their current round, changed
    /// ones run their new jobs from their next round.
    private mutating func apply(_ newConfig: ProbeConfig, now: Int64, initial: Bool) {
        config = newConfig
        runner = RoundRunner(config: newConfig)
        concurrencyLimit = newConfig.concurrency(overrides: ProbeOverrides())
        hasDiscoverablePaths = Self.discoverable(newConfig)
        var newOrder: [Int] = []
        for spec in newConfig.targetSpecs() {
            let interval = spec.interval
            if let index = indexByName[spec.name], !states[index].removed || states[index].running {
                states[index].removed = false
                if states[index].interval != interval {
                    let schedule = RoundSchedule(interval: interval, agent: agent, target: spec.name, start: now)
                    states[index].interval = interval
                    states[index].schedule = schedule
                    states[index].slot = schedule.firstSlot - schedule.interval
                    if !states[index].running { setNextSlot(schedule.firstSlot, of: index) }
                }
                newOrder.append(index)
            } else {
                let schedule = RoundSchedule(interval: interval, agent: agent, target: spec.name, start: now)
                let state = TargetState(
                    name: spec.name, interval: interval, schedule: schedule,
                    slot: schedule.firstSlot - schedule.interval, nextSlot: schedule.firstSlot)
                let index: Int
                if let old = indexByName[spec.name] {
                    index = old
                    states[index] = TargetState(
                        name: state.name, interval: state.interval, schedule: state.schedule, slot: state.slot,
                        nextSlot: state.nextSlot, generation: states[index].generation)
                } else {
                    index = states.count
                    states.append(state)
                    indexByName[spec.name] = index
                }
                setNextSlot(schedule.firstSlot, of: index)
                newOrder.append(index)
                if !initial { logger.info("target added", metadata: ["target": "\(spec.name)"]) }
            }
        }
        let kept = Set(newOrder)
        for index in order where !kept.contains(index) {
            logger.info("target removed", metadata: ["target": "\(states[index].name)"])
            states[index].removed = true
            states[index].generation += 1
            if !states[index].running { removedSinceReport.append(states[index].name) }
        }
        order = newOrder
        replan(now: now, initial: initial)
        reportTargets()
    }

    /// Plans every target's jobs from the config and what is known of the egress; logs each path whose tags
    /// changed.
    private mutating func replan(now: Int64, initial: Bool = false) {
        let plan = RoundPlan(config: config, egress: egress)
        // A warning about the paths is logged when it first holds, not on every replan.
        for warning in plan.warnings where !pathWarnings.contains(warning) { logger.warning("\(warning)") }
        pathWarnings = Set(plan.warnings)
        var newTags: [String: PathTags] = [:]
        for job in plan.jobs { newTags[job.path.name] = job.path }
        if !initial {
            for (path, new) in newTags.sorted(by: { $0.key < $1.key }) where tags[path] != nil && tags[path] != new {
                logger.info(
                    "path tags changed",
                    metadata: [
                        "path": "\(path)", "from": "\(Self.describe(tags[path]!))", "to": "\(Self.describe(new))",
                    ])
            }
        }
        tags = newTags
        var jobsByTarget: [String: [ProbeJob]] = [:]
        for job in plan.jobs { jobsByTarget[job.target.name, default: []].append(job) }
        for index in order { states[index].jobs = jobsByTarget[states[index].name] ?? [] }
        saveEgress()
    }

    /// Reports the scheduled targets and those removed since the last report.
    private mutating func reportTargets() {
        var scheduled: [String: RoundSchedule] = [:]
        for index in order { scheduled[states[index].name] = states[index].schedule }
        events.targetsChanged(scheduled, removedSinceReport)
        removedSinceReport = []
    }

    /// Keeps what is known of the egress in the output folder; a failure is logged, not fatal.
    private func saveEgress() {
        guard let folder else { return }
        do throws(SpoolError) {
            try folder.writeEgressState(egress)
        } catch {
            logger.warning("cannot keep the paths' egress state", metadata: ["error": "\(error)"])
        }
    }

    private static func describe(_ tags: PathTags) -> String {
        var parts = [tags.type.rawValue]
        if let isp = tags.isp { parts.append("ISP \(isp)") }
        if let prefix = tags.prefix { parts.append("prefix \(prefix)") }
        if let egress = tags.egressIP { parts.append("egress \(egress)") }
        return parts.joined(separator: ", ")
    }
}
