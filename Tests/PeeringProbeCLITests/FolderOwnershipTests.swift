import Foundation
import TestSupport
import Testing

/// `probe` and a `peering-probe run` that owns the agent's folder (another process holding `AGENT/run.lock`),
/// and `probe`'s retention notes.
@Suite("probe: folder ownership and retention", .serialized)
struct FolderOwnershipTests {
    /// A child process holding an exclusive `flock` on `lockPath` with its pid written in, as `run` does; it
    /// lets go when its standard input closes.
    private final class LockHolder {
        let process = Process()
        private let input = Pipe()

        init(lockPath: String) throws {
            let script = """
                import fcntl, os, sys
                f = open(sys.argv[1], "a+")
                fcntl.flock(f, fcntl.LOCK_EX)
                f.truncate(0)
                f.write("%d\\n" % os.getpid())
                f.flush()
                print("locked", flush=True)
                sys.stdin.read()
                """
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", script, lockPath]
            let output = Pipe()
            process.standardOutput = output
            process.standardInput = input
            try process.run()
            let line = output.fileHandleForReading.availableData
            guard String(decoding: line, as: UTF8.self).hasPrefix("locked") else {
                throw CocoaError(.fileLocking)
            }
        }

        func stop() {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    private static func files(in folder: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var files: [String] = []
        while let name = enumerator?.nextObject() as? String { files.append(name) }
        return files.sorted()
    }

    @Test("probe on a folder that another process's run owns exits 3 naming that pid, and writes nothing")
    func refusedWhileOwned() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/out"
        try FileManager.default.createDirectory(atPath: out + "/owned", withIntermediateDirectories: true)
        let config = folder + "/probe.yaml"
        try "agent: owned\ntargets:\n  - url: http://127.0.0.1:1/\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let holder = try LockHolder(lockPath: out + "/owned/run.lock")
        let run = try CommandRunner().run([
            "probe", "--config", config, "--url", server.url("/"), "--count", "1", "--out", out,
        ])
        holder.stop()
        #expect(run.status == 3, "\(run.standardError)")
        #expect(
            run.standardError.contains(
                "cannot use output folder '\(out)/owned': it is in use by `peering-probe run` (pid "
                    + "\(holder.process.processIdentifier)); stop it or choose another --out"),
            "\(run.standardError)")
        #expect(Self.files(in: out + "/owned") == ["run.lock"], "nothing reserved or written")

        let after = try CommandRunner().run([
            "probe", "--config", config, "--url", server.url("/"), "--count", "1", "--out", out,
        ])
        #expect(after.status == 0, "once the owner is gone, probe writes: \(after.standardError)")
    }

    @Test("probe deletes batches past the config's retention and prints one note per deletion")
    func retentionNotes() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let out = folder + "/out"
        let day = out + "/kept/2020-01-01"
        try FileManager.default.createDirectory(atPath: day, withIntermediateDirectories: true)
        let old = [day + "/kept-20200101T000000Z-1.ndjson", day + "/kept-20200101T001000Z-4.ndjson.gz"]
        for path in old { try Data("{}\n".utf8).write(to: URL(fileURLWithPath: path)) }
        try "next_seq 10\nnext_round 10\n".write(toFile: out + "/kept/state", atomically: true, encoding: .utf8)
        let config = folder + "/probe.yaml"
        try "agent: kept\noutput:\n  retention: 1d\ntargets:\n  - url: http://127.0.0.1:1/\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let run = try CommandRunner().run([
            "probe", "--config", config, "--url", server.url("/"), "--count", "1", "--out", out,
        ])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(
            run.standardError
                == old.map { "peering-probe: note: retention deleted '\($0)' (3 bytes): older than 1d (retention)\n" }
                .joined())
        #expect(!FileManager.default.fileExists(atPath: day), "the emptied day folder is removed")
        let batches = Self.files(in: out + "/kept").filter { $0.hasSuffix(".ndjson") }
        #expect(batches.count == 1, "the new batch stays: \(batches)")
    }
}
