import Foundation
import TestSupport
import Testing

/// `Config/systemd/peering-probe.service` passes `systemd-analyze verify` with `ExecStart` pointed at the built
/// binary, and broken copies of it do not.
@Suite("systemd unit")
struct SystemdUnitTests {
    /// `systemd-analyze`, when the machine has it; without it the tests are skipped with a reason.
    static let analyzer: String? = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The unit as shipped.
    static let unitPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/systemd/peering-probe.service").path

    static let installedExecStart =
        "ExecStart=/usr/local/bin/peering-probe run --config /etc/peering-probe/peering-probe.yaml "
        + "--out /var/lib/peering-probe"

    /// Writes the unit, with `edit` applied to its text, into a fresh folder as `peering-probe.service`, runs
    /// `systemd-analyze verify` on it and returns its status and the standard error lines that name the unit or
    /// its binary (lines about other units on the machine are not the unit's business).
    private func verify(_ edit: (String) throws -> String) throws -> (status: Int32, complaints: [String]) {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let unit = folder + "/peering-probe.service"
        try edit(String(contentsOfFile: Self.unitPath, encoding: .utf8)).write(
            toFile: unit, atomically: true, encoding: .utf8)
        let result = try CommandRunner(path: try #require(Self.analyzer)).run(["verify", "--man=no", unit])
        let complaints = result.standardError.split(separator: "\n").map(String.init).filter {
            $0.contains("peering-probe")
        }
        return (result.status, complaints)
    }

    /// The unit with `ExecStart` running the built binary instead of /usr/local/bin/peering-probe.
    private func pointedAtBuild(_ text: String) throws -> String {
        let binary = try CommandRunner().executable
        return text.replacingOccurrences(of: "ExecStart=/usr/local/bin/peering-probe ", with: "ExecStart=\(binary) ")
    }

    @Test("the shipped unit runs `run` with the installed paths, as a notify service with a watchdog")
    func shippedSettings() throws {
        let lines = try String(contentsOfFile: Self.unitPath, encoding: .utf8).split(separator: "\n")
            .map(String.init)
        for expected in [
            Self.installedExecStart, "Type=notify", "NotifyAccess=main", "ExecReload=/bin/kill -HUP $MAINPID",
            "Restart=on-failure", "DynamicUser=yes", "StateDirectory=peering-probe", "ProtectSystem=strict",
        ] {
            #expect(lines.contains(expected), "\(expected)")
        }
        #expect(lines.contains { $0.hasPrefix("WatchdogSec=") })
        #expect(lines.contains { $0.hasPrefix("TimeoutStopSec=") })
    }

    @Test(
        "systemd-analyze verify finds nothing to say about the unit run on the built binary",
        .enabled(if: analyzer != nil, "systemd-analyze is not installed"))
    func verifies() throws {
        let result = try verify { try pointedAtBuild($0) }
        #expect(result.status == 0)
        #expect(result.complaints.isEmpty, "\(result.complaints)")
    }

    @Test(
        "broken copies fail: a missing ExecStart binary, a misspelt key, a bad duration",
        .enabled(if: analyzer != nil, "systemd-analyze is not installed"))
    func brokenCopiesFail() throws {
        let missing = try verify {
            $0.replacingOccurrences(
                of: "ExecStart=/usr/local/bin/peering-probe ", with: "ExecStart=/nonexistent/peering-probe ")
        }
        #expect(missing.status != 0)
        #expect(missing.complaints.contains { $0.contains("/nonexistent/peering-probe") }, "\(missing.complaints)")

        let misspelt = try verify {
            try pointedAtBuild($0).replacingOccurrences(of: "ProtectSystem=", with: "ProtectSytem=")
        }
        #expect(misspelt.complaints.contains { $0.contains("ProtectSytem") }, "\(misspelt.complaints)")

        let badDuration = try verify {
            try pointedAtBuild($0).replacingOccurrences(of: "WatchdogSec=2min", with: "WatchdogSec=2mon")
        }
        #expect(badDuration.complaints.contains { $0.contains("2mon") }, "\(badDuration.complaints)")
    }
}
