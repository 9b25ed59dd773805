import CurlKit
import Foundation
import TestSupport
import Testing

@testable import ProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// `run` owns its agent's folder through an exclusive `flock` on `AGENT/run.lock`; a second owner and `probe`
/// are refused, naming the owner's pid, and concurrent checks do not hold each other up. The lock belongs to the
/// open file, so these tests hold it in this process.
@Suite("Agent folder owner")
struct AgentFolderOwnerTests {
    private static func folder() throws -> (root: String, folder: OutputFolder) {
        let root = try CommandRunner.temporaryFolder()
        return (root, try OutputFolder(root: root, agent: "a"))
    }

    private static var inUse: String {
        "it is in use by `peering-probe run` (pid \(getpid())); stop it or choose another --out"
    }

    @Test("The owner's pid is in run.lock; a second claim and a probe's check are refused naming it")
    func exclusive() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try AgentFolderOwner.checkNotOwned(folder)
        #expect(!FileManager.default.fileExists(atPath: root + "/a/run.lock"), "a check makes no lock file")

        let owner = try AgentFolderOwner.acquire(folder)
        #expect(try String(contentsOfFile: root + "/a/run.lock", encoding: .utf8) == "\(getpid())\n")
        #expect(owner.folder.agentFolder == folder.agentFolder)
        for attempt in [{ _ = try AgentFolderOwner.acquire(folder) }, { try AgentFolderOwner.checkNotOwned(folder) }] {
            #expect {
                try attempt()
            } throws: { error in
                guard let error = error as? SpoolError else { return false }
                #expect(error.path == root + "/a")
                #expect(error.description == "cannot use output folder '\(root)/a': \(Self.inUse)")
                return true
            }
        }

        owner.release()
        owner.release()
        try AgentFolderOwner.checkNotOwned(folder)
        let next = try AgentFolderOwner.acquire(folder)
        next.release()
    }

    @Test("A pid left by a run that died (no lock held) blocks nothing and is replaced")
    func stalePID() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "2147483646\nleft over\n".write(toFile: root + "/a/run.lock", atomically: true, encoding: .utf8)
        try AgentFolderOwner.checkNotOwned(folder)
        let owner = try AgentFolderOwner.acquire(folder)
        #expect(try String(contentsOfFile: root + "/a/run.lock", encoding: .utf8) == "\(getpid())\n")
        owner.release()
    }

    @Test("The claim ends when the owner goes away")
    func endsWithTheObject() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        do {
            let owner = try AgentFolderOwner.acquire(folder)
            #expect(throws: SpoolError.self) { try AgentFolderOwner.checkNotOwned(folder) }
            withExtendedLifetime(owner) {}
        }
        try AgentFolderOwner.checkNotOwned(folder)
    }

    @Test("Checks do not hold each other up, and a claim waits out a check in progress")
    func checksAreShared() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try AgentFolderOwner.acquire(folder).release()
        // Hold the lock shared as a probe's check does, without a pid: a claim waits for it to go.
        let fd = open(root + "/a/run.lock", O_RDONLY | O_CLOEXEC)
        #expect(fd >= 0)
        #expect(flock(fd, LOCK_SH) == 0)
        try AgentFolderOwner.checkNotOwned(folder)
        try AgentFolderOwner.checkNotOwned(folder)
        let releaser = Thread {
            usleep(200_000)
            close(fd)
        }
        releaser.start()
        let start = ContinuousClock.now
        let owner = try AgentFolderOwner.acquire(folder)
        #expect(ContinuousClock.now - start >= .milliseconds(150))
        owner.release()
    }

    @Test("A holder that records no pid is refused after a short wait, as pid unknown")
    func unknownHolder() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fd = open(root + "/a/run.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        #expect {
            _ = try AgentFolderOwner.acquire(folder)
        } throws: { error in
            "\(error)".contains("in use by another `peering-probe run` (pid unknown)")
        }
    }

    @Test("A symbolic link or FIFO at run.lock is refused, never followed")
    func oddLockFile() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/a/run.lock", withDestinationPath: root + "/x")
        #expect(throws: SpoolError.self) { _ = try AgentFolderOwner.acquire(folder) }
        #expect(throws: SpoolError.self) { try AgentFolderOwner.checkNotOwned(folder) }
        #expect(!FileManager.default.fileExists(atPath: root + "/x"))
        try FileManager.default.removeItem(atPath: root + "/a/run.lock")
        #expect(mkfifo(root + "/a/run.lock", 0o644) == 0)
        #expect(throws: SpoolError.self) { _ = try AgentFolderOwner.acquire(folder) }
        #expect(throws: SpoolError.self) { try AgentFolderOwner.checkNotOwned(folder) }
    }

    @Test("probe on a folder a run owns is refused before anything is reserved or written")
    func oneShotProbeRefused() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let owner = try AgentFolderOwner.acquire(folder)
        defer { owner.release() }
        let config = try ConfigLoader.load(
            yaml: "agent: a\ntargets:\n  - url: http://127.0.0.1:1/\n    count: 1\n", source: "owned.yaml")
        #expect {
            _ = try OneShotProbe(config: config).run(engine: ProbeEngine(), destination: .folder(root))
        } throws: { error in
            "\(error)" == "cannot use output folder '\(root)/a': \(Self.inUse)"
        }
        #expect(try folder.readState("state") == nil, "no numbers reserved")
    }
}
