internal import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The claim `peering-probe run` holds on an agent's output folder for as long as it runs, so that two agents
/// never share one folder, and `probe` does not write into a folder an agent owns.
///
/// The claim is an exclusive `flock` on `AGENT/run.lock`, which holds the owner's process id as text, taken
/// without waiting. It ends with ``release()`` or when the object goes away, and the system ends it when the
/// process does, even after SIGKILL, so a crashed agent never leaves a stale claim. Keep the object alive for
/// as long as the folder is owned:
/// ```swift
/// let owner = try AgentFolderOwner.acquire(folder)   // exit 3 when another run owns it
/// defer { owner.release() }
/// ```
/// `probe` calls ``checkNotOwned(_:)`` instead, which takes the lock shared and at once lets it go: concurrent
/// `probe` runs never hold each other up, and share the folder under its state lock as before.
///
/// `flock` locks belong to open files, not to processes: within one process, a second claim or check on the
/// same folder conflicts with the first, as it would from another process.
public final class AgentFolderOwner: Sendable {
    /// The lock file's name in the agent's folder.
    public static let lockName = "run.lock"

    /// The owned folder.
    public let folder: OutputFolder
    /// The lock file's descriptor while the claim is held; -1 after ``release()``.
    private let descriptor: Mutex<Int32>

    private init(folder: OutputFolder, descriptor: Int32) {
        self.folder = folder
        self.descriptor = Mutex(descriptor)
    }

    deinit {
        release()
    }

    /// Claims `folder` for this process, recording its pid in `AGENT/run.lock`.
    ///
    /// - Throws: ``SpoolError`` (exit 3) when another process holds the claim, naming its pid: `cannot use output
    ///   folder 'OUT/AGENT': it is in use by `peering-probe run` (pid 1234); stop it or choose another --out`;
    ///   also when the lock file cannot be opened (not a regular file, not writable).
    public static func acquire(_ folder: OutputFolder) throws(SpoolError) -> AgentFolderOwner {
        let path = folder.path(lockName)
        guard let fd = try openLockFile(path, flags: O_RDWR | O_CREAT) else {
            throw SpoolError(path: path, action: "open lock file", reason: "removed while opened")
        }
        // A `probe` checking the folder holds the lock shared for an instant, and a starting `run` holds it
        // before it has written its pid: wait a little while the holder is not known.
        var attempts = 0
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            if failure == EINTR { continue }
            guard failure == EWOULDBLOCK else {
                close(fd)
                throw SpoolError(path: path, action: "lock", reason: FileIO.reason())
            }
            let holder = recordedPID(fd)
            attempts += 1
            guard holder == nil, attempts < 20 else {
                close(fd)
                throw inUse(folder, pid: holder)
            }
            usleep(50_000)
        }
        // Written over the old text, then cut to length: a reader never sees an empty file while it is held.
        let text = Array("\(getpid())\n".utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        _ = ftruncate(fd, off_t(text.count))
        return AgentFolderOwner(folder: folder, descriptor: fd)
    }

    /// Ends the claim (the pid is cleared from the lock file); later calls do nothing.
    public func release() {
        let fd = descriptor.withLock { fd in
            defer { fd = -1 }
            return fd
        }
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// Throws when a `peering-probe run` owns `folder`, as ``acquire(_:)`` would; returns at once otherwise, and
    /// when no `run` ever used the folder (no lock file is made).
    ///
    /// - Throws: ``SpoolError`` (exit 3) naming the owner's pid.
    public static func checkNotOwned(_ folder: OutputFolder) throws(SpoolError) {
        let path = folder.path(lockName)
        guard let fd = try openLockFile(path, flags: O_RDONLY) else { return }
        defer { close(fd) }
        while flock(fd, LOCK_SH | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            guard errno == EWOULDBLOCK else { throw SpoolError(path: path, action: "lock", reason: FileIO.reason()) }
            throw inUse(folder, pid: recordedPID(fd))
        }
        flock(fd, LOCK_UN)
    }

    /// Opens the lock file `path` (a regular file, never through a symbolic link); nil when it does not exist
    /// (and `flags` do not create it).
    private static func openLockFile(_ path: String, flags: Int32) throws(SpoolError) -> Int32? {
        let fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            let why = errno == ELOOP ? "a symbolic link, not a regular file" : FileIO.reason()
            throw SpoolError(path: path, action: "open lock file", reason: why)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw SpoolError(path: path, action: "open lock file", reason: "not a regular file")
        }
        return fd
    }

    /// The pid the lock file records; nil when it records none.
    private static func recordedPID(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n").first ?? ""
        guard let pid = Int32(text.trimmingWhitespace()), pid > 0 else { return nil }
        return pid
    }

    /// The refusal for a folder another process owns.
    private static func inUse(_ folder: OutputFolder, pid: Int32?) -> SpoolError {
        let owner = pid.map { "`peering-probe run` (pid \($0))" } ?? "another `peering-probe run` (pid unknown)"
        return SpoolError(
            path: folder.agentFolder, action: "use output folder",
            reason: "it is in use by \(owner); stop it or choose another --out")
    }
}
