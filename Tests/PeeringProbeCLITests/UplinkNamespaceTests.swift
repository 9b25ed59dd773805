import Foundation
import TestSupport
import Testing

/// Two veth uplinks from a site namespace to an edge namespace, probes bound by interface name: the
/// samples are tagged by uplink (Tests/EndToEnd/uplinks-netns.sh does the work and prints its checks).
@Suite("Uplinks in network namespaces")
struct UplinkNamespaceTests {
    /// Root and a working `ip netns` are needed; elsewhere the test is skipped with this reason.
    static var namespacesAvailable: Bool {
        guard getuid() == 0 else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/bin/sh")
        probe.arguments = ["-c", "ip netns add pp-check-$$ && ip netns del pp-check-$$"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    @Test(
        "Samples from each uplink carry its ISP, prefix, path type, PoP and delay",
        .enabled(if: namespacesAvailable, "needs root and `ip netns`"))
    func taggedByUplink() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EndToEnd/uplinks-netns.sh").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, try CommandRunner().executable]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.components(separatedBy: "PASS:").count - 1 == 7, "\(text)")
        #expect(!text.contains("FAIL:"))
    }
}
