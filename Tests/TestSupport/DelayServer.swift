import Foundation

/// The C `loopback-delay-server` (Tests/DelayServer): plain HTTP on a loopback port, answering each request
/// `wait_ms` (query string) after reading it, cheaply enough that many clients at once measure the client.
///
/// The server also measures the wait itself, from reading the whole request to writing the answer;
/// ``measuredWaits(count:)`` returns those measurements by client port, so that a test can compare the
/// client's `wait_ms` with the server's own and leave out the server's lateness on a busy machine.
public final class DelayServer: @unchecked Sendable {
    /// One answer as the server measured it.
    public struct MeasuredWait: Sendable, Equatable {
        /// The client's port (a sample's `local_port`).
        public var clientPort: Int
        /// Microseconds from reading the whole request to writing the answer.
        public var microseconds: Int64
    }

    private let process: Process
    private let input = Pipe()
    private let output = Pipe()
    /// Lines the server printed after its port line and not yet taken, guarded by `condition`.
    private var pending: [MeasuredWait] = []
    /// Text after the last complete line, guarded by `condition`.
    private var partialLine = ""
    private let condition = NSCondition()
    /// The port it listens on.
    public let port: Int
    /// The address it is bound to.
    public let host: String

    /// Starts the server on `host` (loopback only).
    public init(host: String = "127.0.0.1") throws {
        let runner = try CommandRunner(name: "loopback-delay-server")
        process = Process()
        process.executableURL = URL(fileURLWithPath: runner.executable)
        process.arguments = [host]
        process.standardOutput = output
        process.standardInput = input
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        let portLine = text.prefix { $0 != "\n" }
        guard let digits = portLine.split(whereSeparator: { !$0.isNumber }).first, let port = Int(digits) else {
            process.terminate()
            throw TestSupportError("loopback-delay-server did not report its port: '\(text)'")
        }
        self.port = port
        self.host = host
        // The server prints a line per answer: read them as they come, so that its output pipe never fills.
        receive(String(text.dropFirst(portLine.count + 1)))
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            guard !chunk.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            self?.receive(String(decoding: chunk, as: UTF8.self))
        }
    }

    /// A URL whose answer comes `waitMilliseconds` after the request.
    public func url(waitMilliseconds: Int) -> String {
        "http://\(host):\(port)/?wait_ms=\(waitMilliseconds)"
    }

    /// The next `count` waits the server measured, in the order it answered; waits for them for up to
    /// `timeoutSeconds` (the server prints each one just after answering) and throws when they do not come.
    public func measuredWaits(count: Int, timeoutSeconds: Double = 5) throws -> [MeasuredWait] {
        let deadline = Date(timeIntervalSinceNow: timeoutSeconds)
        condition.lock()
        defer { condition.unlock() }
        while pending.count < count {
            guard condition.wait(until: deadline) else {
                throw TestSupportError("loopback-delay-server reported \(pending.count) of \(count) waits")
            }
        }
        let taken = Array(pending.prefix(count))
        pending.removeFirst(count)
        return taken
    }

    /// Parses the server's output, `{"client_port": P, "wait_us": W}` a line.
    private func receive(_ text: String) {
        condition.lock()
        defer { condition.unlock() }
        partialLine += text
        while let newline = partialLine.firstIndex(of: "\n") {
            let line = partialLine[..<newline]
            partialLine = String(partialLine[partialLine.index(after: newline)...])
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int64($0) }
            if numbers.count == 2 {
                pending.append(MeasuredWait(clientPort: Int(numbers[0]), microseconds: numbers[1]))
            }
        }
        condition.broadcast()
    }

    /// Stops the server.
    ///
    /// Closing its standard input ends it (children of Foundation's `Process` may start with SIGTERM
    /// blocked under Swift Testing, so a signal alone is not relied on).
    public func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        output.fileHandleForReading.readabilityHandler = nil
    }

    deinit { stop() }
}
