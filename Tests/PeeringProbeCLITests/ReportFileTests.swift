import Foundation
import TestSupport
import Testing

/// `report` over files that are not what they seem: its own output among its inputs, folders that loop,
/// FIFOs, a gzip bomb, a line of hundreds of megabytes, a gzip file cut short, and `--output -`.
@Suite("report files")
struct ReportFileTests {
    private static let samples = SampleSynthesizer.twoPaths(rounds: 10, count: 2, seed: 9)

    /// A fresh folder with `batch.ndjson` (the synthesized samples) in it.
    private static func folder() throws -> (folder: String, file: String) {
        let folder = try CommandRunner.temporaryFolder()
        let file = folder + "/batch.ndjson"
        try Data(samples.ndjson()).write(to: URL(fileURLWithPath: file))
        return (folder, file)
    }

    /// Runs a shell script with `$0` the executable, arguments after it.
    private static func shell(_ script: String, _ arguments: [String] = [], timeout: Double = 60) throws
        -> CommandRunner.Result
    {
        try CommandRunner(path: "/bin/sh").run(
            ["-c", script, try CommandRunner().executable] + arguments, timeout: timeout)
    }

    /// The `input` object of a JSON report.
    private static func input(_ run: CommandRunner.Result) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any]
        return try #require(object?["input"] as? [String: Any], "\(run.standardOutput.prefix(200))")
    }

    /// Runs `report` under a Python parent that prints the child's peak RSS (KiB) as the last line of
    /// standard error.
    private static func measured(_ arguments: [String], timeout: Double = 120) throws -> (
        run: CommandRunner.Result, peakKiB: Int
    ) {
        let script = """
            import resource, subprocess, sys
            status = subprocess.run(sys.argv[1:]).returncode
            print("peak", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
            sys.exit(status)
            """
        let run = try CommandRunner(path: "/usr/bin/env").run(
            ["python3", "-c", script, try CommandRunner().executable, "report"] + arguments, timeout: timeout)
        let last = run.standardError.split(separator: "\n").last { $0.hasPrefix("peak ") }
        let peak = try #require(last.flatMap { Int($0.dropFirst(5)) }, "\(run.standardError)")
        return (run, peak)
    }

    // MARK: - Output among the inputs

    @Test("--output naming an input is refused with exit 2, the input untouched", arguments: ["plain", "link", "gzip"])
    func outputIsAnInput(kind: String) throws {
        let (folder, file) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var input = file
        var output = file
        switch kind {
        case "link":
            output = folder + "/report.ndjson"
            try FileManager.default.createSymbolicLink(atPath: output, withDestinationPath: file)
        case "gzip":
            let zipped = try Self.shell("gzip -k \"$1\"", [file])
            #expect(zipped.status == 0, "\(zipped.standardError)")
            input = file + ".gz"
            output = input
        default: break
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let run = try CommandRunner().run(["report", input, "--output", output])
        #expect(run.status == 2, "\(run.standardError)")
        #expect(run.standardError.contains("refusing to write the report to \(output)"), "\(run.standardError)")
        #expect(run.standardError.contains("it is the input \(input)"), "\(run.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    @Test("--output naming a file found by walking a folder is refused")
    func outputInsideInputFolder() throws {
        let (folder, file) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try Data(contentsOf: URL(fileURLWithPath: file))
        let run = try CommandRunner().run(["report", folder, "--format", "json", "--output", file])
        #expect(run.status == 2, "\(run.standardError)")
        #expect(run.standardError.contains("it is the input \(file)"), "\(run.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
        // Standard input redirected from the output file is refused too.
        let piped = try Self.shell("\"$0\" report - --output \"$1\" < \"$1\"", [file])
        #expect(piped.status == 2, "\(piped.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == before)
    }

    @Test("--output - is standard output, and no file named - is made")
    func dashIsStandardOutput() throws {
        let (folder, file) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try CommandRunner().run(["report", file, "--format", "csv", "--output", "-"], in: folder)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.hasPrefix("site,target,path_type,"), "\(run.standardOutput.prefix(80))")
        #expect(!FileManager.default.fileExists(atPath: folder + "/-"))
    }

    // MARK: - Folders that loop, files reached twice, FIFOs

    @Test("a folder with symbolic links back to itself and to its files counts each file once")
    func linkLoops() throws {
        let (folder, file) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let single = try CommandRunner().run(["report", file, "--format", "json"])
        #expect(single.status == 0, "\(single.standardError)")
        let expected = try #require(Self.input(single)["parsed"] as? Int)
        let manager = FileManager.default
        try manager.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: folder + "/sub/up", withDestinationPath: "..")
        try manager.createSymbolicLink(atPath: folder + "/loop", withDestinationPath: ".")
        try manager.createSymbolicLink(atPath: folder + "/again.ndjson", withDestinationPath: "batch.ndjson")
        try manager.linkItem(atPath: file, toPath: folder + "/sub/hard.ndjson")
        let run = try CommandRunner().run(
            ["report", folder, folder + "/sub", file, "--format", "json"], timeout: 30)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try Self.input(run)["parsed"] as? Int == expected)
        #expect((try Self.input(run)["sources"] as? [String])?.count == 1)
    }

    @Test("a FIFO found in a folder is passed over; one named on the command line is read")
    func fifos() throws {
        let (folder, file) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(mkfifo(folder + "/waiting.ndjson", 0o600) == 0)
        let walked = try CommandRunner().run(["report", folder, "--format", "json"], timeout: 30)
        #expect(walked.status == 0, "\(walked.standardError)")
        #expect((try Self.input(walked)["sources"] as? [String]) == [file])
        let named = try Self.shell(
            "cat \"$2\" > \"$1\" & \"$0\" report \"$1\" --format json", [folder + "/waiting.ndjson", file],
            timeout: 30)
        #expect(named.status == 0, "\(named.standardError)")
        #expect((try Self.input(named)["sources"] as? [String]) == [folder + "/waiting.ndjson"])
        #expect((try Self.input(named)["parsed"] as? Int) == Self.samples.samples().count)
    }

    // MARK: - Lines without end

    @Test("a gzip bomb (256 MiB of zeros in one line) is one skipped line, read in bounded memory")
    func gzipBomb() throws {
        let (folder, file) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bomb = folder + "/bomb.ndjson.gz"
        let made = try Self.shell(
            """
            { cat "$1"; head -c 268435456 /dev/zero; printf '\\n'; cat "$1"; } | gzip -1 > "$2"
            """, [file, bomb], timeout: 120)
        #expect(made.status == 0, "\(made.standardError)")
        let (run, peak) = try Self.measured([bomb, "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(peak < 200 * 1024, "peak RSS \(peak) KiB")
        let input = try Self.input(run)
        #expect(input["skipped"] as? Int == 1)
        #expect(input["parsed"] as? Int == 2 * Self.samples.samples().count)
        let bad = try #require((input["bad_lines"] as? [[String: Any]])?.first, "\(input)")
        #expect(bad["reason"] as? String == "line longer than 1 MiB")
        #expect(bad["line"] as? Int == Self.samples.samples().count + 1)
    }

    @Test("a 200 MB line alone is skipped in bounded memory: no usable samples, exit 2")
    func hugeLine() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/huge.ndjson"
        let made = try Self.shell(
            "{ printf '{\"v\":1,\"agent\":\"'; head -c 200000000 /dev/zero | tr '\\0' a; printf '\"}\\n'; } > \"$1\"",
            [file], timeout: 120)
        #expect(made.status == 0, "\(made.standardError)")
        let (run, peak) = try Self.measured([file])
        #expect(run.status == 2, "\(run.standardError)")
        #expect(run.standardError.contains("1 line skipped"), "\(run.standardError)")
        #expect(run.standardError.contains("line longer than 1 MiB"), "\(run.standardError)")
        #expect(peak < 200 * 1024, "peak RSS \(peak) KiB")
    }

    @Test("lines a little over and under 1 MiB: the longer is skipped wherever it falls in a block")
    func lineCapBoundary() throws {
        let (folder, file) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sample = Self.samples.ndjson()
        let firstLine = Array(sample.prefix { $0 != 0x0A })
        // A valid sample padded with spaces to just 1 MiB, and one a byte longer.
        var exact = firstLine
        exact.insert(contentsOf: Array(repeating: 0x20, count: (1 << 20) - firstLine.count), at: 1)
        var over = exact
        over.insert(0x20, at: 1)
        var data: [UInt8] = []
        for _ in 0..<6 { data += exact + [0x0A] + over + [0x0A] + sample }
        try Data(data).write(to: URL(fileURLWithPath: file))
        let run = try CommandRunner().run(["report", file, "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        let input = try Self.input(run)
        #expect(input["skipped"] as? Int == 6)
        #expect(input["parsed"] as? Int == 6 * (1 + Self.samples.samples().count))
    }

    // MARK: - A gzip file cut short

    @Test("a gzip file cut in half is reported as a truncated compressed stream, naming the file")
    func truncatedGzip() throws {
        let (folder, file) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let zipped = try Self.shell("gzip \"$1\"", [file])
        #expect(zipped.status == 0, "\(zipped.standardError)")
        let whole = try Data(contentsOf: URL(fileURLWithPath: file + ".gz"))
        let cut = folder + "/cut.ndjson.gz"
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        let run = try CommandRunner().run(["report", cut, "--format", "json"])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(
            run.standardError.contains("warning: \(cut): the gzip stream is truncated"), "\(run.standardError)")
        let input = try Self.input(run)
        #expect(input["torn"] as? Int == 1)
        let bad = try #require((input["bad_lines"] as? [[String: Any]])?.first, "\(input)")
        #expect((bad["reason"] as? String)?.hasPrefix("the gzip stream is truncated") == true, "\(bad)")
        // Cut on a line boundary: no torn line, the cut is still counted.
        let plain = Self.samples.ndjson()
        let lines = plain.split(separator: 0x0A, omittingEmptySubsequences: false)
        let head = Array(lines.prefix(5).joined(separator: [0x0A])) + [0x0A]
        try Data(head).write(to: URL(fileURLWithPath: folder + "/head.ndjson"))
        let flushed = try Self.shell(
            "python3 -c 'import sys, zlib; d = open(sys.argv[1], \"rb\").read(); "
                + "c = zlib.compressobj(6, zlib.DEFLATED, 31); "
                + "sys.stdout.buffer.write(c.compress(d) + c.flush(zlib.Z_SYNC_FLUSH))' \"$1\" > \"$2\"",
            [folder + "/head.ndjson", folder + "/flushed.ndjson.gz"])
        #expect(flushed.status == 0, "\(flushed.standardError)")
        let boundary = try CommandRunner().run(["report", folder + "/flushed.ndjson.gz", "--format", "json"])
        #expect(boundary.status == 0, "\(boundary.standardError)")
        #expect(boundary.standardError.contains("the gzip stream is truncated"), "\(boundary.standardError)")
        #expect(try Self.input(boundary)["torn"] as? Int == 1)
        #expect(try Self.input(boundary)["parsed"] as? Int == 5)
    }
}
