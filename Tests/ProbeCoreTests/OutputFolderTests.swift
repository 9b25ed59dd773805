import Foundation
import ProbeCore
import TestSupport
import Testing

/// The output folder is the agent's folder under `--out`, with the state files that survive restarts.
@Suite("Output folder")
struct OutputFolderTests {
    @Test("State files are replaced atomically and read back; egress state round-trips through paths.state")
    func stateFiles() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try OutputFolder(root: root, agent: "a")
        #expect(try folder.readState("notes") == nil)
        try folder.writeState("notes", "one\n")
        try folder.writeState("notes", "two\n")
        #expect(try folder.readState("notes") == "two\n")

        #expect(try folder.readEgressState() == EgressState())
        var egress = EgressState()
        egress.discovered["uplink-a"] = IPAddress("203.0.113.10")
        egress.local["uplink-b"] = IPAddress("127.0.0.3")
        try folder.writeEgressState(egress)
        #expect(try folder.readEgressState() == egress)
        #expect(
            try String(contentsOfFile: root + "/a/paths.state", encoding: .utf8)
                == "uplink-a\tdiscovered\t203.0.113.10\nuplink-b\tlocal\t127.0.0.3\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/a").sorted() == ["notes", "paths.state"])
    }

    @Test("A folder that cannot be created is an error naming the path")
    func unwritable() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "x".write(toFile: root + "/file", atomically: true, encoding: .utf8)
        #expect {
            _ = try OutputFolder(root: root + "/file/out", agent: "a")
        } throws: { error in
            "\(error)".contains(root + "/file/out")
        }
    }
}
