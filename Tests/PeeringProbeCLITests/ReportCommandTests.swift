import Foundation
import ProbeReport
import TestSupport
import Testing

/// `peering-probe report` as a user runs it: exit codes, messages, formats chosen from the output name.
@Suite("report command")
struct ReportCommandTests {
    /// A folder with one good batch (a Peering Service path clearly faster than an internet path).
    private static func folderWithBatch() throws -> String {
        let folder = try CommandRunner.temporaryFolder()
        let data = Data(SampleSynthesizer.twoPaths(rounds: 120, count: 3, seed: 21).ndjson())
        try FileManager.default.createDirectory(atPath: folder + "/data/agent-1", withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: folder + "/data/agent-1/batch.ndjson"))
        return folder
    }

    private static let usageCases: [(arguments: [String], message: String)] = [
        (["report"], "give NDJSON files, folders of batches, or -"),
        (["report", "/nonexistent/batch.ndjson"], "cannot read /nonexistent/batch.ndjson"),
        (
            ["report", "--by", "colour", "x.ndjson"],
            "'colour' is invalid for '--by <dimensions>'. Please provide one of"
        ),
        (["report", "--by", "site,colour", "x.ndjson"], "'site,colour' is invalid for '--by <dimensions>'"),
        (["report", "--since", "yesterday", "x.ndjson"], "--since yesterday: expected RFC 3339"),
        (
            ["report", "--metric", "speed", "x.ndjson"],
            "'speed' is invalid for '--metric <metric>'. Please provide one of"
        ),
        (["report", "--min-effect", "big", "x.ndjson"], "'big' is invalid for '--min-effect <effect>'"),
        (["report", "--format", "pdf", "x.ndjson"], "'pdf' is invalid for '--format <format>'. Please provide one of"),
        (["report", "--memory-limit", "512KiB", "x.ndjson"], "--memory-limit must be at least 1MiB"),
    ]

    @Test("bad usage and unreadable input exit 2 with a message", arguments: usageCases.indices)
    func badUsage(index: Int) throws {
        let (arguments, message) = Self.usageCases[index]
        let run = try CommandRunner().run(arguments)
        #expect(run.status == 2, "\(arguments): \(run.standardError)")
        #expect(run.standardError.contains(message), "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
    }

    @Test("a folder without batch files, and filters that leave nothing, exit 2 saying so")
    func nothingToReport() throws {
        let folder = try Self.folderWithBatch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/empty", withIntermediateDirectories: true)
        let empty = try CommandRunner().run(["report", folder + "/empty"])
        #expect(empty.status == 2)
        #expect(empty.standardError.contains("no batch files"), "\(empty.standardError)")
        try "garbage\n".write(toFile: folder + "/bad.ndjson", atomically: true, encoding: .utf8)
        let bad = try CommandRunner().run(["report", folder + "/bad.ndjson"])
        #expect(bad.status == 2)
        #expect(
            bad.standardError.contains("no usable samples: 1 line skipped, the first at \(folder)/bad.ndjson:1"),
            "\(bad.standardError)")
        let filtered = try CommandRunner().run(["report", "--site", "nowhere", folder + "/data"])
        #expect(filtered.status == 2)
        #expect(filtered.standardError.contains("no samples left after the filters"), "\(filtered.standardError)")
    }

    @Test("skipped lines are reported on stderr with exit 0; --strict makes them exit 2")
    func strict() throws {
        let folder = try Self.folderWithBatch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/data/agent-1/batch.ndjson"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("garbage\n".utf8))
        try handle.close()
        let lenient = try CommandRunner().run(["report", folder + "/data"])
        #expect(lenient.status == 0, "\(lenient.standardError)")
        #expect(lenient.standardError.contains("1 line(s) skipped"), "\(lenient.standardError)")
        let strict = try CommandRunner().run(["report", "--strict", folder + "/data"])
        #expect(strict.status == 2)
        #expect(strict.standardError.contains("--strict"), "\(strict.standardError)")
    }

    @Test(
        "--output picks the format from its extension and writes the report that format renders",
        arguments: [
            ("report.html", ReportFormat.html), ("report.json", .json), ("report.csv", .csv), ("report.md", .markdown),
            ("report.txt", .table),
        ])
    func outputFormats(name: String, format: ReportFormat) throws {
        let folder = try Self.folderWithBatch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run(["report", folder + "/data", "--output", folder + "/" + name])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.isEmpty)
        let written = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
        // The same input through the library: the command only picks the format and writes the text (a table
        // written to a file keeps to 100 columns).
        let report = try ReportBuilder().build(sources: InputSource.expand([folder + "/data"]))
        let expected = ReportRendering.render(report, as: format, width: 100)
        #expect(!report.comparisons.isEmpty && !report.groups.isEmpty)
        #expect(written == expected, "\(name): wrote \(written.utf8.count) bytes, expected \(expected.utf8.count)")
    }

    @Test("the verdict says Peering Service is faster when it is, in the JSON a script reads")
    func verdictInJSON() throws {
        let folder = try Self.folderWithBatch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run(["report", "--format", "json", folder + "/data"])
        #expect(run.status == 0, "\(run.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        let comparisons = json?["comparisons"] as? [[String: Any]] ?? []
        #expect(comparisons.count == 2, "one per target")
        for comparison in comparisons {
            #expect(comparison["verdict"] as? String == "peering-faster", "\(comparison)")
            #expect(comparison["paired"] as? Bool == true)
            let difference = comparison["median_diff_ms"] as? Double ?? 0
            #expect(difference < -5 && difference > -15, "about 9 ms faster: \(difference)")
        }
    }

    @Test("--memory-limit 1MiB reads the rows again instead of holding them, and says the same as the default")
    func memoryLimit() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 18,000 samples per path: past 1 MiB's shares, so rows spill, groups are counted and counts take slices.
        let path = folder + "/batch.ndjson"
        try Data(SampleSynthesizer.twoPaths(rounds: 3_000, count: 3, seed: 22).ndjson())
            .write(to: URL(fileURLWithPath: path))
        let roomy = try CommandRunner().run(["report", "--timings", "--format", "json", path])
        let tight = try CommandRunner().run(
            ["report", "--timings", "--format", "json", "--memory-limit", "1MiB", path])
        #expect(roomy.status == 0 && tight.status == 0, "\(tight.standardError)")
        // The limit took effect: rows went to the spill file only under it.
        #expect(roomy.standardError.contains("spilled_bytes=0"), "\(roomy.standardError)")
        #expect(!tight.standardError.contains("spilled_bytes=0"), "\(tight.standardError)")
        func parts(_ output: String) throws -> [NSObject] {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            return ["comparisons", "pops"].compactMap { json[$0] as? NSObject }
        }
        let expected = try parts(roomy.standardOutput)
        #expect(expected.count == 2)
        #expect(try parts(tight.standardOutput) == expected)
    }
}
