import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real HTTP/1.1 (or HTTPS) server on a loopback address, for latency tests of the libcurl client.
///
/// It runs `loopback_server.py` (next to this source file, Python 3 standard library only) in a child
/// process: one thread per connection, so injected delays land exactly where they are stated and at
/// least 100 clients are served at once without queueing. Every request is shaped by its query string
/// (`wait_ms`, `status`, `bytes`, `body_delay_ms`, `reset_after`, `hang`, `header`; see ``url(_:query:)``),
/// and the path `/echo-ip` answers with the client's source address.
///
/// ```swift
/// let server = try LoopbackServer.start(.init(tls: try TestCertificates.shared(), handshakeDelayMilliseconds: 40))
/// defer { server.stop() }
/// let url = server.url("/", query: ["wait_ms": "50"])   // https://127.0.0.1:PORT/?wait_ms=50
/// ```
///
/// Keep a reference for as long as clients use the server (`defer { server.stop() }`, or the scoped
/// `LoopbackServer.with(options) { server in ... }`): the process is stopped on ``stop()`` or when the object is
/// released, and it also exits on its own when the test process dies (it watches its standard input),
/// so a failing or crashing test never leaks a Python process. Only loopback addresses may be bound.
public final class LoopbackServer: @unchecked Sendable {
    /// Per-client behaviour, keyed by the client's source address in ``Options/profiles``.
    ///
    /// A profile applies to every connection from that address: its delays add to the server-wide
    /// handshake delay and to each request's `wait_ms`, and its headers go on every response.
    public struct Profile: Sendable, Equatable {
        /// Extra sleep before the TLS handshake, in milliseconds (HTTPS only).
        public var handshakeDelayMilliseconds: Int
        /// Extra sleep before the first response byte, in milliseconds.
        public var waitMilliseconds: Int
        /// Headers added to every response, for example `X-MSEdge-Ref`.
        public var headers: [String: String]

        /// Creates a profile; every part defaults to "no change".
        public init(handshakeDelayMilliseconds: Int = 0, waitMilliseconds: Int = 0, headers: [String: String] = [:]) {
            self.handshakeDelayMilliseconds = handshakeDelayMilliseconds
            self.waitMilliseconds = waitMilliseconds
            self.headers = headers
        }
    }

    /// How to start a server.
    public struct Options: Sendable {
        /// The loopback address to listen on: `127.0.0.1` (default), any `127.x.y.z`, or `::1`.
        public var bindAddress: String
        /// The port to listen on; 0 (default) picks a free one.
        public var port: Int
        /// Serve HTTPS with this server certificate (ALPN offers only `http/1.1`); nil serves plain HTTP.
        public var tls: TestCertificates?
        /// With TLS: sleep this long after accepting a connection before the TLS handshake, so the
        /// client's TLS phase (`APPCONNECT - CONNECT`) grows by this much.
        public var handshakeDelayMilliseconds: Int
        /// Behaviour per client source address (for example `"127.0.0.2"`); see ``Profile``.
        public var profiles: [String: Profile]
        /// Accept connections and never read or write anything, holding them until the client closes.
        public var blackhole: Bool
        /// Log every request so ``requests()`` can return it.
        public var logRequests: Bool

        /// Creates options; the defaults give a plain HTTP server on `127.0.0.1` at a free port.
        public init(
            bindAddress: String = "127.0.0.1",
            port: Int = 0,
            tls: TestCertificates? = nil,
            handshakeDelayMilliseconds: Int = 0,
            profiles: [String: Profile] = [:],
            blackhole: Bool = false,
            logRequests: Bool = true
        ) {
            self.bindAddress = bindAddress
            self.port = port
            self.tls = tls
            self.handshakeDelayMilliseconds = handshakeDelayMilliseconds
            self.profiles = profiles
            self.blackhole = blackhole
            self.logRequests = logRequests
        }
    }

    /// One request as the server received it (a line of the server's request log).
    public struct LoggedRequest: Sendable, Decodable, Equatable {
        /// The TLS facts of the connection the request came on.
        public struct TLSInfo: Sendable, Decodable, Equatable {
            /// The server name (SNI) the client asked for; nil when it sent none (an IP-address URL).
            public let sni: String?
            /// The negotiated ALPN protocol, `http/1.1` when the client offered ALPN.
            public let alpn: String?
            /// The TLS version, for example `TLSv1.3`.
            public let version: String?
        }

        /// The client's source address, for example `127.0.0.2` or `::1`.
        public let client: String
        /// The client's source port.
        public let port: Int
        /// The request method, for example `GET` or `HEAD`.
        public let method: String
        /// The full request target, path and query, for example `/?wait_ms=50`.
        public let path: String
        /// The request headers as sent (repeated headers joined with `, `).
        public let headers: [String: String]
        /// The size of the request body, when there was one.
        public let bodyBytes: Int?
        /// TLS facts, nil on plain HTTP.
        public let tls: TLSInfo?

