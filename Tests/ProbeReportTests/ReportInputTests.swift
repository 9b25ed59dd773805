import Foundation
import ProbeCore
import TestSupport
import Testing

@testable import ProbeReport

/// What `report` reads: files, folders, gzip, standard input; bad and torn lines counted and quoted; filters.
@Suite("Report input")
struct ReportInputTests {
    private static func lines(_ synthesizer: SampleSynthesizer) -> [String] {
        String(decoding: synthesizer.ndjson(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    private static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private static func gzip(_ path: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-f", path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test("folders are read recursively: .ndjson, .jsonl and .gz files; hidden and temporary files are not")
    func foldersAndGzip() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let all = Self.lines(.twoPaths(rounds: 30, count: 2, seed: 4))
        try FileManager.default.createDirectory(atPath: folder + "/agent/2026-11-28", withIntermediateDirectories: true)
        try Self.write(all[0..<40].joined(separator: "\n") + "\n", to: folder + "/agent/2026-11-28/a.ndjson")
        try Self.write(all[40..<100].joined(separator: "\n") + "\n", to: folder + "/agent/2026-11-28/b.ndjson")
        try Self.gzip(folder + "/agent/2026-11-28/b.ndjson")
        try Self.write(all[100...].joined(separator: "\n") + "\n", to: folder + "/agent/c.jsonl")
        try Self.write(all[0..<10].joined(separator: "\n") + "\n", to: folder + "/agent/2026-11-28/.x.ndjson.tmp")
        try Self.write("not a batch\n", to: folder + "/agent/notes.txt")
        let sources = try InputSource.expand([folder])
        #expect(
            sources.map(\.name) == [
                folder + "/agent/2026-11-28/a.ndjson", folder + "/agent/2026-11-28/b.ndjson.gz",
                folder + "/agent/c.jsonl",
            ])
        let report = try ReportBuilder().build(sources: sources)
        #expect(report.input.kept == all.count)
        #expect(report.input.skipped == 0)
        #expect(report.groups.reduce(0) { $0 + $1.samples } == all.count)
    }

    @Test("standard input (-) mixes with files, and plain and gzip files mix on the command line")
    func standardInput() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let all = Self.lines(.twoPaths(rounds: 20, count: 2, seed: 6))
        try Self.write(all[0..<50].joined(separator: "\n") + "\n", to: folder + "/one.ndjson")
        try Self.gzip(folder + "/one.ndjson")
        let piped = Data((all[50...].joined(separator: "\n") + "\n").utf8)
        let result = try CommandRunner().run(
            ["report", "--format", "json", folder + "/one.ndjson.gz", "-"],
            standardInput: piped)
        #expect(result.status == 0, "\(result.standardError)")
        let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        let input = json?["input"] as? [String: Any]
        #expect(input?["kept"] as? Int == all.count)
    }

    @Test("bad lines are skipped, counted and quoted with file and line; a torn last line is counted apart")
    func badLines() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var lines = Self.lines(.twoPaths(rounds: 10, count: 2, seed: 8))
        let good = lines.count
        lines.insert("this is not json", at: 3)
        lines.insert(lines[0].replacingOccurrences(of: #","seq":1,"#, with: ","), at: 10)
        lines.insert(replaceValue(of: "round", in: lines[1], with: #""one""#), at: 20)
        lines.insert(lines[0].replacingOccurrences(of: #"{"schema":1,"#, with: #"{"schema":2,"#), at: 30)
        lines.insert("", at: 40)
        let torn = String(lines[5].prefix(200))
        let path = folder + "/batch.ndjson"
        try Self.write(lines.joined(separator: "\n") + "\n" + torn, to: path)
        let report = try ReportBuilder().build(sources: [.file(path)])
        #expect(report.input.kept == good)
        #expect(report.input.skipped == 4)
        #expect(report.input.torn == 1)
        #expect(report.input.badLines.map(\.line) == [4, 11, 21, 31, lines.count + 1])
        #expect(report.input.badLines.allSatisfy { $0.source == path })
        #expect(report.input.badLines[0].reason.contains("not JSON"))
        #expect(report.input.badLines[1].reason == #"missing field "seq""#)
        #expect(report.input.badLines[2].reason == #"field "round": expected an integer"#)
        #expect(report.input.badLines[3].reason.contains("schema 2 is not supported"))
        #expect(report.input.badLines[4].torn)
        #expect(report.input.badLines[0].excerpt == "this is not json")
    }

    @Test("line numbers stay right across the 4 MiB blocks the threads share")
    func lineNumbersAcrossBlocks() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var lines = Self.lines(.twoPaths(rounds: 3_000, count: 2, seed: 9))
        #expect(lines.count * 800 > 3 * BlockFeeder.blockBytes)
        let badAt = [lines.count / 3, lines.count / 2, lines.count - 10]
        for index in badAt { lines[index] = "{broken" }
        let path = folder + "/big.ndjson"
        try Self.write(lines.joined(separator: "\n") + "\n", to: path)
        let report = try ReportBuilder(options: ReportOptions(threads: 2)).build(sources: [.file(path)])
        #expect(report.input.skipped == 3)
        #expect(report.input.badLines.map(\.line) == badAt.map { $0 + 1 })
        #expect(report.input.kept == lines.count - 3)
    }

    @Test(
        "a line ending right at a 4 MiB region boundary, or one byte either side, is read once", arguments: [-1, 0, 1])
    func regionBoundaries(shift: Int) throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lines = Self.lines(.twoPaths(rounds: 2_000, count: 3, seed: 14))
        // Pad the first line (an unknown field, which the reader ignores) so that the newline ending line
        // `k` falls at the region boundary plus `shift`.
        var lengths = 0
        var k = 0
        while lengths + lines[k].utf8.count + 1 < BlockFeeder.blockBytes - 2_000 {
            lengths += lines[k].utf8.count + 1
            k += 1
        }
        let padding = BlockFeeder.blockBytes - 1 + shift - (lengths + lines[k].utf8.count)
        var padded = lines
        padded[0] = padded[0].replacingOccurrences(
            of: #"{"schema":1,"#, with: #"{"pad":""# + String(repeating: "x", count: padding - 9) + #"","schema":1,"#)
        #expect(padded[0...k].reduce(0) { $0 + $1.utf8.count + 1 } - 1 == BlockFeeder.blockBytes - 1 + shift)
        let path = folder + "/edge.ndjson"
        try Self.write(padded.joined(separator: "\n") + "\n", to: path)
        let report = try ReportBuilder(options: ReportOptions(threads: 2)).build(sources: [.file(path)])
        #expect(report.input.kept == lines.count)
        #expect(report.input.lines == lines.count)
        #expect(report.input.skipped == 0)
    }

    @Test("filters keep what they name: time window, site, target, isp, path")
    func filters() throws {
        let synthesizer = SampleSynthesizer.twoPaths(rounds: 100, count: 2, seed: 12)
        let samples = synthesizer.samples()
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/batch.ndjson"
        try Data(synthesizer.ndjson()).write(to: URL(fileURLWithPath: path))
        let middle = samples[samples.count / 2].timestamp
        let cases: [(ReportFilter, (Sample) -> Bool)] = [
            (ReportFilter(since: middle), { $0.timestamp >= middle }),
            (ReportFilter(until: middle), { $0.timestamp < middle }),
            (ReportFilter(targets: ["graph"]), { $0.target == "graph" }),
            (ReportFilter(isps: ["Fabrikam Net"]), { $0.path.isp == "Fabrikam Net" }),
            (ReportFilter(sites: ["ams-office"], paths: ["isp-a"]), { $0.path.name == "isp-a" }),
            (ReportFilter(regions: ["westeurope", "uksouth"]), { $0.region == "westeurope" }),
        ]
        for (filter, keep) in cases {
            let report = try ReportBuilder(options: ReportOptions(filter: filter)).build(sources: [.file(path)])
            #expect(report.input.kept == samples.filter(keep).count, "\(filter.descriptions)")
            #expect(report.input.parsed == samples.count)
        }
        for nothing in [ReportFilter(sites: ["nowhere"]), ReportFilter(regions: ["uksouth"])] {
            let error = try #require(throws: ReportError.self) {
                try ReportBuilder(options: ReportOptions(filter: nothing)).build(sources: [.file(path)])
            }
            #expect(
                error.description
                    == "no samples left after the filters (\(samples.count) samples read); widen --since/--until or "
                    + "the filters")
            #expect(!error.isEnvironmentFault)
        }
    }

    @Test("relative and absolute times for --since and --until")
    func timeExpressions() {
        let now: Int64 = 1_795_000_000_000_000
        #expect(TimeExpression.parse("24h", now: now) == now - 86_400_000_000)
        #expect(TimeExpression.parse("30m", now: now) == now - 1_800_000_000)
        #expect(TimeExpression.parse("2w", now: now) == now - 1_209_600_000_000)
        #expect(
            TimeExpression.parse("2026-11-28T08:00:00Z", now: now) == Timestamp.parseRFC3339("2026-11-28T08:00:00Z"))
        #expect(TimeExpression.parse("2026-11-28", now: now) == Timestamp.parseRFC3339("2026-11-28T00:00:00Z"))
        #expect(TimeExpression.parse("yesterday", now: now) == nil)
        #expect(TimeExpression.parse("5y", now: now) == nil)
    }

    @Test("--min-effect takes ms, % or both")
    func minimumEffect() {
        #expect(MinimumEffect(text: "1ms,5%") == MinimumEffect(milliseconds: 1, percent: 5))
        #expect(MinimumEffect(text: "3ms") == MinimumEffect(milliseconds: 3, percent: 0))
        #expect(MinimumEffect(text: "10%") == MinimumEffect(milliseconds: 0, percent: 10))
        #expect(MinimumEffect(text: "fast") == nil)
        #expect(MinimumEffect(text: "1ms,2ms") == nil)
        #expect(MinimumEffect.default.threshold(baseline: 100) == 5)
        #expect(MinimumEffect.default.threshold(baseline: 10) == 1)
    }
}
