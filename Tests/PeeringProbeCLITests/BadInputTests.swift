import Foundation
import TestSupport
import Testing

/// Bad input gets a clear message and exit 2 (3 for an unusable output folder), and nothing half-written.
@Suite("bad input", .serialized)
struct BadInputTests {
    private static let cases: [(arguments: [String], status: Int32, message: String)] = [
        (["probe", "--url", "ftp://example.test/"], 2, "is not HTTP or HTTPS"),
        (["probe", "--url", "http://"], 2, "malformed URL"),
        (["probe", "--url", "http://127.0.0.1:1/", "--count", "0"], 2, "--count must be from 1 to 10000, got 0"),
        (
            ["probe", "--url", "http://127.0.0.1:1/", "--concurrency", "0"], 2,
            "--concurrency must be from 1 to 1000, got 0"
        ),
        (
            ["probe", "--method", "POST", "--url", "http://127.0.0.1:1/"], 2,
            "'POST' is invalid for '--method <method>'"
        ),
        (
            ["probe", "--resolve", "h:99999:127.0.0.1", "--url", "http://h/"], 2,
            "'--resolve <host:port:addr>': invalid port"
        ),
        (["probe", "--resolve", "h:80:not-an-address", "--url", "http://h/"], 2, "invalid address 'not-an-address'"),
        (["probe", "--resolve", "h80", "--url", "http://h/"], 2, "'h80' is invalid for '--resolve"),
        (["probe", "--timeout", "inf", "--url", "http://127.0.0.1:1/"], 2, "'inf' is invalid for '--timeout"),
        (["probe", "--timeout", "0", "--url", "http://127.0.0.1:1/"], 2, "'0' is invalid for '--timeout"),
        (["probe", "--spacing", "100", "--url", "http://127.0.0.1:1/"], 2, "'100' is invalid for '--spacing"),
        (["probe", "--config", "/nonexistent/peering-probe.yaml"], 2, "/nonexistent/peering-probe.yaml"),
        (["probe", "--bogus-flag"], 2, "Unknown option"),
        (["report", "--format", "pd\u{1B}[31m\r\nf", "x.ndjson"], 2, "'pd\\x1B[31m\\r\\nf' is invalid for '--format"),
        (["config", "check", "/nonexistent/x.yaml"], 2, "/nonexistent/x.yaml"),
    ]

    @Test("Bad usage exits 2 with a message that says what is wrong", arguments: cases.indices)
    func badUsage(index: Int) throws {
        let (arguments, status, message) = Self.cases[index]
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run(arguments, in: folder)
        #expect(run.status == status, "\(arguments): \(run.standardError)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "nothing written")
    }

    @Test("An invalid config names the file and line, exit 2")
    func invalidConfig() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = folder + "/bad.yaml"
        try "targets:\n  - url: http://127.0.0.1:1/\n    timout: 5s\n".write(
            toFile: config, atomically: true,
            encoding: .utf8)
        let run = try CommandRunner().run(["probe", "--config", config, "--out", folder + "/out"])
        #expect(run.status == 2)
        #expect(run.standardError.contains("\(config):3"), "\(run.standardError)")
        #expect(run.standardError.contains("timout"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"), "nothing written")
    }

    @Test("An output folder that cannot be written exits 3 before probing")
    func unwritableOutput() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A regular file where the output folder should be: even root cannot create folders inside it.
        let blocker = folder + "/not-a-folder"
        try "x".write(toFile: blocker, atomically: true, encoding: .utf8)
        let run = try CommandRunner().run(["probe", "--url", server.url(), "--out", blocker + "/out"])
        #expect(run.status == 3, "\(run.standardError)")
        #expect(run.standardError.contains(blocker))
        #expect(try server.requests().isEmpty, "no probe was sent")
    }

    @Test("config check accepts the embedded default config with no network use")
    func configCheckDefault() throws {
        let run = try CommandRunner().run(["config", "check"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("<embedded default config> is valid"))
        for name in [
            "entra-id", "exchange-online", "teams", "graph", "azure-resource-manager", "azure-front-door",
            "blob-westeurope", "blob-eastus",
        ] {
            #expect(run.standardOutput.contains(name))
        }
    }

    @Test("The shipped Config/peering-probe.yaml is exactly the embedded one")
    func shippedConfigIsEmbedded() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/peering-probe.yaml").path
        let run = try CommandRunner().run(["config", "check", shipped])
        #expect(run.status == 0, "\(run.standardError)")
        let embedded = try CommandRunner().run(["config", "check"])
        #expect(
            run.standardOutput.split(separator: "\n").dropFirst()
                == embedded.standardOutput.split(separator: "\n")
                .dropFirst())
    }
}
