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
/// overlapping runs never share a `seq`, and ``write(_:to:)`` writes a temporary file, flushes it and renames
/// it into place, so a reader never sees half a batch. Call ``recoverTemporaryBatches()`` once at start to
/// finish what a crashed writer left. To standard output, numbers are kept in memory only, from 1.
public struct BatchWriter: Sendable {
    /// The agent whose batches these are; names its folder and its batch ids.
    public let agent: String
    /// The agent's output folder; nil when writing to standard output.
    public let folder: OutputFolder?
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
        let (firstSeq, round) = try Self.reserve(count: count, in: folder)
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
        return try Self.writeBatch(bytes, id: batch.id, day: batch.day, in: folder)
    }

    /// Recovers batches a crashed writer left as temporary files: their complete lines become a proper
    /// batch under the name the writer meant; a torn last line is dropped. Returns the recovered paths
    /// (none for standard output).
    @discardableResult
    public func recoverTemporaryBatches() throws(SpoolError) -> [String] {
        guard let folder else { return [] }
        var recovered: [String] = []
        for day in FileIO.list(folder.agentFolder) where !BatchFileName.isHidden(day) {
            let dayFolder = folder.path(day)
            for name in FileIO.list(dayFolder) {
                guard let finalName = BatchFileName.finishedName(ofTemporary: name) else { continue }
                let temporary = dayFolder + "/" + name
                guard let bytes = try FileIO.readFile(temporary) else { continue }
                let complete = bytes.lastIndex(of: 0x0A).map { Array(bytes[...$0]) } ?? []
                if !complete.isEmpty {
                    let path = dayFolder + "/" + finalName
                    try FileIO.writeAtomically(complete, to: path, temporary: temporary + ".recover")
                    recovered.append(path)
                }
                unlink(temporary)
            }
        }
        return recovered
    }

    /// Writes one finished batch (NDJSON bytes) as `AGENT/DAY/ID.ndjson` in `folder`, atomically through its
    /// temporary name `.ID.ndjson.tmp`; returns its path.
    private static func writeBatch(
        _ contents: [UInt8], id: String, day: String, in folder: OutputFolder
    ) throws(SpoolError) -> String {
        let dayFolder = folder.path(day)
        try FileIO.makeDirectories(dayFolder)
        let path = dayFolder + "/" + BatchFileName.name(id: id)
        try FileIO.writeAtomically(contents, to: path, temporary: dayFolder + "/" + BatchFileName.temporaryName(id: id))
        return path
    }

    /// Reserves `count` sequence numbers and one round number under an exclusive lock on `AGENT/state.lock`,
    /// recording the next ones in `AGENT/state` of `folder`.
    private static func reserve(count: Int, in folder: OutputFolder) throws(SpoolError) -> (
        firstSeq: Int64, round: Int64
    ) {
        let lockPath = folder.path("state.lock")
        let statePath = folder.path("state")
        let lockFD = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockFD >= 0 else { throw SpoolError(path: lockPath, action: "open lock file", reason: FileIO.reason()) }
        defer { close(lockFD) }
        while flock(lockFD, LOCK_EX) != 0 {
            guard errno == EINTR else { throw SpoolError(path: lockPath, action: "lock", reason: FileIO.reason()) }
        }
        defer { flock(lockFD, LOCK_UN) }
        var nextSeq: Int64 = 1
        var nextRound: Int64 = 1
        if let bytes = try FileIO.readFile(statePath) {
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let value = Int64(parts[1]) else { continue }
                if parts[0] == "next_seq" { nextSeq = max(nextSeq, value) }
                if parts[0] == "next_round" { nextRound = max(nextRound, value) }
            }
        }
        let state = "next_seq \(nextSeq + Int64(count))\nnext_round \(nextRound + 1)\n"
        try FileIO.writeAtomically(Array(state.utf8), to: statePath, temporary: statePath + ".tmp")
        return (nextSeq, nextRound)
    }
}
