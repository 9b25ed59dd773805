import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Checks the shared loopback servers with the system `curl` tool, so every other suite can trust them.
///
/// Serialized: the timing checks must not compete with each other for the 2 cores. Only loopback
/// addresses are contacted; curl runs with `-q` (no `.curlrc`) and `--noproxy '*'`.
@Suite(.serialized)
struct TestSupportSelfTests {
    // MARK: Timing

    @Test func httpWaitDelaysTheFirstByte() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let waits = try measure(expected: 50) {
            let result = try Curl.run([server.url(query: ["wait_ms": "50"])])
            #expect(result.exitCode == 0 && result.status == 200 && result.body == "ok")
            return result.wait
        }
        #expect(waits.ok, "wait phase \(waits.values) ms, expected 50 ms")
    }

    @Test func httpsHandshakeDelayGrowsTheTLSPhase() throws {
        let certificates = try TestCertificates.shared()
        let server = try LoopbackServer.start(.init(tls: certificates, handshakeDelayMilliseconds: 40))
        defer { server.stop() }
        let phases = try measure(expected: 40) {
            let result = try Curl.run(["--cacert", certificates.caFile, server.url()])
            #expect(result.exitCode == 0 && result.status == 200 && result.httpVersion == "1.1")
            return result.tls
        }
        #expect(phases.ok, "TLS phase \(phases.values) ms, expected 40 ms")

        // The certificate really validates for the name, not only for the address.
        let byName = try Curl.run([
            "--cacert", certificates.caFile, "--resolve", server.resolveEntry(for: "localhost"),
            "https://localhost:\(server.port)/echo-ip",
        ])
        #expect(byName.exitCode == 0 && byName.status == 200 && byName.body == "127.0.0.1")
        let logged = try server.requests()
        #expect(logged.last?.tls?.alpn == "http/1.1")
        #expect(logged.last?.tls?.sni == "localhost")
    }

    @Test func bodyDelayGrowsTheTransferPhase() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let transfers = try measure(expected: 40) {
            let result = try Curl.run([server.url(query: ["body_delay_ms": "40", "bytes": "1000"])])
            #expect(result.exitCode == 0 && result.status == 200 && result.body.utf8.count == 1000)
            return result.transfer
        }
        #expect(transfers.ok, "transfer phase \(transfers.values) ms, expected 40 ms")
    }

    @Test func profileAppliesToItsClientAddressOnly() throws {
        let edgeRef = "Ref A: 1234 Ref B: AMSEDGE1018 Ref C: 2024-01-01T00:00:00Z"
        let server = try LoopbackServer.start(
            .init(profiles: [
                "127.0.0.2": .init(waitMilliseconds: 30, headers: ["X-MSEdge-Ref": edgeRef])
            ]))
        defer { server.stop() }
        let url = server.url(query: ["wait_ms": "20"])
        let profiled = try measure(expected: 50) {
            let result = try Curl.run(["--interface", "127.0.0.2", url])
            #expect(result.exitCode == 0 && result.header("X-MSEdge-Ref") == edgeRef)
            return result.wait
        }
        #expect(profiled.ok, "wait phase from 127.0.0.2 \(profiled.values) ms, expected 20 + 30 ms")
        let plain = try measure(expected: 20) {
            let result = try Curl.run([url])
            #expect(result.exitCode == 0 && result.header("X-MSEdge-Ref") == nil)
            return result.wait
        }
        #expect(plain.ok, "wait phase from 127.0.0.1 \(plain.values) ms, expected 20 ms")
        let clients = try server.requests().map(\.client)
        #expect(clients.contains("127.0.0.2") && clients.last == "127.0.0.1")
    }

    @Test func hundredConcurrentConnectionsDoNotQueue() throws {
        let server = try LoopbackServer.start(.init(logRequests: false))
        defer { server.stop() }
        let url = server.url(query: ["wait_ms": "300"])
        let started = Date()
        let result = try Curl.run(
            ["--parallel", "--parallel-immediate", "--parallel-max", "100"]
                + Array(repeating: ["-o", "/dev/null", url], count: 100).flatMap { $0 },
            writeOut: "%{http_code}\\n"
        )
        let elapsed = Date().timeIntervalSince(started)
        #expect(result.exitCode == 0)
        #expect(result.output.split(separator: "\n").filter { $0 == "200" }.count == 100)
        // Queued one at a time this would take 30 s; served at once, about 0.3 s plus start-up.
        #expect(elapsed < 2.5, "100 transfers of 300 ms took \(elapsed) s")
    }

    // MARK: Answers and failures

    @Test func statusHeadAndExtraHeaders() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let unavailable = try Curl.run([server.url(query: ["status": "503"])])
        #expect(unavailable.exitCode == 0 && unavailable.status == 503)

        let url = server.url("/x", queryItems: [("bytes", "500"), ("header", "X-One: 1"), ("header", "X-Two:two")])
        let head = try Curl.run(["--head", url])
        #expect(head.exitCode == 0 && head.status == 200 && head.body.isEmpty)
        #expect(head.header("Content-Length") == "500")
        #expect(head.header("X-One") == "1" && head.header("X-Two") == "two")
        #expect(try server.requests().last?.method == "HEAD")
        #expect(try server.requests().last?.path.hasPrefix("/x?bytes=500&header=X-One") == true)
    }

    @Test func resetInTheMiddleOfTheBody() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let result = try Curl.run([server.url(query: ["bytes": "100000", "reset_after": "10"])])
        #expect([56, 18].contains(result.exitCode), "curl exit \(result.exitCode), expected 56 or 18")
    }

    @Test func hangAndBlackholeTimeOut() throws {
        let answering = try LoopbackServer.start()
        defer { answering.stop() }
        let blackhole = try LoopbackServer.start(.init(blackhole: true))
        defer { blackhole.stop() }
        // Both run at the same time, so the test costs one second, not two.
        let hang = try Curl.launch(["--max-time", "1", answering.url(query: ["hang": "1"])])
        let silent = try Curl.launch(["--max-time", "1", blackhole.url()])
        let hangResult = hang.finish()
        let silentResult = silent.finish()
        #expect(hangResult.exitCode == 28, "hang=1: curl exit \(hangResult.exitCode), expected 28")
        #expect(silentResult.exitCode == 28, "blackhole: curl exit \(silentResult.exitCode), expected 28")
        #expect(try answering.requests().count == 1)
        #expect(try blackhole.requests().isEmpty)
    }

    @Test func closedPortRefusesConnections() throws {
        let port = try freeLoopbackPortThatIsClosed()
        let result = try Curl.run(["http://127.0.0.1:\(port)/"])
        #expect(result.exitCode == 7, "curl exit \(result.exitCode), expected 7 (connection refused)")
    }

    @Test func wildcardCertificateValidatesForPinnedName() throws {
        let certificates = try TestCertificates.make(hosts: ["*.blob.core.windows.net"])
        defer { certificates.remove() }
        let server = try LoopbackServer.start(.init(tls: certificates))
        defer { server.stop() }
        let host = "speedtestweu.blob.core.windows.net"
        let result = try Curl.run([
            "--cacert", certificates.caFile, "--resolve", server.resolveEntry(for: host),
            "https://\(host):\(server.port)/?header=X-MSEdge-Ref:Ref%20B:%20AMSEDGE1018",
        ])
        #expect(result.exitCode == 0 && result.status == 200)
        #expect(result.header("X-MSEdge-Ref") == "Ref B: AMSEDGE1018")
        let request = try #require(try server.requests().last)
        #expect(request.header("host") == "\(host):\(server.port)")
        #expect(request.tls?.sni == host)
    }

    @Test(.enabled(if: LoopbackServer.ipv6LoopbackIsAvailable, "skipped: this machine has no IPv6 loopback (::1)"))
    func ipv6LoopbackWorks() throws {
        let certificates = try TestCertificates.shared()
        let server = try LoopbackServer.start(.init(bindAddress: "::1", tls: certificates))
        defer { server.stop() }
        #expect(server.url("/echo-ip") == "https://[::1]:\(server.port)/echo-ip")
        let result = try Curl.run(["--cacert", certificates.caFile, server.url("/echo-ip")])
        #expect(result.exitCode == 0 && result.body == "::1")
    }

    @Test func stopEndsTheServerProcess() throws {
        let server = try LoopbackServer.start()
        let pid = server.processIdentifier
        #expect(kill(pid, 0) == 0)
        server.stop()
        server.stop()
        #expect(kill(pid, 0) == -1 && errno == ESRCH, "python server \(pid) still exists after stop()")
    }

    // MARK: Helpers

    /// Repeats a timing measurement until it lands within max(3 ms, 10 %) of `expected`, at most
    /// 5 times: the machine is shared, and one sample can be late when every core is busy.
    private func measure(
        expected: Double, _ sample: () throws -> Double
    ) throws -> (ok: Bool, values: [Double]) {
        let tolerance = max(3, expected * 0.1)
        var values: [Double] = []
        for _ in 0..<5 {
            let value = try sample()
            values.append((value * 1000).rounded() / 1000)
            if abs(value - expected) <= tolerance { return (true, values) }
        }
        return (false, values)
    }
}

