#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output folder of one agent, `OUT/AGENT`: it holds the agent's batches in day folders (written by a
/// ``BatchWriter``) and small state files that must survive restarts, such as the next `seq` and round
/// (`state`) and what is known of each path's egress (`paths.state`); see <doc:RoundsAndBatches>.
public struct OutputFolder: Sendable {
    /// The `--out` / `output.dir` folder.
    public let root: String
    /// Agent id; names the agent's sub-folder and its batches.
    public let agent: String

    /// The largest state file read back; a longer one is an error, never read into memory.
    package static let stateFileLimit = 1 << 20

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

    /// The path of the file or folder `name` in the agent's folder.
    package func path(_ name: String) -> String { agentFolder + "/" + name }

    /// Runs `body` while holding the folder's exclusive lock, a `flock` on `AGENT/state.lock`, which every
    /// process writing this folder takes to reserve numbers, replace state files, create temporary batches
    /// and recover them. `body` must not take the lock again.
    package func withLock<Result>(_ body: () throws(SpoolError) -> Result) throws(SpoolError) -> Result {
        let lockPath = path("state.lock")
        let fd = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let why = errno == ELOOP ? "a symbolic link, not a regular file" : FileIO.reason()
            throw SpoolError(path: lockPath, action: "open lock file", reason: why)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw SpoolError(path: lockPath, action: "open lock file", reason: "not a regular file")
        }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw SpoolError(path: lockPath, action: "lock", reason: FileIO.reason()) }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Reads the state file `AGENT/NAME`; nil when there is none yet. Throws when it cannot be read, or is
    /// not a regular file (a symbolic link, FIFO or device there is never followed or read).
    public func readState(_ name: String) throws(SpoolError) -> String? {
        try FileIO.readRegularFile(path(name), limit: Self.stateFileLimit).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Replaces the state file `AGENT/NAME` atomically, under the folder's lock, through a temporary file of
    /// its own (a symbolic link at `NAME` is replaced, never followed).
    public func writeState(_ name: String, _ text: String) throws(SpoolError) {
        let path = path(name)
        try withLock { () throws(SpoolError) in try FileIO.writeAtomically(Array(text.utf8), to: path) }
    }
}
