import Foundation
import TestSupport
import Testing

/// `peering-probe probe` end to end: the built executable against loopback servers.
@Suite("probe command", .serialized)
struct ProbeCommandTests {
    private func json(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test("--out - writes one NDJSON line per probe, seq from 1, one fresh batch id")
    func standardOutput() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let run = try CommandRunner().run([
            "probe", "--url", server.url("/", query: ["wait_ms": "5"]),
            "--url", server.url("/other"), "--count", "2", "--spacing", "10ms",
            "--out", "-",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.lines.count == 4)
        let samples = try run.lines.map(json)
        #expect(samples.map { $0["seq"] as? Int } == [1, 2, 3, 4])
        #expect(Set(samples.compactMap { $0["batch"] as? String }).count == 1)
        #expect(samples.allSatisfy { $0["ok"] as? Bool == true })
        #expect(samples.allSatisfy { $0["target"] as? String == "127.0.0.1" })
        #expect(samples.allSatisfy { $0["schema"] as? Int == 1 && $0["round"] as? Int == 1 })
        #expect(samples.compactMap { $0["n"] as? Int }.sorted() == [0, 0, 1, 1])
        #expect(Set(samples.compactMap { $0["url"] as? String }) == [server.url("/"), server.url("/other")])
    }

    @Test("--out DIR writes a batch file named by its id; seq and round continue across runs")
    func batchFolder() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let config = folder + "/config.yaml"
        try "agent: edge-test\nsite: lab\nregion: westeurope\ntargets:\n  - name: local\n    url: \(server.url())\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        let runner = try CommandRunner()
        for _ in 0..<2 {
            let run = try runner.run([
                "probe", "--config", config, "--count", "2", "--spacing", "0ms",
                "--out", folder + "/out",
            ])
            #expect(run.status == 0, "\(run.standardError)")
        }
        let agentFolder = folder + "/out/edge-test"
        let days = try FileManager.default.contentsOfDirectory(atPath: agentFolder).filter { $0.hasPrefix("20") }
        #expect(days.count == 1)
        let dayFolder = agentFolder + "/" + days[0]
        let files = try FileManager.default.contentsOfDirectory(atPath: dayFolder).sorted()
        #expect(files.count == 2, "\(files)")
        #expect(files.allSatisfy { $0.hasSuffix(".ndjson") && !$0.hasPrefix(".") })
        var seqs: [Int] = []
        var rounds: Set<Int> = []
        for file in files {
            let text = try String(contentsOfFile: dayFolder + "/" + file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let sample = try json(String(line))
                seqs.append(sample["seq"] as? Int ?? -1)
                rounds.insert(sample["round"] as? Int ?? -1)
                #expect(file == (sample["batch"] as? String ?? "") + ".ndjson")
                #expect(sample["agent"] as? String == "edge-test")
                #expect(sample["site"] as? String == "lab")
                #expect(sample["region"] as? String == "westeurope")
                #expect(sample["target"] as? String == "local")
            }
        }
        #expect(seqs.sorted() == [1, 2, 3, 4])
        #expect(rounds == [1, 2])
        #expect(files.contains { $0.hasPrefix("edge-test-") && $0.hasSuffix("Z-1.ndjson") })
        #expect(files.contains { $0.hasSuffix("Z-3.ndjson") })
    }

    @Test("A crashed writer's temporary batch is recovered on the next start; its torn last line is dropped")
    func recoversTemporaryBatch() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let day = folder + "/out/crash/2026-01-01"
        try FileManager.default.createDirectory(atPath: day, withIntermediateDirectories: true)
        try "{\"schema\":1,\"seq\":1}\n{\"schema\":1,\"seq\":2}\n{\"schema\":1,\"se"
            .write(toFile: day + "/.crash-20260101T000000Z-1.ndjson.tmp", atomically: false, encoding: .utf8)
        let config = folder + "/config.yaml"
        try "agent: crash\ntargets:\n  - url: \(server.url())\n".write(
            toFile: config, atomically: true, encoding: .utf8)
        let run = try CommandRunner().run(["probe", "--config", config, "--count", "1", "--out", folder + "/out"])
        #expect(run.status == 0, "\(run.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: day)
        #expect(files == ["crash-20260101T000000Z-1.ndjson"])
        let recovered = try String(contentsOfFile: day + "/crash-20260101T000000Z-1.ndjson", encoding: .utf8)
        #expect(recovered == "{\"schema\":1,\"seq\":1}\n{\"schema\":1,\"seq\":2}\n")
    }

    @Test("--strict exits 1 when a sample is not ok; without it, failures are data and the exit is 0")
    func strict() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let url = server.url("/", query: ["status": "503"])
        let runner = try CommandRunner()
        let lenient = try runner.run(["probe", "--url", url, "--count", "1", "--out", "-"])
        #expect(lenient.status == 0)
        #expect(try json(try #require(lenient.lines.first))["ok"] as? Bool == false)
        let strict = try runner.run(["probe", "--url", url, "--count", "1", "--out", "-", "--strict"])
        #expect(strict.status == 1)
        #expect(strict.lines.count == 1, "the sample is still written")
    }

    @Test("The default config's targets, pinned to a loopback HTTPS server, all answer with verification on")
    func defaultConfigPinnedToLoopback() throws {
        let hosts = [
            "login.microsoftonline.com", "outlook.office365.com", "teams.microsoft.com", "graph.microsoft.com",
            "management.azure.com", "azure.microsoft.com", "s3westeurope.blob.core.windows.net",
            "s3eastus.blob.core.windows.net",
        ]
        let certificates = try TestCertificates.make(hosts: hosts)
        defer { certificates.remove() }
        // Port 443 on an address of its own in 127.0.0.0/8, so the default URLs need no change.
        let server = try LoopbackServer.start(.init(bindAddress: "127.0.0.44", port: 443, tls: certificates))
        defer { server.stop() }
        let pins = hosts.flatMap { ["--resolve", "\($0):443:127.0.0.44"] }
        let run = try CommandRunner().run(
            ["probe", "--out", "-", "--count", "1", "--cacert", certificates.caFile]
                + pins)
        #expect(run.status == 0, "\(run.standardError)")
        let samples = try run.lines.map(json)
        #expect(samples.count == 8)
        #expect(samples.allSatisfy { $0["remote_ip"] as? String == "127.0.0.44" })
        #expect(samples.allSatisfy { $0["ok"] as? Bool == true }, "\(samples.map { $0["error"] ?? "" })")
        #expect(Set(samples.compactMap { $0["target"] as? String }).count == 8)
        #expect(try server.requests().count == 8)
    }

    @Test("On a terminal, probe prints a summary table and where the batch went")
    func terminalTable() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runner = try CommandRunner()
        // `script` gives the command a pseudo-terminal as its standard output.
        let command = "\(runner.executable) probe --url \(server.url()) --count 2 --spacing 0ms --out \(folder)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qec", command, "/dev/null"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(text.contains("target"))
        #expect(text.contains("2/2"))
        #expect(text.contains("wrote 2 samples to \(folder)"))
    }
}