/// The system `curl` tool, loopback only.
private enum Curl {
    /// What one curl run printed and returned; times are milliseconds.
    struct Result {
        var exitCode: Int32
        var output: String
        var status: Int = 0
        var httpVersion = ""
        var headers: [(String, String)] = []
        var body = ""
        var connect = 0.0, appConnect = 0.0, preTransfer = 0.0, startTransfer = 0.0, total = 0.0

        var tls: Double { appConnect - connect }
        var wait: Double { startTransfer - preTransfer }
        var transfer: Double { total - startTransfer }

        func header(_ name: String) -> String? {
            headers.last { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }
    }

    /// A started curl process.
    struct Running {
        let process: Process
        let output: Pipe
        let parse: Bool

        func finish() -> Result {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            var result = Result(exitCode: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
            if parse { Curl.parse(&result) }
            return result
        }
    }

    static let marker = "\n@@curl@@ "
    static let timings =
        "%{http_code} %{http_version} %{time_connect} %{time_appconnect} "
        + "%{time_pretransfer} %{time_starttransfer} %{time_total}"

    static func run(_ arguments: [String], writeOut: String? = nil) throws -> Result {
        try launch(arguments, writeOut: writeOut).finish()
    }

    static func launch(_ arguments: [String], writeOut: String? = nil) throws -> Running {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        var base = ["-q", "--noproxy", "*", "--silent"]
        if let writeOut {
            base += ["-w", writeOut]
        } else {
            base += ["--include", "-w", marker + timings]
        }
        process.arguments = base + arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.lowercased().hasSuffix("_proxy") }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Running(process: process, output: output, parse: writeOut == nil)
    }

    /// Splits `--include` output into status, headers and body, and reads the `-w` timings.
    static func parse(_ result: inout Result) {
        guard let markerRange = result.output.range(of: marker, options: .backwards) else { return }
        let fields = result.output[markerRange.upperBound...].split(separator: " ").map(String.init)
        if fields.count == 7 {
            result.status = Int(fields[0]) ?? 0
            result.httpVersion = fields[1]
            let seconds = fields[2...].map { Double($0) ?? 0 }
            (result.connect, result.appConnect, result.preTransfer, result.startTransfer, result.total) =
                (seconds[0] * 1000, seconds[1] * 1000, seconds[2] * 1000, seconds[3] * 1000, seconds[4] * 1000)
        }
        let response = result.output[..<markerRange.lowerBound]
        guard let split = response.range(of: "\r\n\r\n") else { return }
        for line in response[..<split.lowerBound].split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            result.headers.append((String(line[..<colon]), value))
        }
        result.body = String(response[split.upperBound...])
    }
}
