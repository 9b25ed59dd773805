import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `peering-probe run` on a disk that fills up: a small tmpfs as the output folder (needs root to mount),
/// filled by another file while the agent runs, then freed.
@Suite("run: a full disk", .serialized)
struct AgentDiskFaultTests {
    /// Mounts a tmpfs of `size` at a new folder; nil (with the reason) when this process may not mount.
    private static func mountTmpfs(size: String) throws -> (path: String, unmount: () -> Void)? {
        guard getuid() == 0 else { return nil }
        let path = try CommandRunner.temporaryFolder()
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { return nil }
        return (
            path,
            {
                let umount = Process()
                umount.executableURL = URL(fileURLWithPath: "/bin/umount")
                umount.arguments = [path]
                try? umount.run()
                umount.waitUntilExit()
                try? FileManager.default.removeItem(atPath: path)
            }
        )
    }

    /// Writes a file into `folder` until the file system is full.
    private static func fill(_ folder: String) -> String {
        let path = folder + "/filler"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let block = [UInt8](repeating: 0x41, count: 4_096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) > 0 {}
        // Small writes take the last bytes too.
        while write(fd, "A", 1) > 0 {}
        close(fd)
        return path
    }

    private static let canMount: Bool = getuid() == 0

    /// Runs the agent on a full-then-freed disk with `buffer` samples of room; returns its log, the lines
    /// written and the samples it took.
    private func runThroughFullDisk(buffer: Int) throws -> (log: String, lines: [AgentFolderReader.Line])? {
        guard let disk = try Self.mountTmpfs(size: "512k") else { return nil }
        defer { disk.unmount() }
        let server = try LoopbackServer.start(.init(logRequests: false))
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = try AgentRunTests.writeConfig(
            in: folder, interval: "100ms", count: 2, spacing: "0s",
            output: "output:\n  batch_size: 20\n  buffer: \(buffer)", targets: [("disk", server.url("/"))])
        let agent = try CommandRunner().start(["run", "--config", config, "--out", disk.path])
        #expect(agent.waitForStandardError(containing: "started"))
        usleep(700_000)
        let filler = Self.fill(disk.path)
        #expect(agent.waitForStandardError(containing: "cannot write batches"), "\(agent.standardErrorSoFar)")
        usleep(2_000_000)
        #expect(!agent.standardErrorSoFar.contains("disk writable again"), "the disk is still full")
        unlink(filler)
        #expect(
            agent.waitForStandardError(containing: "disk writable again", timeout: 40), "\(agent.standardErrorSoFar)")
        usleep(500_000)
        agent.send(SIGTERM)
        let result = try agent.wait(timeout: 30)
        #expect(result.status == 0, "\(result.standardError)")
        let log = result.standardError
        #expect(log.components(separatedBy: "cannot write batches").count == 2, "the failure is logged once")
        return (log, try AgentFolderReader(out: disk.path, agent: "agent-test").finishedLines())
    }

    @Test(
        "A full disk does not stop probing: samples wait in memory and all arrive once it frees up, none twice, no gap",
        .enabled(if: canMount, "mounting a tmpfs needs root"))
    func bufferHolds() throws {
        guard let (log, lines) = try runThroughFullDisk(buffer: 100_000) else { return }
        let stopped = try #require(log.split(separator: "\n").last { $0.contains("stopped") })
        let rounds = roundsPerTarget(lines, perRound: 2)
        #expect(lines.count == (rounds["disk"] ?? 0) * 2)
        #expect(logField("samples", in: stopped) == "\(lines.count)", "every sample taken was written: \(stopped)")
        #expect(logField("dropped", in: stopped) == "0")
        expectConsecutive(lines, from: 1, "seq counts on through the failure")
        #expect(lines.count >= 40, "probing went on while the disk was full: \(lines.count) lines")
    }

    @Test(
        "With a tiny buffer the oldest samples are dropped, and the dropped count is exact",
        .enabled(if: canMount, "mounting a tmpfs needs root"))
    func tinyBufferDrops() throws {
        guard let (log, lines) = try runThroughFullDisk(buffer: 3) else { return }
        let stopped = try #require(log.split(separator: "\n").last { $0.contains("stopped") })
        let taken = try #require(logField("samples", in: stopped).flatMap { Int($0) })
        let dropped = try #require(logField("dropped", in: stopped).flatMap { Int($0) })
        #expect(dropped > 0, "\(stopped)")
        #expect(lines.count + dropped == taken, "written \(lines.count) + dropped \(dropped) = taken \(taken)")
        #expect(Set(lines.map(\.seq)).count == lines.count, "none twice")
        expectConsecutive(lines, from: 1, "seq is stamped as lines are written: dropped samples leave no gap")
        #expect(log.components(separatedBy: "sample buffer full").count == 2, "the drop is logged once")
    }
}
