import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A run of an executable that a test drives while it runs (to send it a signal, say); started by
/// ``CommandRunner/start(_:)``, ended by ``wait(timeout:)``.
///
/// The process starts as a shell would start it: no signal blocked and SIGINT, SIGTERM and SIGPIPE at their
/// default actions, whatever the test runner's threads block (Foundation's `Process` passes its caller's
/// signal mask on, and the test runner blocks most signals). Standard input is /dev/null.
public final class RunningCommand: @unchecked Sendable {
    /// The process id, for `kill(2)`.
    public let processIdentifier: Int32
    private let description: String
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var outData = Data()
    private var errData = Data()
    private var reaped = false

    init(executable: String, arguments: [String], environment: [String: String] = [:]) throws {
        description = ([executable] + arguments).joined(separator: " ")
        var output: [Int32] = [-1, -1]
        var error: [Int32] = [-1, -1]
        guard pipe(&output) == 0, pipe(&error) == 0 else {
            throw TestSupportError("pipe: \(String(cString: strerror(errno)))")
        }
        // Only the child's copies (made by dup2) may outlive an exec.
        for descriptor in output + error { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, error[1], 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for arg in argv { free(arg) } }
        var pid: Int32 = 0
        var variables: [String] = []
        var index = 0
        while let entry = environ[index] {
            let text = String(cString: entry)
            let name = String(text.prefix { $0 != "=" })
            if environment[name] == nil { variables.append(text) }
            index += 1
        }
        for (name, value) in environment { variables.append(name + "=" + value) }
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup($0) } + [nil]
        defer { for variable in envp { free(variable) } }
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        close(output[1])
        close(error[1])
        guard rc == 0 else {
            close(output[0])
            close(error[0])
            throw TestSupportError("posix_spawn \(executable): \(String(cString: strerror(rc)))")
        }
        processIdentifier = pid
        // Read both pipes while the process runs, so a large output cannot block it.
        let outHandle = FileHandle(fileDescriptor: output[0], closeOnDealloc: true)
        let errHandle = FileHandle(fileDescriptor: error[0], closeOnDealloc: true)
        DispatchQueue.global().async(group: group) { [self] in
            let data = outHandle.readDataToEndOfFile()
            lock.withLock { outData = data }
        }
        DispatchQueue.global().async(group: group) { [self] in
            // Piece by piece, so that a test can watch the log of a process that is still running.
            while true {
                let data = errHandle.availableData
                if data.isEmpty { break }
                lock.withLock { errData.append(data) }
            }
        }
    }

    deinit {
        if !reaped {
            kill(processIdentifier, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(processIdentifier, &status, 0)
        }
    }

    /// What the process has written to standard error so far.
    public var standardErrorSoFar: String {
        lock.withLock { String(decoding: errData, as: UTF8.self) }
    }

    /// Waits until standard error holds `count` lines containing `text` (at most `timeout` seconds); returns
    /// whether it did.
    @discardableResult
    public func waitForStandardError(containing text: String, count: Int = 1, timeout: Double = 30) -> Bool {
        // Only the complete lines that arrived since the last look are read, so a long wait on a busy log does
        // not take CPU from the process it watches.
        let deadline = Date().addingTimeInterval(timeout)
        var scanned = 0
        var found = 0
        while true {
            let fresh: Data = lock.withLock {
                guard let end = errData[scanned...].lastIndex(of: UInt8(ascii: "\n")) else { return Data() }
                defer { scanned = end + 1 }
                return errData[scanned...end]
            }
            found += String(decoding: fresh, as: UTF8.self).split(separator: "\n").count { $0.contains(text) }
            if found >= count { return true }
            guard Date() < deadline else { return false }
            usleep(20_000)
        }
    }

    /// Sends `signal` (`SIGINT`, `SIGTERM`, ...) to the process.
    public func send(_ signal: Int32) {
        kill(processIdentifier, signal)
    }

    /// Waits for the process to end (at most `timeout` seconds, then it is killed and this throws) and
    /// returns what it wrote and how it ended.
    public func wait(timeout: Double = 60) throws -> CommandRunner.Result {
        let timedOut = group.wait(timeout: .now() + timeout) == .timedOut
        if timedOut { kill(processIdentifier, SIGKILL) }
        var status: Int32 = 0
        while waitpid(processIdentifier, &status, 0) < 0, errno == EINTR {}
        reaped = true
        if timedOut { throw TestSupportError("\(description) did not finish in \(timeout) s") }
        let signal = status & 0x7f
        return lock.withLock {
            CommandRunner.Result(
                status: signal == 0 ? (status >> 8) & 0xff : signal,
                standardOutput: String(decoding: outData, as: UTF8.self),
                standardError: String(decoding: errData, as: UTF8.self), uncaughtSignal: signal == 0 ? nil : signal)
        }
    }
}
