import Foundation
import ProbeCore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

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
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root + "/a").sorted() == [
                "notes", "paths.state", "state.lock",
            ], "no temporary file is left")
    }

    @Test("A state file that is a symbolic link or a FIFO is neither followed nor read; writing replaces the link")
    func oddStateFiles() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try OutputFolder(root: root, agent: "a")
        let elsewhere = root + "/elsewhere"
        try "uplink-a\tlocal\t127.0.0.9\n".write(toFile: elsewhere, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/a/paths.state", withDestinationPath: elsewhere)
        #expect {
            _ = try folder.readEgressState()
        } throws: { error in
            "\(error)".contains("paths.state") && "\(error)".contains("symbolic link")
        }
        try folder.writeEgressState(EgressState())
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "uplink-a\tlocal\t127.0.0.9\n")
        let type =
            try FileManager.default.attributesOfItem(atPath: root + "/a/paths.state")[.type] as? FileAttributeType
        #expect(type == .typeRegular, "the link itself was replaced")

        #expect(mkfifo(root + "/a/notes", 0o644) == 0)
        let start = ContinuousClock.now
        #expect {
            _ = try folder.readState("notes")
        } throws: { error in
            "\(error)".contains("FIFO")
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root + "/a").sorted() == [
                "notes", "paths.state", "state.lock",
            ],
            "no temporary file is left")
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
