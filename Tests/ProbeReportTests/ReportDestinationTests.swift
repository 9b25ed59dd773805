import Foundation
import ProbeReport
import Testing

/// A report file replaces the old one atomically; devices, FIFOs and links are written through, never replaced;
/// every write error is thrown.
@Suite("report destination")
struct ReportDestinationTests {
    private static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "report-destination-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private static func inode(_ path: String) -> UInt64 {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    @Test("a new file is created, an old one replaced by rename, keeping its permissions; no temporary is left")
    func regularFile() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/report.json"
        try ReportDestination.file(path).write("first\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "first\n")
        chmod(path, 0o600)
        let before = Self.inode(path)
        try ReportDestination.file(path).write("second\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(Self.inode(path) != before, "replaced by a rename, not rewritten in place")
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["report.json"])
    }

    @Test("a symbolic link stays a link and its target gets the report")
    func symbolicLink() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "old".write(toFile: folder + "/target.md", atomically: true, encoding: .utf8)
        symlink(folder + "/target.md", folder + "/link.md")
        try ReportDestination.file(folder + "/link.md").write("# new\n")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link.md") == folder + "/target.md")
        #expect(try String(contentsOfFile: folder + "/target.md", encoding: .utf8) == "# new\n")
    }

    @Test("a FIFO is written through and stays a FIFO; /dev/null stays a device")
    func specialFiles() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = try withReader(fifo) { try ReportDestination.file(fifo).write("through the pipe\n") }
        #expect(received == "through the pipe\n")
        var info = stat()
        lstat(fifo, &info)
        #expect(info.st_mode & S_IFMT == S_IFIFO)
        try ReportDestination.file("/dev/null").write("nothing\n")
        lstat("/dev/null", &info)
        #expect(info.st_mode & S_IFMT == S_IFCHR)
    }

    /// Runs `write` while another thread reads the FIFO at `path` to the end; returns what it read.
    private func withReader(_ path: String, _ write: () throws -> Void) throws -> String {
        let done = DispatchSemaphore(value: 0)
        let box = Box()
        Thread {
            let data = FileHandle(forReadingAtPath: path)?.readDataToEndOfFile() ?? Data()
            box.text = String(decoding: data, as: UTF8.self)
            done.signal()
        }.start()
        try write()
        done.wait()
        return box.text
    }

    private final class Box: @unchecked Sendable {
        var text = ""
    }

    @Test("a device that refuses the write is an environment fault naming it")
    func fullDevice() throws {
        #expect {
            try ReportDestination.file("/dev/full").write("lost\n")
        } throws: { error in
            let report = error as? ReportError
            return report?.isEnvironmentFault == true
                && report?.description == "cannot write /dev/full: No space left on device"
        }
    }

    @Test(
        "a full disk leaves the old report as it was and no temporary file",
        .enabled(if: getuid() == 0, "needs root to mount a small tmpfs"))
    func fullDisk() throws {
        let folder = try Self.folder()
        defer {
            _ = Self.run("/bin/umount", [folder])
            try? FileManager.default.removeItem(atPath: folder)
        }
        try #require(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", folder]) == 0)
        let path = folder + "/report.html"
        try ReportDestination.file(path).write("<p>old</p>\n")
        let large = String(repeating: "x", count: 1 << 20)
        #expect {
            try ReportDestination.file(path).write(large)
        } throws: { error in
            (error as? ReportError)?.isEnvironmentFault == true
                && "\(error)".contains("No space left on device") && "\(error)".contains(path)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "<p>old</p>\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["report.html"])
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("the file name's extension chooses the format")
    func formatFromFileName() {
        #expect(ReportFormat(fileName: "out/Report.HTML") == .html)
        #expect(ReportFormat(fileName: "r.htm") == .html)
        #expect(ReportFormat(fileName: "r.json") == .json)
        #expect(ReportFormat(fileName: "r.csv") == .csv)
        #expect(ReportFormat(fileName: "r.md") == .markdown)
        #expect(ReportFormat(fileName: "r.markdown") == .markdown)
        #expect(ReportFormat(fileName: "r.txt") == nil)
        #expect(ReportFormat(fileName: "json") == nil)
    }
}
