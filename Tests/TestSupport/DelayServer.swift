import Foundation

/// The C `loopback-delay-server` (Tests/DelayServer): plain HTTP on a loopback port, answering each request
/// `wait_ms` (query string) after reading it, cheaply enough that many clients at once measure the client.
public final class DelayServer: @unchecked Sendable {
    private let process: Process
    private let input = Pipe()
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
        let output = Pipe()
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
        guard let digits = text.split(whereSeparator: { !$0.isNumber }).first, let port = Int(digits) else {
            process.terminate()
            throw TestSupportError("loopback-delay-server did not report its port: '\(text)'")
        }
        self.port = port
        self.host = host
    }

    /// A URL whose answer comes `waitMilliseconds` after the request.
    public func url(waitMilliseconds: Int) -> String {
        "http://\(host):\(port)/?wait_ms=\(waitMilliseconds)"
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
    }

    deinit { stop() }
}