        /// The value of a request header, matching its name case-insensitively.
        public func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        private enum CodingKeys: String, CodingKey {
            case client, port, method, path, headers, tls
            case bodyBytes = "body_bytes"
        }
    }

    /// How long the server really took over one answer (a `served` line of its log), written once the answer
    /// was sent: the delays asked for plus whatever the machine added, for tests that compare a client's
    /// phases with what the server did.
    public struct ServedTiming: Sendable, Decodable, Equatable {
        /// The client's source address.
        public let client: String
        /// The client's source port (a sample's `local_port`).
        public let port: Int
        /// From accepting the connection to the end of the TLS handshake (µs); nil on plain HTTP.
        public let handshakeMicroseconds: Int64?
        /// From reading the whole request to sending the first response byte (µs).
        public let waitMicroseconds: Int64
        /// From sending the first body byte to sending the rest (µs); nil without `body_delay_ms`.
        public let bodyDelayMicroseconds: Int64?

        private enum CodingKeys: String, CodingKey {
            case client, port
            case handshakeMicroseconds = "handshake_us"
            case waitMicroseconds = "wait_us"
            case bodyDelayMicroseconds = "body_delay_us"
        }
    }

    /// One line of the server's log: a request as read, or the timing of an answer sent.
    private struct LogLine: Decodable {
        let served: ServedTiming?
    }

    /// The options the server was started with.
    public let options: Options
    /// The port the server listens on.
    public let port: Int
    /// The address the server listens on (the bind address, without brackets).
    public let host: String
    /// `https` with TLS, else `http`.
    public let scheme: String

    private let process: Process
    private let stdinPipe: Pipe
    private let workDirectory: URL
    private let logFile: URL?
    private let lock = NSLock()
    private var stopped = false

