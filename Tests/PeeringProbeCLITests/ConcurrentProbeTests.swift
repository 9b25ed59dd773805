import Foundation
import TestSupport
import Testing

/// `probe` runs that share one output folder, a lost state file, and an empty `--out`: every run writes its
/// own batch, numbers never repeat, and nothing is written where it should not be.
@Suite("probe: shared output folder", .serialized)
struct ConcurrentProbeTests {
    private static func batchFiles(in folder: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var files: [String] = []
        while let name = enumerator?.nextObject() as? String { files.append(name) }
        return files.sorted()
    }

    /// The one agent folder `probe` made in `out`.
    private static func agentFolder(in out: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        return out + "/" + (try #require(names.count == 1 ? names.first : nil))
    }

    private static func seqs(in file: String) throws -> [Int] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return try #require(object["seq"] as? Int)
        }
    }

    @Test(
        "20 probe runs on one folder at once: each exits 0 with its own batch; seq ranges disjoint; no temporary files")
    func twentyAtOnce() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runner = try CommandRunner()
        let out = folder + "/out"
        var processes: [(Process, Pipe)] = []
        for _ in 0..<20 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: runner.executable)
            process.arguments = [
                "probe", "--url", server.url("/"), "--count", "1", "--out", out,
            ]
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            process.standardInput = FileHandle.nullDevice
            processes.append((process, errors))
        }
        for (process, _) in processes { try process.run() }
        for (process, errors) in processes {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(message)")
        }

        let agent = try Self.agentFolder(in: out)
        let files = try Self.batchFiles(in: agent)
        #expect(files.filter { $0.contains("/.") || $0.hasPrefix(".") }.isEmpty, "no temporary files: \(files)")
        let batches = files.filter { $0.hasSuffix(".ndjson") }
        #expect(batches.count == 20, "\(files)")
        let seqs = try batches.flatMap { try Self.seqs(in: agent + "/" + $0) }.sorted()
        #expect(seqs == Array(1...20), "every run has its own seq")
        #expect(
            try String(contentsOfFile: agent + "/state", encoding: .utf8) == "next_seq 21\nnext_round 21\n")
    }

    @Test("A garbled state file: probe warns, counts on after the batches and replaces no batch")
    func garbledState() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runner = try CommandRunner()
        let out = folder + "/out"
        let arguments = ["probe", "--url", server.url("/"), "--count", "2", "--spacing", "0ms"]
        let first = try runner.run(arguments + ["--out", out])
        #expect(first.status == 0, "\(first.standardError)")
        let agent = try Self.agentFolder(in: out)
        try "garbage\n".write(toFile: agent + "/state", atomically: true, encoding: .utf8)
        let second = try runner.run(arguments + ["--out", out])
        #expect(second.status == 0, "\(second.standardError)")
        #expect(
            second.standardError.contains("state") && second.standardError.contains("next_seq 3"),
            "\(second.standardError)")
        let batches = try Self.batchFiles(in: agent).filter { $0.hasSuffix(".ndjson") }
        #expect(batches.count == 2)
        #expect(try batches.flatMap { try Self.seqs(in: agent + "/" + $0) }.sorted() == [1, 2, 3, 4])
    }

    @Test("--out '' is a usage error, as the config's output.dir: \"\" is")
    func emptyOut() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run(
            ["probe", "--url", "http://127.0.0.1:9/", "--count", "1", "--out", ""], in: folder)
        #expect(run.status == 2, "\(run.standardError)")
        #expect(run.standardError.contains("--out"), "\(run.standardError)")
    }
}
