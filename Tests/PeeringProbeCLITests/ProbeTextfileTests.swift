import Foundation
import TestSupport
import Testing

/// `probe --textfile`: the run's Prometheus series for node_exporter's textfile collector.
@Suite("probe --textfile", .serialized)
struct ProbeTextfileTests {
    @Test("writes the run's series to the file, replacing it atomically on every run")
    func writesSeries() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let textfile = folder + "/collector/peering_probe.prom"
        try FileManager.default.createDirectory(atPath: folder + "/collector", withIntermediateDirectories: true)
        let runner = try CommandRunner()
        for _ in 0..<2 {
            let run = try runner.run([
                "probe", "--url", server.url("/"), "--url", "http://127.0.0.1:\(try freeLoopbackPortThatIsClosed())/",
                "--count", "3", "--spacing", "0ms", "--out", folder + "/out", "--textfile", textfile,
            ])
            #expect(run.status == 0, "\(run.standardError)")
            let text = try String(contentsOfFile: textfile, encoding: .utf8)
            let lines = Set(text.split(separator: "\n").map(String.init))
            // The path's type depends on what egress discovery makes of loopback: take it from the file.
            let type = try #require(
                text.firstMatch(of: /peering_probe_success\{target="127.0.0.1",path="default",path_type="([a-z-]+)"\}/)
            ).1
            let labels = #"target="127.0.0.1",path="default",path_type="\#(type)""#
            // Both URLs share the target name (their host): three answered, three refused.
            #expect(lines.contains(#"peering_probe_samples_total{\#(labels),result="ok"} 3"#), "\(text)")
            #expect(lines.contains(#"peering_probe_samples_total{\#(labels),result="failed"} 3"#), "\(text)")
            #expect(lines.contains(#"peering_probe_errors_total{target="127.0.0.1",path="default",kind="connect"} 3"#))
            #expect(lines.contains(#"peering_probe_rounds_total{target="127.0.0.1"} 1"#), "one round per run")
            #expect(lines.contains(#"peering_probe_duration_seconds_count{\#(labels)} 3"#))
            #expect(lines.contains(#"peering_probe_build_info{version="0.1.0"} 1.0"#))
            #expect(
                lines.contains { $0.hasPrefix(#"peering_probe_last_round_timestamp_seconds{target="127.0.0.1"} "#) })
            #expect(!text.contains("peering_probe_batches_finished_total"), "not an agent")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder + "/collector")
        #expect(left == ["peering_probe.prom"], "no temporary file is left behind")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool") {
            let lint = try CommandRunner(path: "/usr/bin/promtool").run(
                ["check", "metrics"], standardInput: try Data(contentsOf: URL(fileURLWithPath: textfile)))
            #expect(lint.status == 0, "\(lint.standardOutput)\(lint.standardError)")
        }
    }

    @Test("a textfile that cannot be written is an environment fault (exit 3); the batch is still written")
    func unwritable() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run([
            "probe", "--url", server.url("/"), "--count", "1", "--out", "-",
            "--textfile", folder + "/missing/peering_probe.prom",
        ])
        #expect(run.status == 3)
        #expect(run.standardError.contains("cannot write --textfile"), "\(run.standardError)")
        #expect(run.standardError.contains(folder + "/missing/"), "\(run.standardError)")
        #expect(run.lines.count == 1, "the sample went out before the textfile")
        let empty = try CommandRunner().run(["probe", "--url", server.url("/"), "--textfile", ""])
        #expect(empty.status == 2)
    }
}
