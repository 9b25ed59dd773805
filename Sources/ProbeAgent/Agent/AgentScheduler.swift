package import CurlKit
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
        var interval: Duration
        var schedule: RoundSchedule
        /// The slot of the round running or last run (one interval before the first slot at first).
        var slot: Int64
        var nextSlot: Int64
        var running = false
        var removed = false
        var jobs: [ProbeJob] = []
    }

    private struct InFlight {
        var target: String
        var slot: Int64
        var started: Int64
        var jobs: [ProbeJob]
        var outcomes: [ProbeOutcome] = []
    }

    private var config: ProbeConfig
    private var runner: RoundRunner
    private var order: [String] = []
    private var targets: [String: TargetState] = [:]
    private var inFlight: [Int64: InFlight] = [:]
    private var egress: EgressState
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
        order.compactMap { name in targets[name].map { (name, $0.nextSlot) } }
    }

    package var concurrency: Int { config.concurrency(overrides: ProbeOverrides()) }

    package var isFinished: Bool { graceDeadline != nil }

    package var nextRoundDue: Int64? {
        if let graceDeadline { return cancellation.isCancelled ? nil : graceDeadline }
        var due: Int64? = discovery == nil && hasDiscoverablePaths ? discoveryDue : nil
        for state in targets.values where !state.running && !state.removed {
            due = min(due ?? state.nextSlot, state.nextSlot)
        }
        return due
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
        var due: [FeedRound] = []
        if discovery == nil, hasDiscoverablePaths, now >= discoveryDue {
            let jobs = EgressDiscovery().jobs(
                paths: config.effectivePaths.filter { $0.egressIP == nil }, insecure: config.defaults.insecure,
                caFile: config.defaults.caFile)
            discovery = (nextDiscoveryID, jobs, [:])
            due.append(FeedRound(id: nextDiscoveryID, jobs: jobs))
            nextDiscoveryID -= 1
            discoveryDue = now + config.schedule.egressDiscovery.microseconds
        }
        for name in order {
            guard var state = targets[name], !state.running, !state.removed, state.nextSlot <= now else { continue }
            let round = counters.takeRound()
            state.running = true
            state.slot = state.nextSlot
            targets[name] = state
            inFlight[round] = InFlight(target: name, slot: state.slot, started: now, jobs: state.jobs)
            due.append(FeedRound(id: round, jobs: state.jobs))
        }
        return due
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
        guard let flight = inFlight.removeValue(forKey: round), var state = targets[flight.target] else { return }
        let result = runner.samples(from: flight.outcomes, of: flight.jobs, round: round, batch: "", firstSeq: 0)
        noteLocalAddresses(result.localAddresses, now: now)
        let (next, skipped) = state.schedule.slot(after: flight.slot, finished: now)
        state.running = false
        state.nextSlot = next
        events.roundFinished(
            FinishedRound(
                target: flight.target, round: round, samples: result.samples, startDelay: flight.started - flight.slot,
                finished: now, duration: now - flight.started, overranSlots: skipped, interval: state.interval))
        if state.removed {
            targets[flight.target] = nil
            removedSinceReport.append(flight.target)
            reportTargets()
        } else {
            targets[flight.target] = state
        }
    }

    /// Whether some path has no configured egress address and a discovery URL.
    private var hasDiscoverablePaths: Bool {
        config.effectivePaths.contains { $0.egressIP == nil && $0.egressDiscovery != nil }
    }

    /// Remembers the local addresses the paths' transfers used; a change prompts egress discovery at once (the
    /// path may have failed over to another uplink).
    private mutating func noteLocalAddresses(_ addresses: [String: IPAddress], now: Int64) {
        var changed = false
        var seen = false
        for (path, address) in addresses where egress.local[path] != address {
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
        let specs = newConfig.targetSpecs()
        var names: [String] = []
        for spec in specs {
            names.append(spec.name)
            let interval = spec.interval
            if var state = targets[spec.name], !state.removed || state.running {
                state.removed = false
                if state.interval != interval {
                    let schedule = RoundSchedule(interval: interval, agent: agent, target: spec.name, start: now)
                    state.interval = interval
                    state.schedule = schedule
                    if !state.running { state.nextSlot = schedule.firstSlot }
                    state.slot = schedule.firstSlot - schedule.interval
                }
                targets[spec.name] = state
            } else {
                let schedule = RoundSchedule(interval: interval, agent: agent, target: spec.name, start: now)
                targets[spec.name] = TargetState(
                    interval: interval, schedule: schedule, slot: schedule.firstSlot - schedule.interval,
                    nextSlot: schedule.firstSlot)
                if !initial { logger.info("target added", metadata: ["target": "\(spec.name)"]) }
            }
        }
        for name in order where !names.contains(name) {
            guard var state = targets[name] else { continue }
            logger.info("target removed", metadata: ["target": "\(name)"])
            if state.running {
                state.removed = true
                targets[name] = state
                names.append(name)
            } else {
                targets[name] = nil
                removedSinceReport.append(name)
            }
        }
        order = names
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
        for name in order {
            targets[name]?.jobs = plan.jobs.filter { $0.target.name == name }
        }
        saveEgress()
    }

    /// Reports the scheduled targets and those removed since the last report.
    private mutating func reportTargets() {
        var scheduled: [String: RoundSchedule] = [:]
        for (name, state) in targets where !state.removed { scheduled[name] = state.schedule }
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
