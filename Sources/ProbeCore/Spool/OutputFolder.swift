#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output folder of one agent: batches under `OUT/AGENT/YYYY-MM-DD/`, and the state that must
/// survive restarts (next `seq`, next round) in `OUT/AGENT/state`, changed only under a lock so that
/// overlapping cron runs never reuse a `seq` (<doc:RoundsAndBatches>).
public struct OutputFolder: Sendable {
    /// The `--out` / `output.dir` folder.
    public let root: String
    /// Agent id; names the agent's sub-folder and its batches.
    public let agent: String

    /// The agent's folder, `ROOT/AGENT`.
    public var agentFolder: String { root + "/" + agent }

    /// Opens (creating if needed) the folder; throws when it cannot be created or written.
    public init(root: String, agent: String) throws(SpoolError) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.agent = agent
        try FileIO.makeDirectories(agentFolder)
        guard access(agentFolder, W_OK) == 0 else {
            throw SpoolError(path: agentFolder, action: "write into", reason: FileIO.reason())
        }
    }

    /// What a reservation gives: the first of `count` consecutive sequence numbers, and a round number.
    public struct Reservation: Sendable, Hashable {
        /// First reserved `seq`.
        public var firstSeq: Int64
        /// Reserved round number.
        public var round: Int64
    }

    /// Reserves `count` sequence numbers and one round number, under an exclusive lock on
    /// `AGENT/state.lock`. The numbers are used or skipped, never handed out twice.
    public func reserve(count: Int) throws(SpoolError) -> Reservation {
        let lockPath = agentFolder + "/state.lock"
        let statePath = agentFolder + "/state"
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
        return Reservation(firstSeq: nextSeq, round: nextRound)
    }

    /// Reads the state file `AGENT/NAME`; nil when there is none yet.
    public func readState(_ name: String) throws(SpoolError) -> String? {
        try FileIO.readFile(agentFolder + "/" + name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Replaces the state file `AGENT/NAME` atomically.
    public func writeState(_ name: String, _ text: String) throws(SpoolError) {
        let path = agentFolder + "/" + name
        try FileIO.writeAtomically(Array(text.utf8), to: path, temporary: path + ".tmp")
    }

    /// Writes one finished batch (NDJSON bytes) as `AGENT/DAY/ID.ndjson`, atomically; returns its path.
    @discardableResult
    public func writeBatch(id: String, day: String, contents: [UInt8]) throws(SpoolError) -> String {
        let folder = agentFolder + "/" + day
        try FileIO.makeDirectories(folder)
        let path = folder + "/" + id + ".ndjson"
        try FileIO.writeAtomically(contents, to: path, temporary: folder + "/." + id + ".ndjson.tmp")
        return path
    }

    /// Recovers batches a crashed writer left as temporary files: their complete lines become a proper
    /// batch under the name the writer meant; a torn last line is dropped. Returns the recovered paths.
    @discardableResult
    public func recoverTemporaryBatches() throws(SpoolError) -> [String] {
        var recovered: [String] = []
        for day in FileIO.list(agentFolder) where !day.hasPrefix(".") {
            let folder = agentFolder + "/" + day
            for name in FileIO.list(folder) where name.hasPrefix(".") && name.hasSuffix(".ndjson.tmp") {
                let temporary = folder + "/" + name
                guard let bytes = try FileIO.readFile(temporary) else { continue }
                let complete = bytes.lastIndex(of: 0x0A).map { Array(bytes[...$0]) } ?? []
                let finalName = String(name.dropFirst().dropLast(".tmp".count))
                if !complete.isEmpty {
                    let path = folder + "/" + finalName
                    try FileIO.writeAtomically(complete, to: path, temporary: temporary + ".recover")
                    recovered.append(path)
                }
                unlink(temporary)
            }
        }
        return recovered
    }
}
