import CurlKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes samples as NDJSON batches: samples in, batch files out.
///
/// To a folder, each batch is `OUT/AGENT/YYYY-MM-DD/ID.ndjson` (see ``BatchID`` and the README's quick start):
/// ``openBatch(count:)`` reserves the batch's `seq` numbers and round number under the folder's lock, so that
/// overlapping runs never share a `seq`, and ``write(_:to:)`` writes a temporary file of its own, flushes it
/// and moves it into place, so a reader never sees half a batch; a finished batch is never replaced. Call
/// ``recoverTemporaryBatches()`` once at start to finish what a crashed writer left, and print or log
/// ``warnings`` after. To standard output, numbers are kept in memory only, from 1.
public struct BatchWriter: Sendable {
    /// The agent whose batches these are; names its folder and its batch ids.
    public let agent: String
    /// The agent's output folder; nil when writing to standard output.
    public let folder: OutputFolder?
    /// What the writer had to repair or pass over so far (a lost state file, files that are not regular
    /// where a temporary batch is expected, a batch that could not be recovered): one line each, for the
    /// caller to print or log.
    public internal(set) var warnings: [String] = []
    private var nextSeq: Int64 = 1
    private var nextRound: Int64 = 1

    /// Opens `destination` for `agent`'s batches; for a folder, creates it and checks that it can be
    /// written. Throws when it cannot.
    public init(destination: OutputDestination, agent: String) throws(SpoolError) {
        self.agent = agent
        switch destination {
        case .folder(let root): folder = try OutputFolder(root: root, agent: agent)
        case .standardOutput: folder = nil
        }
    }

    /// A batch being made: its id, day folder, round number and the first of its reserved `seq` numbers.
    public struct Batch: Sendable, Hashable {
        /// The batch id, `AGENT-YYYYMMDDTHHMMSSZ-FIRSTSEQ` (standard output: a run id in place of FIRSTSEQ).
        public var id: String
        /// The UTC day folder, `YYYY-MM-DD`, of the time the batch was opened.
        public var day: String
        /// The round number reserved for the batch's samples.
        public var round: Int64
        /// The first reserved `seq`; the batch's samples are numbered from it.
        public var firstSeq: Int64
        /// How many `seq` numbers were reserved.
        public var count: Int
    }

    /// Opens a batch of `count` samples: reserves `count` consecutive `seq` numbers and one round number, and
    /// names the batch. In a folder the numbers are taken under its lock and are used or skipped, never
    /// handed out twice, even to another process.
    public mutating func openBatch(count: Int) throws(SpoolError) -> Batch {
        let opened = MultiHandle.wallClockMicroseconds()
        let day = BatchID.day(opened)
        guard let folder else {
            let batch = Batch(
                id: BatchID.makeStateless(agent: agent, microseconds: opened), day: day, round: nextRound,
                firstSeq: nextSeq, count: count)
            nextSeq += Int64(count)
            nextRound += 1
            return batch
        }
        let (firstSeq, round, warning) = try Self.reserve(count: count, in: folder)
        if let warning { warnings.append(warning) }
        return Batch(
            id: BatchID.make(agent: agent, microseconds: opened, firstSeq: firstSeq), day: day, round: round,
            firstSeq: firstSeq, count: count)
    }

    /// Writes `samples` as the NDJSON of `batch`; returns the batch file's path, nil for standard output.
    @discardableResult
    public func write(_ samples: [Sample], to batch: Batch) throws(SpoolError) -> String? {
        let bytes = SampleEncoder().encode(samples)
        guard let folder else {
            try FileIO.writeAll(STDOUT_FILENO, bytes, path: "standard output")
            return nil
        }
        return try Self.writeBatch(bytes, lines: samples.count, id: batch.id, day: batch.day, in: folder)
    }

    /// Writes one finished batch (NDJSON bytes, `lines` lines) as `AGENT/DAY/ID.ndjson` in `folder`, atomically
    /// and exclusively, as an ``OpenBatch`` that is finished at once: a temporary file of its own, created under
    /// the folder's lock and held under a `flock` while it is written (so that recovery leaves it alone), then
    /// moved into place only if no file has that name. Returns its path. A batch that could not be written
    /// leaves no temporary file; one that could not be moved into place keeps its lines there.
    private static func writeBatch(
        _ contents: [UInt8], lines: Int, id: String, day: String, in folder: OutputFolder
    ) throws(SpoolError) -> String {
        let batch = try OpenBatch(in: folder, id: id, day: day)
        do throws(SpoolError) {
            try batch.append(contents, lines: lines)
        } catch {
            batch.discard()
            throw error
        }
        return try batch.finish()
    }

    /// Reserves `count` sequence numbers and one round number under the folder's lock, recording the next
    /// ones in `AGENT/state` of `folder`. A state file that is missing while batches exist, or that cannot be
    /// read (garbled, empty, not a regular file), is rebuilt from the batches, with a warning.
    private static func reserve(count: Int, in folder: OutputFolder) throws(SpoolError) -> (
        firstSeq: Int64, round: Int64, warning: String?
    ) {
        let statePath = folder.path("state")
        return try folder.withLock { () throws(SpoolError) in
            let (current, warning) = folder.readCounters()
            let (nextSeq, overflow) = current.nextSeq.addingReportingOverflow(Int64(count))
            guard !overflow, nextSeq <= BatchCounters.plausible.upperBound else {
                throw SpoolError(path: statePath, action: "reserve \(count) seq numbers in", reason: "too many")
            }
            let next = BatchCounters(nextSeq: nextSeq, nextRound: current.nextRound + 1)
            try folder.writeCounters(next)
            return (current.nextSeq, current.nextRound, warning)
        }
    }
}
