import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real Prometheus server (Debian's `prometheus` package) on loopback, scraping the given targets every
/// second, with a PromQL client over its HTTP API: for tests that check what Prometheus makes of `/metrics`.
///
/// ```swift
/// guard let prometheusPath = PrometheusServer.executablePath else { return }  // skip: not installed
/// let prometheus = try PrometheusServer.start(scraping: ["127.0.0.1:\(server.port)"])
/// defer { prometheus.stop() }
/// let count = try prometheus.waitForValue("sum(peering_probe_samples_total)", timeout: 30) { $0 == 120 }
/// ```
///
/// It runs in a temporary folder of its own (config and TSDB storage), removed by ``stop()``; its log is kept
/// in memory for error messages. The server listens on `127.0.0.1` at a free port.
public final class PrometheusServer: @unchecked Sendable {
    /// The port the server's HTTP API listens on (on 127.0.0.1).
    public let port: Int
    /// The scrape targets, `HOST:PORT`.
    public let targets: [String]
    private let process: Process
    private let folder: String
    private let logFile: String
    private let lock = NSLock()
    private var stopped = false

    private init(port: Int, targets: [String], process: Process, folder: String, logFile: String) {
        self.port = port
        self.targets = targets
        self.process = process
        self.folder = folder
        self.logFile = logFile
    }

    deinit { stop() }

    /// The `prometheus` executable on `PATH` (or `/usr/bin/prometheus`), nil when it is not installed: a test
    /// skips with that reason.
    public static var executablePath: String? {
        findExecutable("prometheus")
            ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus")
                ? "/usr/bin/prometheus" : nil)
    }

    /// Starts Prometheus scraping `targets` (`HOST:PORT`, an IPv6 host in brackets) at `metricsPath` every
    /// second, and waits (at most `timeout` seconds) until it is ready to answer queries. Throws with its log
    /// when it does not start.
    public static func start(
        scraping targets: [String], metricsPath: String = "/metrics", timeout: Double = 60
    ) throws -> PrometheusServer {
        guard let executable = executablePath else {
            throw TestSupportError("PrometheusServer: prometheus is not installed (apt-get install prometheus)")
        }
        var lastError: (any Error)?
        // A free port can be taken between the probe and Prometheus's bind: try another one then.
        for _ in 0..<3 {
            do {
                return try launch(executable, targets: targets, metricsPath: metricsPath, timeout: timeout)
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    private static func launch(
        _ executable: String, targets: [String], metricsPath: String, timeout: Double
    ) throws -> PrometheusServer {
        let folder = try CommandRunner.temporaryFolder()
        let config = """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: peering-probe
                metrics_path: '\(metricsPath)'
                static_configs:
                  - targets: [\(targets.map { "'\($0)'" }.joined(separator: ", "))]

            """
        let configFile = folder + "/prometheus.yml"
        try config.write(toFile: configFile, atomically: true, encoding: .utf8)
        let logFile = folder + "/prometheus.log"
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        defer { try? log.close() }
        let port = try freeLoopbackPortThatIsClosed()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "--config.file=" + configFile, "--storage.tsdb.path=" + folder + "/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=info",
        ]
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let server = PrometheusServer(
            port: port, targets: targets, process: process, folder: folder, logFile: logFile)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard process.isRunning else {
                let text = server.log()
                server.stop()
                throw TestSupportError("PrometheusServer: prometheus exited at start:\n\(text)")
            }
            if (try? server.get("/-/ready", timeout: 2)) != nil { return server }
            usleep(100_000)
        }
        let text = server.log()
        server.stop()
        throw TestSupportError("PrometheusServer: prometheus not ready within \(Int(timeout)) s:\n\(text)")
    }

    /// The base URL of the HTTP API, `http://127.0.0.1:PORT`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Runs the instant query `promql` at the current time and returns its value: the one sample of a vector or
    /// a scalar; nil when the result is empty. Throws when the query fails or returns several series.
    public func query(_ promql: String) throws -> Double? {
        let body = try get("/api/v1/query", query: ["query": promql], timeout: 10)
        guard let json = try JSONSerialization.jsonObject(with: body) as? [String: Any],
            json["status"] as? String == "success", let data = json["data"] as? [String: Any]
        else {
            throw TestSupportError("PrometheusServer: query \(promql) failed: \(String(decoding: body, as: UTF8.self))")
        }
        let value: [Any]
        switch data["resultType"] as? String {
        case "scalar":
            value = data["result"] as? [Any] ?? []
        case "vector":
            let result = data["result"] as? [[String: Any]] ?? []
            guard result.count <= 1 else {
                throw TestSupportError("PrometheusServer: query \(promql) returned \(result.count) series")
            }
            guard let first = result.first else { return nil }
            value = first["value"] as? [Any] ?? []
        default:
            throw TestSupportError("PrometheusServer: query \(promql): unexpected result \(data)")
        }
        guard value.count == 2, let text = value[1] as? String, let number = Double(text) else {
            throw TestSupportError("PrometheusServer: query \(promql): unexpected value \(value)")
        }
        return number
    }

    /// Repeats ``query(_:)`` every 200 ms until its value satisfies `accept` or `timeout` seconds pass, and
    /// returns the last value (nil when the result stayed empty); the caller checks it. Scrapes are a second
    /// apart, so a value can take a few seconds to appear.
    public func waitForValue(
        _ promql: String, timeout: Double = 30, until accept: (Double) -> Bool
    ) throws -> Double? {
        let deadline = Date().addingTimeInterval(timeout)
        var value: Double? = nil
        while true {
            value = try query(promql)
            if let value, accept(value) { return value }
            if Date() >= deadline { return value }
            usleep(200_000)
        }
    }

    /// What Prometheus says about its targets' last scrapes (`/api/v1/targets`): one `URL health lastError`
    /// line per target, for messages when a value does not arrive.
    public func scrapeStatus() -> String {
        guard let body = try? get("/api/v1/targets", timeout: 5),
            let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let data = json["data"] as? [String: Any], let active = data["activeTargets"] as? [[String: Any]]
        else { return "(targets unknown)" }
        return active.map { target in
            let url = target["scrapeUrl"] as? String ?? "?"
            let health = target["health"] as? String ?? "?"
            let error = target["lastError"] as? String ?? ""
            return "\(url) \(health) \(error)"
        }.joined(separator: "\n")
    }

    /// Prometheus's log so far.
    public func log() -> String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    /// Stops Prometheus (SIGTERM, then SIGKILL after 5 s) and removes its folder. Safe to call twice.
    public func stop() {
        let first = lock.withLock {
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// GETs `path` of the API with curl and returns the body; throws unless the status is 2xx.
    private func get(_ path: String, query: [String: String] = [:], timeout: Double) throws -> Data {
        guard let curl = findExecutable("curl") else {
            throw TestSupportError("PrometheusServer: curl is not installed")
        }
        var arguments = ["-sS", "--fail", "--max-time", String(timeout), "-G"]
        for (name, value) in query { arguments += ["--data-urlencode", "\(name)=\(value)"] }
        arguments.append(url + path)
        let result = try CommandRunner(path: curl).run(arguments, timeout: timeout + 5)
        guard result.status == 0 else {
            throw TestSupportError("PrometheusServer: GET \(path): \(result.standardError)")
        }
        return Data(result.standardOutput.utf8)
    }
}
