import Foundation

/// A run of an executable that a test drives while it runs (to send it a signal, say); started by
/// ``CommandRunner/start(_:in:)``, ended by ``wait(timeout:)``.
public final class RunningCommand: @unchecked Sendable {
    private let process = Process()
    private let description: String
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var outData = Data()
    private var errData = Data()

    /// The process id, for `kill(2)`.
    public var processIdentifier: Int32 { process.processIdentifier }

    init(executable: String, arguments: [String], directory: String?) throws {
        description = ([executable] + arguments).joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes while the process runs, so a large output cannot block it.
        DispatchQueue.global().async(group: group) { [self] in
            let data = output.fileHandleForReading.readDataToEndOfFile()
            lock.withLock { outData = data }
        }
        DispatchQueue.global().async(group: group) { [self] in
            let data = error.fileHandleForReading.readDataToEndOfFile()
            lock.withLock { errData = data }
        }
    }

    /// Sends `signal` (`SIGINT`, `SIGTERM`, ...) to the process.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits for the process to end (at most `timeout` seconds, then it is killed and this throws) and
    /// returns what it wrote and how it ended.
    public func wait(timeout: Double = 60) throws -> CommandRunner.Result {
        if group.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TestSupportError("\(description) did not finish in \(timeout) s")
        }
        process.waitUntilExit()
        let signalled = process.terminationReason == .uncaughtSignal
        return lock.withLock {
            CommandRunner.Result(
                status: process.terminationStatus, standardOutput: String(decoding: outData, as: UTF8.self),
                standardError: String(decoding: errData, as: UTF8.self),
                uncaughtSignal: signalled ? process.terminationStatus : nil)
        }
    }
}
