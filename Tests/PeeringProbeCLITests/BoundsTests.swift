import Foundation
import TestSupport
import Testing

/// Issue 9's bounds end to end: flags and `config check` refuse numbers out of range (exit 2, nothing written),
/// hostile responses become bounded, well-classified samples, and messages never echo control characters.
@Suite("bounds", .serialized)
struct BoundsTests {
    private static let url = "http://127.0.0.1:1/"

    private static let flagCases: [(arguments: [String], message: String)] = [
        (["--timeout", "inf"], "'inf' is invalid for '--timeout"),
        (["--timeout", "1e400"], "'1e400' is invalid for '--timeout"),
        (["--timeout", "1e18"], "'1e18' is invalid for '--timeout"),
        (["--timeout", "9223372036854775807"], "more than 0s and at most 10m"),
        (["--timeout", "9223372036"], "more than 0s and at most 10m"),
        (["--timeout", "11m"], "more than 0s and at most 10m"),
        (["--count", "2147483647"], "--count must be from 1 to 10000, got 2147483647"),
        (["--count", "10001"], "--count must be from 1 to 10000"),
        (["--concurrency", "1001"], "--concurrency must be from 1 to 1000"),
        (["--spacing", "2h"], "--spacing must be from 0s to 1h, got 2h"),
        (["--cacert", "/nonexistent/ca.pem"], "cannot use CA file '/nonexistent/ca.pem': No such file"),
        (["--cacert", "/tmp"], "is not a regular file"),
        (["--resolve", "127.0.0.1:18080:1.2.3.4:5"], "invalid address '1.2.3.4:5'"),
    ]

    @Test("A flag out of its range exits 2 before anything is written", arguments: flagCases.indices)
    func flagOutOfRange(index: Int) throws {
        let (arguments, message) = Self.flagCases[index]
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run(["probe", "--url", Self.url] + arguments, in: folder)
        #expect(run.status == 2, "\(arguments): \(run.standardError)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "nothing written")
    }

    @Test("A huge count times many URLs is refused as too many samples for one round")
    func roundOfURLs() throws {
        let urls = (0..<101).flatMap { ["--url", "http://127.0.0.1:1/\($0)"] }
        let run = try CommandRunner().run(["probe", "--count", "10000", "--out", "-"] + urls)
        #expect(run.status == 2)
        #expect(run.standardError.contains("one round would take 1010000 samples"), "\(run.standardError)")
    }

    @Test(
        "config check refuses a huge count, a long agent id, a stalling edge rule, a missing CA file, Content-Length",
        arguments: [
            ("defaults:\n  count: 100000000\n", "must be from 1 to 10000"),
            ("agent: \(String(repeating: "a", count: 250))\n", "is 250 characters long"),
            ("edge_rules:\n  - header: X-A\n    pattern: '^(a+)+$'\n", "can take exponential time"),
            ("defaults:\n  cacert: /nonexistent/ca.pem\n", "No such file or directory"),
            ("defaults:\n  headers:\n    Content-Length: '1'\n", "cannot be set"),
        ])
    func configCheck(yaml: String, message: String) throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = folder + "/c.yaml"
        try (yaml + "targets:\n  - url: \(Self.url)\n").write(toFile: config, atomically: true, encoding: .utf8)
        let start = Date()
        let run = try CommandRunner().run(["config", "check", config], timeout: 30)
        #expect(run.status == 2, "\(run.standardError)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(Date().timeIntervalSince(start) < 20)
    }

    @Test("ESC and CR in a bad --url are escaped in the message")
    func escapedURL() throws {
        let run = try CommandRunner().run(["probe", "--url", "http://a\u{1B}[2J\rb/"])
        #expect(run.status == 2)
        #expect(run.standardError.contains("\\x1B[2J\\r"), "\(run.standardError)")
        #expect(!run.standardError.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\r" })
    }

    private func samples(_ run: CommandRunner.Result) throws -> [[String: Any]] {
        try run.lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test("A 200 KB response header line is an error of kind http")
    func longHeaderLine() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let url = server.url("/", query: ["long_header": "X-Big:200000"])
        let run = try CommandRunner().run(["probe", "--url", url, "--count", "1", "--out", "-"])
        #expect(run.status == 0, "\(run.standardError)")
        let sample = try #require(try samples(run).first)
        let error = sample["error"] as? [String: Any]
        #expect(sample["ok"] as? Bool == false)
        #expect(error?["kind"] as? String == "http", "\(sample)")
        #expect((error?["message"] as? String)?.contains("response header too large") == true)
    }

    @Test("A 90 KB X-MSEdge-Ref is stored cut to 256 bytes, marked with …")
    func longEdgeHeader() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let url = server.url("/", query: ["long_header": "X-MSEdge-Ref:90000"])
        let run = try CommandRunner().run(["probe", "--url", url, "--count", "2", "--spacing", "0ms", "--out", "-"])
        #expect(run.status == 0, "\(run.standardError)")
        let all = try samples(run)
        #expect(all.count == 2)
        for sample in all {
            let ref = try #require(sample["edge_ref"] as? String)
            #expect(ref.utf8.count <= 256)
            #expect(ref == String(repeating: "a", count: 253) + "…")
        }
        #expect(run.standardOutput.utf8.count < 4_000)
    }
}
