package import CurlKit
package import Logging
package import ProbeCore

/// The agent's batches: one open batch at a time, each finished round's lines appended to it as the round
/// arrives, the batch finished after the round that brings it to the batch size or when it reaches the batch
/// age (a round's lines never split across batches); `seq` stamped as lines are written, so it counts on
/// without a gap.
///
/// When the disk fails (full, read-only, I/O errors) rounds wait in memory, up to the buffer size, and writing
/// is tried again with a back-off that doubles up to ``SpoolSettings/maximumBackoff``; the state change is
/// logged once each way. Only when the buffer is full are the oldest samples dropped, each counted.
///
/// The state file `AGENT/state` always holds numbers above every `seq` and round written: numbers are
/// reserved ahead in blocks while the agent runs (a crash may skip some, never reuse one) and set exactly at
/// ``close()``. Driven by one task; not thread-safe.
package final class AgentSpool {
    /// How far ahead of the numbers written the state file reserves.
    package static let reserveAhead = BatchCounters(nextSeq: 10_000, nextRound: 1_000)

    private struct Pending {
        var samples: [Sample]
        /// True once `seq` and `batch` are stamped for the open batch.
        var stamped = false
    }

    private struct Failure {
        var since: Int64
        var retryAt: Int64
        var backoff: Int64
    }

    private let folder: OutputFolder
    private let settings: SpoolSettings
    private let counters: AgentCounters
    private let logger: Logger
    private let events: SpoolEvents
    private var pending: [Pending] = []
    private var pendingHead = 0
    private var bufferedSamples = 0
    private var open: OpenBatch?
    private var openedAt: Int64 = 0
    private var reserved: BatchCounters
    private var failure: Failure?
    private var droppedWhileFailing = 0
    /// Samples written to finished or open batches since start.
    package private(set) var written = 0
    /// Samples dropped because the buffer was full, since start.
    package private(set) var dropped = 0
    /// Batches finished since start.
    package private(set) var batchesFinished = 0

    /// A spool over `folder`, numbering from `counters`; `reserved` is what the state file holds now.
    package init(
        folder: OutputFolder, settings: SpoolSettings, counters: AgentCounters, reserved: BatchCounters,
        logger: Logger, events: SpoolEvents = SpoolEvents()
    ) {
        self.folder = folder
        self.settings = settings
        self.counters = counters
        self.reserved = reserved
        self.logger = logger
        self.events = events
    }

    /// Samples waiting in memory for the disk.
    package var buffered: Int { bufferedSamples }

    /// While the disk fails: when writing is tried next (monotonic microseconds); nil while it works.
    package var nextAttempt: Int64? { failure?.retryAt }

    /// Takes a finished round's samples and writes what it can.
    package func add(_ samples: consuming [Sample], now: Int64 = MultiHandle.monotonicMicroseconds()) {
        let count = samples.count
        guard count > 0 else { return }
        // Moved, not copied: stamping `seq` then changes the one array in place.
        pending.append(Pending(samples: samples))
        bufferedSamples += count
        dropOverflow()
        flush(now: now)
    }

    /// Finishes the open batch when it has reached the batch age, and tries a failing disk again when its
    /// back-off is over. Call it every second or so.
    package func tick(now: Int64 = MultiHandle.monotonicMicroseconds()) {
        if bufferedSamples > 0 { flush(now: now) }
        guard failure == nil, let open, now - openedAt >= settings.batchAge.microseconds, bufferedSamples == 0 else {
            return
        }
        do throws(SpoolError) {
            try finish(open)
        } catch {
            failed(error, now: now)
        }
    }

    /// Writes everything still buffered (one more attempt, whatever the back-off), finishes the open batch and
    /// writes the exact next numbers to the state file. Returns the samples that could not be written.
    @discardableResult
    package func close() -> Int {
        failure = nil
        flush(now: MultiHandle.monotonicMicroseconds())
        if failure == nil, let open {
            do throws(SpoolError) { try finish(open) } catch { failed(error, now: MultiHandle.monotonicMicroseconds()) }
        }
        if failure == nil {
            do throws(SpoolError) {
                let next = counters.current
                try folder.withLock { () throws(SpoolError) in try folder.writeCounters(next) }
                reserved = next
            } catch {
                logger.error("cannot write the state file", metadata: ["error": "\(error)"])
            }
        }
        if let open, failure != nil {
            logger.error(
                "batch left unfinished: the next start recovers its lines",
                metadata: ["path": "\(open.temporaryPath)", "lines": .stringConvertible(open.lines)])
        }
        return bufferedSamples
    }

    /// Writes the buffered rounds in order, unless the disk is failing and its back-off is not over.
    private func flush(now: Int64) {
        if let failure, now < failure.retryAt { return }
        do throws(SpoolError) {
            while pendingHead < pending.count {
                try write(&pending[pendingHead])
                bufferedSamples -= pending[pendingHead].samples.count
                pending[pendingHead] = Pending(samples: [])
                pendingHead += 1
            }
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
            if let failure {
                logger.info(
                    "disk writable again: buffered samples written",
                    metadata: [
                        "failed_for_s": .stringConvertible((now - failure.since) / 1_000_000),
                        "dropped": .stringConvertible(droppedWhileFailing),
                    ])
                self.failure = nil
                droppedWhileFailing = 0
            }
        } catch {
            failed(error, now: now)
        }
        events.buffered(bufferedSamples)
    }

    /// Appends one round to the open batch (opening one if needed), finishing the batch after it when it is
    /// full.
    private func write(_ round: inout Pending) throws(SpoolError) {
        if let open, open.lines >= settings.batchSize { try finish(open) }
        let batch: OpenBatch
        if let open {
            batch = open
        } else {
            let wall = MultiHandle.wallClockMicroseconds()
            let firstSeq = counters.current.nextSeq
            batch = try OpenBatch(
                in: folder, id: BatchID.make(agent: folder.agent, microseconds: wall, firstSeq: firstSeq),
                day: BatchID.day(wall))
            open = batch
            openedAt = MultiHandle.monotonicMicroseconds()
        }
        if !round.stamped {
            let first = counters.takeSeq(round.samples.count)
            for index in round.samples.indices {
                round.samples[index].seq = first + Int64(index)
                round.samples[index].batch = batch.id
            }
            round.stamped = true
        }
        try reserve(through: round.samples)
        try batch.append(SampleEncoder().encode(round.samples), lines: round.samples.count)
        written += round.samples.count
        if batch.lines >= settings.batchSize { try finish(batch) }
    }

    /// Makes sure the state file holds numbers above every `seq` and round of `samples` before they are
    /// written, reserving a block ahead.
    private func reserve(through samples: [Sample]) throws(SpoolError) {
        // One round's samples: stamped with ascending `seq`, all of one round number.
        let highestSeq = samples.last?.seq ?? 0
        let highestRound = samples.first?.round ?? 0
        guard highestSeq >= reserved.nextSeq || highestRound >= reserved.nextRound else { return }
        let next = BatchCounters(
            nextSeq: max(reserved.nextSeq, highestSeq + 1 + Self.reserveAhead.nextSeq),
            nextRound: max(reserved.nextRound, highestRound + 1 + Self.reserveAhead.nextRound))
        try folder.withLock { () throws(SpoolError) in try folder.writeCounters(next) }
        reserved = next
    }

    /// Finishes the open batch.
    private func finish(_ batch: OpenBatch) throws(SpoolError) {
        let path = try batch.finish()
        open = nil
        batchesFinished += 1
        events.batchFinished()
        logger.debug("batch finished", metadata: ["path": "\(path)", "samples": .stringConvertible(batch.lines)])
        applyRetention()
    }

    /// Deletes the finished batches retention no longer keeps (never the open one: it is a temporary file),
    /// logging each deletion. Runs after every finished batch, and once at start.
    package func applyRetention() {
        guard settings.retention.isEnabled else { return }
        let outcome = settings.retention.apply(to: folder)
        for deletion in outcome.deletions {
            logger.info(
                "batch deleted by retention",
                metadata: [
                    "path": "\(deletion.path)", "bytes": .stringConvertible(deletion.bytes),
                    "reason": "\(deletion.reason.name)",
                ])
        }
        if !outcome.deletions.isEmpty { events.retentionDeleted(outcome.deletions.count) }
        for problem in outcome.problems {
            logger.warning("retention could not delete a batch", metadata: ["error": "\(problem)"])
        }
    }

    /// Notes a disk failure: logged once when it starts, then retried with a doubling back-off.
    private func failed(_ error: SpoolError, now: Int64) {
        if var failure {
            failure.backoff = min(failure.backoff * 2, settings.maximumBackoff.microseconds)
            failure.retryAt = now + failure.backoff
            self.failure = failure
            return
        }
        logger.error(
            "cannot write batches: holding samples in memory and retrying",
            metadata: ["error": "\(error)", "buffer": .stringConvertible(settings.buffer)])
        failure = Failure(since: now, retryAt: now + 1_000_000, backoff: 1_000_000)
    }

    /// Drops the oldest buffered samples beyond the buffer size, counting them.
    private func dropOverflow() {
        var excess = bufferedSamples - settings.buffer
        guard excess > 0 else { return }
        var count = 0
        while excess > 0, pendingHead < pending.count {
            // A round stamped for a write that failed gives its numbers back, so dropping leaves no gap in `seq`.
            if pending[pendingHead].stamped, let first = pending[pendingHead].samples.first?.seq,
                counters.giveBack(seqFrom: first, count: pending[pendingHead].samples.count)
            {
                pending[pendingHead].stamped = false
            }
            let take = min(excess, pending[pendingHead].samples.count)
            pending[pendingHead].samples.removeFirst(take)
            excess -= take
            count += take
            if pending[pendingHead].samples.isEmpty { pendingHead += 1 }
        }
        bufferedSamples -= count
        dropped += count
        droppedWhileFailing += count
        if droppedWhileFailing == count {
            logger.warning(
                "sample buffer full: dropping the oldest samples",
                metadata: ["buffer": .stringConvertible(settings.buffer)])
        }
        events.samplesDropped(count)
    }
}