    private init(options: Options, port: Int, process: Process, stdinPipe: Pipe, workDirectory: URL, logFile: URL?) {
        self.options = options
        self.port = port
        self.host = options.bindAddress
        self.scheme = options.tls == nil ? "http" : "https"
        self.process = process
        self.stdinPipe = stdinPipe
        self.workDirectory = workDirectory
        self.logFile = logFile
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: workDirectory)
    }

    /// The process id of the Python server (for tests that check it is gone after ``stop()``).
    public var processIdentifier: Int32 { process.processIdentifier }

    /// `host:port`, with brackets around an IPv6 address: `127.0.0.1:8443`, `[::1]:8443`.
    public var authority: String {
        (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
    }

    /// `scheme://authority`, for example `http://127.0.0.1:41234`.
    public var baseURL: String { "\(scheme)://\(authority)" }

    /// A curl `--resolve` / `CURLOPT_RESOLVE` entry that pins `hostName` to this server:
    /// `hostName:port:address` (address in brackets for IPv6).
    public func resolveEntry(for hostName: String) -> String {
        "\(hostName):\(port):" + (host.contains(":") ? "[\(host)]" : host)
    }

    /// A URL on this server, with the query items that shape the response.
    ///
    /// Query items understood by the server (all optional, combinable):
    /// - `wait_ms`: sleep this long after the whole request was read, before the first response byte.
    /// - `status`: the response status (default 200).
    /// - `bytes`: the body size (default 2, the body `ok`; otherwise that many `x`).
    /// - `body_delay_ms`: send headers and the first body byte, sleep, then send the rest.
    /// - `reset_after`: send headers (full `Content-Length`) and only this many body bytes, then reset.
    /// - `hang=1`: read the request and never answer.
    /// - `header=Name:Value`: an extra response header (repeatable through ``url(_:queryItems:)``).
    /// - `long_header=Name:N`: an extra response header whose value is N bytes of `a`.
    ///
    /// Items are sorted by name and percent-encoded.
    public func url(_ path: String = "/", query: [String: String] = [:]) -> String {
        url(path, queryItems: query.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) })
    }

    /// A URL on this server with query items in the given order; names may repeat (`header`).
    public func url(_ path: String, queryItems: [(name: String, value: String)]) -> String {
        var result = baseURL + (path.hasPrefix("/") ? path : "/" + path)
        guard !queryItems.isEmpty else { return result }
        let encoded = queryItems.map { Self.percentEncode($0.name) + "=" + Self.percentEncode($0.value) }
        result += (path.contains("?") ? "&" : "?") + encoded.joined(separator: "&")
        return result
    }

    /// Every request the server has read so far, oldest first.
    ///
    /// A request is logged as soon as it has been read, before any response byte, so once a client
    /// has its answer (or has timed out on `hang=1`) its request is here (``served(port:timeoutSeconds:)``
    /// reads the timing lines logged after each answer). Throws when the server was
    /// started with `logRequests: false`.
    public func requests() throws -> [LoggedRequest] {
        guard let logFile else {
            throw TestSupportError("LoopbackServer: request log is off (Options.logRequests is false)")
        }
        let decoder = JSONDecoder()
        return try Self.completeLines(of: logFile).compactMap { line in
            guard try decoder.decode(LogLine.self, from: line).served == nil else { return nil }
            return try decoder.decode(LoggedRequest.self, from: line)
        }
    }

    /// How long the server took over its last answer to the client on `port`; waits up to `timeoutSeconds`
    /// for it, since the server logs it only after sending the answer. Throws when the request log is off or
    /// no such answer is logged in time.
    public func served(port: Int, timeoutSeconds: Double = 5) throws -> ServedTiming {
        guard let logFile else {
            throw TestSupportError("LoopbackServer: request log is off (Options.logRequests is false)")
        }
        let decoder = JSONDecoder()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        while true {
            let served = try Self.completeLines(of: logFile).compactMap { line in
                try decoder.decode(LogLine.self, from: line).served
            }
            if let timing = served.last(where: { $0.port == port }) { return timing }
            guard Date() < deadline else {
                throw TestSupportError("LoopbackServer: no answer to port \(port) logged within \(timeoutSeconds) s")
            }
            usleep(2_000)
        }
    }

    /// The lines of the log written so far, without a last line the server is still writing.
    private static func completeLines(of logFile: URL) -> [Data] {
        guard let data = FileManager.default.contents(atPath: logFile.path),
            let end = data.lastIndex(of: UInt8(ascii: "\n"))
        else { return [] }
        return data[..<end].split(separator: UInt8(ascii: "\n")).map { Data($0) }
    }

    /// Stops the server: SIGTERM, then SIGKILL if it has not exited within 3 s, and waits for it.
    /// Safe to call more than once; also called when the object is released.
    public func stop() {
        lock.lock()
        let alreadyStopped = stopped
        stopped = true
        lock.unlock()
        guard !alreadyStopped else { return }
        Self.terminate(process)
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// Starts a server and waits until it listens (at most 10 s).
    ///
    /// Throws when Python 3 cannot be found, the script fails to start, or no `{"port": N}` line
    /// arrives in time; the error carries the server's standard error. Set the environment variable
    /// `PEERING_PROBE_TEST_PYTHON` to choose the interpreter.
    public static func start(_ options: Options = .init()) throws -> LoopbackServer {
        guard isLoopback(options.bindAddress) else {
            throw TestSupportError("LoopbackServer: \(options.bindAddress) is not a loopback address")
        }
        let fileManager = FileManager.default
        let workDirectory = fileManager.temporaryDirectory
            .appendingPathComponent("peering-probe-server-\(UUID().uuidString)", isDirectory: true)
        try fileManager.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        var cleanUp = true
        defer { if cleanUp { try? fileManager.removeItem(at: workDirectory) } }

        var arguments = [scriptPath, "--exit-on-stdin-eof", "--bind", options.bindAddress, "--port", "\(options.port)"]
        if let tls = options.tls {
            arguments += ["--tls-cert", tls.certFile, "--tls-key", tls.keyFile]
        }
        if options.handshakeDelayMilliseconds > 0 {
            arguments += ["--handshake-delay-ms", "\(options.handshakeDelayMilliseconds)"]
        }
        if options.blackhole { arguments.append("--blackhole") }
        if !options.profiles.isEmpty {
            let profilesFile = workDirectory.appendingPathComponent("profiles.json")
            try profilesJSON(options.profiles).write(to: profilesFile)
            arguments += ["--profiles", profilesFile.path]
        }
        var logFile: URL?
        if options.logRequests {
            let file = workDirectory.appendingPathComponent("requests.jsonl")
            arguments += ["--log", file.path]
            logFile = file
        }

        let stderrFile = workDirectory.appendingPathComponent("server.stderr")
        _ = fileManager.createFile(atPath: stderrFile.path, contents: nil)
        let stderrHandle = try FileHandle(forWritingTo: stderrFile)
        defer { try? stderrHandle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try pythonPath())
        process.arguments = arguments
        let stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrHandle
        do {
            try process.run()
        } catch {
            throw TestSupportError("LoopbackServer: cannot run \(process.executableURL?.path ?? "python3"): \(error)")
        }

        let line: String
        do {
            line = try readFirstLine(from: stdoutPipe.fileHandleForReading, process: process, timeout: 10)
        } catch {
            terminate(process)
            try? stdinPipe.fileHandleForWriting.close()
            let stderrText = (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? ""
            throw TestSupportError("\(error)\(stderrText.isEmpty ? "" : "\nserver stderr:\n" + stderrText)")
        }
        try? stdoutPipe.fileHandleForReading.close()

        struct PortLine: Decodable { let port: Int }
        guard let port = try? JSONDecoder().decode(PortLine.self, from: Data(line.utf8)).port, port > 0 else {
            terminate(process)
            try? stdinPipe.fileHandleForWriting.close()
            throw TestSupportError("LoopbackServer: unexpected startup line \(line.debugDescription)")
        }
        cleanUp = false
        return LoopbackServer(
            options: options, port: port, process: process, stdinPipe: stdinPipe,
            workDirectory: workDirectory, logFile: logFile
        )
    }

    /// Runs `body` with a started server and stops the server when `body` returns or throws.
    public static func with<T>(_ options: Options = .init(), _ body: (LoopbackServer) throws -> T) throws -> T {
        let server = try start(options)
        defer { server.stop() }
        return try body(server)
    }

    /// Runs the async `body` with a started server and stops the server when `body` returns or throws.
    public static func with<T>(
        _ options: Options = .init(),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (LoopbackServer) async throws -> T
    ) async throws -> T {
        let server = try start(options)
        defer { server.stop() }
        return try await body(server)
    }

    /// Whether this machine has a usable IPv6 loopback (`::1` can be bound).
    public static var ipv6LoopbackIsAvailable: Bool {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        address.sin6_port = 0
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
        return result == 0
    }

    // MARK: - Internals

    /// The server script, found next to this source file.
    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("loopback_server.py").path
    }

    private static func pythonPath() throws -> String {
        if let chosen = ProcessInfo.processInfo.environment["PEERING_PROBE_TEST_PYTHON"], !chosen.isEmpty {
            return chosen
        }
        // Prefer the system interpreter: a version-manager shim (pyenv) costs ~200 ms per start.
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        if let found = findExecutable("python3") { return found }
        throw TestSupportError("LoopbackServer: python3 not found (set PEERING_PROBE_TEST_PYTHON)")
    }

    private static func profilesJSON(_ profiles: [String: Profile]) throws -> Data {
        var object: [String: Any] = [:]
        for (address, profile) in profiles {
            object[address] =
                [
                    "handshake_delay_ms": profile.handshakeDelayMilliseconds,
                    "wait_ms": profile.waitMilliseconds,
                    "headers": profile.headers,
                ] as [String: Any]
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    private static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<"\u{80}"))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    private static func isLoopback(_ address: String) -> Bool {
        if address == "::1" || address == "0:0:0:0:0:0:0:1" { return true }
        var v4 = in_addr()
        guard inet_pton(AF_INET, address, &v4) == 1 else { return false }
        return UInt32(bigEndian: v4.s_addr) >> 24 == 127
    }

    /// Reads one `\n`-terminated line from a pipe, failing after `timeout` seconds or when the child exits.
    private static func readFirstLine(from handle: FileHandle, process: Process, timeout: Double) throws -> String {
        let fd = handle.fileDescriptor
        let deadline = Date().addingTimeInterval(timeout)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            if let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: bytes[..<newline], as: UTF8.self)
            }
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else {
                throw TestSupportError("LoopbackServer: no {\"port\": N} line within \(Int(timeout)) s")
            }
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollFD, 1, Int32(min(remaining, 0.05) * 1000) + 1)
            if ready < 0 {
                if errno == EINTR { continue }
                throw TestSupportError("LoopbackServer: poll failed, errno \(errno)")
            }
            if ready == 0 {
                if !process.isRunning {
                    throw TestSupportError("LoopbackServer: server exited with status \(process.terminationStatus)")
                }
                continue
            }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TestSupportError("LoopbackServer: read failed, errno \(errno)")
            }
            if count == 0 {
                process.waitUntilExit()
                throw TestSupportError("LoopbackServer: server exited with status \(process.terminationStatus)")
            }
            bytes += buffer[..<count]
        }
    }

    /// SIGTERM, wait up to 3 s, then SIGKILL; always reaps the child.
    private static func terminate(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning && Date() < deadline {
            usleep(2_000)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}

/// A failure of the test-support servers or tools, with a message that says what went wrong.
public struct TestSupportError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public let description: String

    /// Creates an error with the given message.
    public init(_ description: String) {
        self.description = description
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on, for connect-refused tests.
///
/// It binds a socket to port 0, reads the port the kernel chose and closes the socket, so a connect
/// to `127.0.0.1:port` is refused (unless something else grabs the port in between, which is unlikely).
public func freeLoopbackPortThatIsClosed() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestSupportError("freeLoopbackPortThatIsClosed: socket failed, errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw TestSupportError("freeLoopbackPortThatIsClosed: bind failed, errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// The full path of an executable found on `PATH`, or nil.
func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for directory in path.split(separator: ":") {
        let candidate = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}
