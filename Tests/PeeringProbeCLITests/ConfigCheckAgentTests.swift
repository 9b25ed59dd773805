import Foundation
import TestSupport
import Testing

/// `config check` on the continuous agent's keys: what it shows, what it warns about, what it refuses.
@Suite("config check: schedule, metrics and output")
struct ConfigCheckAgentTests {
    /// Writes `yaml` to a config file in a fresh folder; returns the folder and the file's path.
    private func configFile(_ yaml: String) throws -> (folder: String, path: String) {
        let folder = try CommandRunner.temporaryFolder()
        let path = folder + "/agent.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, path)
    }

    @Test("It shows each target's interval, the metrics address and the output settings")
    func summary() throws {
        let (folder, path) = try configFile(
            """
            schedule:
              interval: 30s
              egress_discovery: 10m
            metrics:
              listen: "[::1]:9100"
            output:
              batch_size: 500
              retention: 14d
              retention_size: 2GiB
              buffer: 2000
            targets:
              - name: first
                url: http://127.0.0.1:1/
              - name: second
                url: http://127.0.0.1:2/
                interval: 2m
            """)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run(["config", "check", path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.isEmpty)
        #expect(
            run.standardOutput.contains(
                "batch_size: 500  batch_age: 5m  retention: 14d  retention_size: 2GiB  buffer: 2000"))
        #expect(
            run.standardOutput.contains(
                "schedule: every 30s unless a target says otherwise; egress discovery again every 10m"))
        #expect(run.standardOutput.contains("metrics: http://[::1]:9100/metrics"))
        let header = try #require(run.lines.first { $0.hasPrefix("target ") })
        let first = try #require(run.lines.first { $0.hasPrefix("first ") })
        let second = try #require(run.lines.first { $0.hasPrefix("second ") })
        let column = try #require(header.range(of: "interval")).lowerBound.utf16Offset(in: header)
        #expect(first.dropFirst(column).hasPrefix("30s "))
        #expect(second.dropFirst(column).hasPrefix("2m "))
    }

    @Test("A target whose round can outlast its interval is a warning with file, line and key; exit 0")
    func overrunWarning() throws {
        let (folder, path) = try configFile(
            """
            schedule:
              interval: 1s
            defaults:
              connect_timeout: 500ms
            targets:
              - url: http://127.0.0.1:1/
                timeout: 500ms
              - url: http://127.0.0.2:1/
                timeout: 2s
            """)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run(["config", "check", path])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(
            run.standardError
                == "peering-probe: warning: \(path):8: targets[1]: target '127.0.0.2': a round can take count x"
                + " spacing + timeout = 3 x 100ms + 2s = 2.3s, longer than schedule.interval 1s; such rounds overrun"
                + " and the next one starts at the next free slot\n")
    }

    @Test("A bad metrics address is exit 2 with file, line and key")
    func badListen() throws {
        let (folder, path) = try configFile("metrics:\n  listen: 9100\ntargets:\n  - url: http://127.0.0.1:1/\n")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run(["config", "check", path])
        #expect(run.status == 2)
        #expect(run.standardError.contains("\(path):2: metrics.listen: expected HOST:PORT"))
    }

    @Test("The embedded default config checks clean: no warning, a 1m schedule, metrics off")
    func embeddedIsClean() throws {
        let run = try CommandRunner().run(["config", "check"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardError.isEmpty)
        #expect(run.standardOutput.contains("schedule: every 1m unless a target says otherwise"))
        #expect(run.standardOutput.contains("metrics: off"))
    }
}
