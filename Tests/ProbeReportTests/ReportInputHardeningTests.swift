import Foundation
import ProbeCore
import TestSupport
import Testing

@testable import ProbeReport

/// The report's reading and writing under hostile names and odd files: CSV cells a spreadsheet would run,
/// outputs that are inputs, files reached by several names.
@Suite("Report input hardening")
struct ReportInputHardeningTests {
    @Test("a CSV text cell starting with =, +, -, @, tab or CR gets a quote; other text and numbers do not")
    func csvText() {
        for text in ["=1+2", "+1", "-east", "@SUM(A1)", "\tx", "\rx"] {
            #expect(MachineText.csvText(text) == "'" + text)
        }
        for text in ["", "plain", "'quoted", " =spaced", "1-2", "ams"] {
            #expect(MachineText.csvText(text) == text)
        }
        #expect(MachineText.csvNumber(-1.5) == "-1.5")
    }

    @Test("CSV neutralises hostile site, region, target and ISP names; JSON keeps them raw; numbers stay")
    func csvInjection() throws {
        var synthesizer = SampleSynthesizer.twoPaths(rounds: 8, count: 2, seed: 3)
        synthesizer.site = "=HYPERLINK(\"http://x\",\"y\")"
        synthesizer.region = "-2+3"
        synthesizer.targets = ["@SUM(1)"]
        synthesizer.paths[0].tags.isp = "+cmd"
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/hostile.ndjson"
        try Data(synthesizer.ndjson()).write(to: URL(fileURLWithPath: file))
        let report = try ReportBuilder(options: ReportOptions(grouping: [.site, .target, .isp, .asn]))
            .build(sources: [.file(file)])
        let csv = CSVRenderer().render(report)
        let rows = csv.split(separator: "\r\n").map(String.init)
        let row = try #require(rows.first { $0.contains("+cmd") }, "\(csv)")
        #expect(row.hasPrefix("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'@SUM(1),'+cmd,64500,'-2+3,"), "\(row)")
        let json = JSONRenderer().render(report)
        #expect(json.contains("\"=HYPERLINK(\\\"http://x\\\",\\\"y\\\")\""), "\(json.prefix(400))")
        #expect(json.contains("\"+cmd\""))
        #expect(!json.contains("'+cmd"))
    }

    @Test("the same file through a link, a hard link and twice on the command line is one source")
    func filesOnce() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/a.ndjson"
        try Data(SampleSynthesizer.twoPaths(rounds: 3).ndjson()).write(to: URL(fileURLWithPath: file))
        try FileManager.default.createSymbolicLink(atPath: folder + "/b.ndjson", withDestinationPath: "a.ndjson")
        try FileManager.default.linkItem(atPath: file, toPath: folder + "/c.ndjson")
        #expect(try InputSource.expand([file, file, folder, folder + "/b.ndjson"]) == [.file(file)])
        #expect(try InputSource.expand([folder, folder]) == [.file(file)])
    }

    @Test("ReportDestination refuses an input, through a link and through standard input's file; - is stdout")
    func destinationAmongInputs() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/a.ndjson"
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: file)
        #expect(throws: ReportError.self) { try ReportDestination.file(file).refuseOverwriting([.file(file)]) }
        #expect(throws: ReportError.self) {
            try ReportDestination.file(folder + "/link").refuseOverwriting([.file(file)])
        }
        try ReportDestination.file(folder + "/new").refuseOverwriting([.file(file)])
        try ReportDestination.file("/dev/null").refuseOverwriting([.file("/dev/null")])
        #expect(ReportDestination(argument: "-") == .standardOutput)
        #expect(ReportDestination(argument: "./-") == .file("./-"))
    }
}
