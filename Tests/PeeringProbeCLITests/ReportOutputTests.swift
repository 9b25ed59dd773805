import Foundation
import TestSupport
import Testing

/// `report` never reports success for output it could not write, and never leaves half a report behind.
@Suite("report output")
struct ReportOutputTests {
    private static func batch() throws -> (folder: String, file: String) {
        let folder = try CommandRunner.temporaryFolder()
        let file = folder + "/batch.ndjson"
        try Data(SampleSynthesizer.twoPaths(rounds: 20, count: 3, seed: 5).ndjson()).write(
            to: URL(fileURLWithPath: file))
        return (folder, file)
    }

    @Test("--output on a full device exits 3 naming it, for every format", arguments: ["table", "json", "html"])
    func fullOutputFile(format: String) throws {
        let (folder, file) = try Self.batch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run(["report", file, "--format", format, "--output", "/dev/full"])
        #expect(run.status == 3, "\(run.standardError)")
        #expect(run.standardError.contains("cannot write /dev/full: No space left on device"), "\(run.standardError)")
    }

    @Test("standard output on a full device exits 3")
    func fullStandardOutput() throws {
        let (folder, file) = try Self.batch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let runner = try CommandRunner()
        let run = try CommandRunner(path: "/bin/sh").run([
            "-c", "\"$0\" report \"$1\" > /dev/full", runner.executable, file,
        ])
        #expect(run.status == 3, "\(run.standardError)")
        #expect(run.standardError.contains("cannot write standard output"), "\(run.standardError)")
    }

    @Test("--output /dev/stdout writes through standard output; a file gets the same report")
    func throughStandardOutput() throws {
        let (folder, file) = try Self.batch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let piped = try CommandRunner().run(["report", file, "--format", "csv", "--output", "/dev/stdout"])
        #expect(piped.status == 0, "\(piped.standardError)")
        let saved = try CommandRunner().run(["report", file, "--output", folder + "/report.csv"])
        #expect(saved.status == 0, "\(saved.standardError)")
        #expect(saved.standardOutput.isEmpty)
        #expect(try String(contentsOfFile: folder + "/report.csv", encoding: .utf8) == piped.standardOutput)
        #expect(
            piped.standardOutput.hasPrefix("site,target,path_type,region,metric,"), "\(piped.standardOutput.prefix(80))"
        )
    }
}
