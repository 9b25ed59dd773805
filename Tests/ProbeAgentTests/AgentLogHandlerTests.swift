import Foundation
import Logging
import ProbeAgent
import ProbeCore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The agent's log lines: exact text and JSON, escaping, level filtering, whole lines from many threads.
@Suite("agent log handler")
struct AgentLogHandlerTests {
    /// 2026-12-01T02:57:58.123456Z, in microseconds since the epoch.
    static let fixedTime = Timestamp.parseRFC3339("2026-12-01T02:57:58.123456Z")!

    /// Logs through a real pipe with `body`, returns what the pipe carried.
    private func capture(
        _ format: LogFormat, level: Logger.Level = .debug, _ body: (Logger) -> Void
    ) throws -> String {
        let pipe = try PipeCapture()
        let output = LogOutput(fileDescriptor: pipe.writeDescriptor)
        let logger = Logger(label: "test") { _ in
            AgentLogHandler(format: format, level: level, output: output, clock: { Self.fixedTime })
        }
        body(logger)
        return pipe.finish()
    }

    @Test("a text line: time in UTC with milliseconds, level, message, metadata sorted by key")
    func textLine() throws {
        let text = try capture(.text) { logger in
            logger.info(
                "round overran", metadata: ["target": "entra-id", "late_ms": .stringConvertible(120)])
            logger.debug("batch finished")
        }
        #expect(
            text == """
                2026-12-01T02:57:58.123Z info round overran late_ms=120 target=entra-id
                2026-12-01T02:57:58.123Z debug batch finished

                """)
    }

    @Test("the README's example lines are what the handler writes")
    func readmeExamples() throws {
        let readme = try String(
            contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        for format in LogFormat.allCases {
            let line = try capture(format) { logger in
                logger.warning(
                    "round overran", metadata: ["target": "entra-id", "late_ms": .stringConvertible(120)])
            }
            #expect(readme.contains("\n" + line), "\(format): \(line)")
        }
    }

    @Test("text quotes and escapes values with spaces, quotes, = and control characters; the message stays on one line")
    func textEscaping() throws {
        let text = try capture(.text) { logger in
            logger.warning(
                "disk failing\nretrying\u{2028}",
                metadata: [
                    "error": "No space left on device",
                    "quote": "say \"hi\"",
                    "backslash": #"C:\temp"#,
                    "spaced back": #"a\ b"#,
                    "empty": "",
                    "equals": "a=b",
                    "control": "tab\there\u{1B}[0m",
                    "unicode": "Zürich",
                    "request": ["path": "/metrics", "peer": ["port": .stringConvertible(9_464)]],
                    "paths": ["default", "isp b"],
                    "ok": .stringConvertible(true),
                    "ratio": .stringConvertible(0.25),
                ])
        }
        let expected =
            #"2026-12-01T02:57:58.123Z warning disk failing\nretrying\u2028 backslash=C:\temp "#
            + #"control="tab\there\u001B[0m" "#
            + #"empty="" equals="a=b" error="No space left on device" ok=true paths="[default,isp b]" "#
            + #"quote="say \"hi\"" ratio=0.25 request.path=/metrics request.peer.port=9464 spaced_back="a\\ b" "#
            + #"unicode=Zürich"# + "\n"
        #expect(text == expected)
    }

    @Test("a JSON line: ts, level, message, then every metadata field as a flat key")
    func jsonLine() throws {
        let text = try capture(.json) { logger in
            logger.info(
                "round overran", metadata: ["target": "entra-id", "late_ms": .stringConvertible(120)])
        }
        #expect(
            text == #"{"ts":"2026-12-01T02:57:58.123Z","level":"info","message":"round overran","late_ms":120,"#
                + #""target":"entra-id"}"# + "\n")
    }

    @Test("JSON lines parse with Python's strict parser, control characters, quotes and nesting included")
    func jsonParses() throws {
        var everyControl = ""
        for value in 0..<0x20 { everyControl.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        let text = try capture(.json) { logger in
            logger.error(
                "quote \" backslash \\ newline \n end",
                metadata: [
                    "controls": "\(everyControl)\u{7F}",
                    "unicode": "Zürich 😀 \u{2028} \u{85}",
                    "request": ["path": "/metrics", "peer": ["port": .stringConvertible(9_464)]],
                    "paths": ["default", "isp \"b\""],
                    "ok": .stringConvertible(false),
                    "level": "clashes with the fixed key",
                    "": "empty key",
                ])
            logger.critical("plain")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines.last == "", "one line per event, newline-terminated")
        let script = """
            import json, sys
            for line in sys.stdin.read().split("\\n")[:-1]:
                print(json.dumps(json.loads(line), sort_keys=True, ensure_ascii=True, separators=(",", ":")))
            """
        let parsed = try runPython(script, input: text)
        let controls = (0..<0x20).map { String(format: "\\u%04x", $0) }.joined()
            .replacingOccurrences(of: "\\u0008", with: "\\b").replacingOccurrences(of: "\\u0009", with: "\\t")
            .replacingOccurrences(of: "\\u000a", with: "\\n").replacingOccurrences(of: "\\u000c", with: "\\f")
            .replacingOccurrences(of: "\\u000d", with: "\\r")
        #expect(
            parsed == #"{"":"empty key","_level":"clashes with the fixed key","controls":""# + controls
                + #"\u007f","level":"error","message":"quote \" backslash \\ newline \n end","ok":false,"#
                + #""paths":["default","isp \"b\""],"request.path":"/metrics","request.peer.port":9464,"#
                + #""ts":"2026-12-01T02:57:58.123Z","unicode":"Z\u00fcrich \ud83d\ude00 \u2028 \u0085"}"# + "\n"
                + #"{"level":"critical","message":"plain","ts":"2026-12-01T02:57:58.123Z"}"# + "\n")
    }

    @Test("the level filter drops lower levels; swift-log's notice and critical keep their own names")
    func levelFilter() throws {
        func levels(at level: Logger.Level) throws -> [String] {
            let text = try capture(.text, level: level) { logger in
                logger.trace("t")
                logger.debug("d")
                logger.info("i")
                logger.notice("n")
                logger.warning("w")
                logger.error("e")
                logger.critical("c")
            }
            return text.split(separator: "\n").map { String($0.split(separator: " ")[1]) }
        }
        #expect(try levels(at: .debug) == ["debug", "info", "notice", "warning", "error", "critical"])
        #expect(try levels(at: .info) == ["info", "notice", "warning", "error", "critical"])
        #expect(try levels(at: .warning) == ["warning", "error", "critical"])
        #expect(try levels(at: .error) == ["error", "critical"])
    }

    @Test("handler, provider and event metadata merge, later ones winning; an event's error is a field")
    func metadataMerge() throws {
        struct DiskFull: Error, CustomStringConvertible {
            var description: String { "disk full" }
        }
        let pipe = try PipeCapture()
        let output = LogOutput(fileDescriptor: pipe.writeDescriptor)
        let provider = Logger.MetadataProvider { ["agent": "ams-01", "round": "7"] }
        var logger = Logger(label: "test") { _ in
            AgentLogHandler(
                format: .text, level: .info, output: output, metadataProvider: provider, clock: { Self.fixedTime })
        }
        logger[metadataKey: "agent"] = "overridden"
        logger[metadataKey: "component"] = "spool"
        logger.info("written", metadata: ["round": "8"])
        logger.error("write failed", error: DiskFull())
        #expect(
            pipe.finish() == """
                2026-12-01T02:57:58.123Z info written agent=ams-01 component=spool round=8
                2026-12-01T02:57:58.123Z error write failed agent=ams-01 component=spool error="disk full" round=7

                """)
    }

    @Test("on the journal stream each line starts with its syslog priority, which journald keeps")
    func priorityPrefixes() throws {
        for format in LogFormat.allCases {
            let pipe = try PipeCapture()
            let output = LogOutput(fileDescriptor: pipe.writeDescriptor, priorityPrefixes: true)
            let logger = Logger(label: "test") { _ in
                AgentLogHandler(format: format, level: .debug, output: output, clock: { Self.fixedTime })
            }
            logger.debug("d")
            logger.info("i")
            logger.notice("n")
            logger.warning("w")
            logger.error("e")
            logger.critical("c")
            let lines = pipe.finish().split(separator: "\n")
            let prefixes = lines.map { $0.prefix { $0 != ">" } + ">" }
            let time = "2026-12-01T02:57:58.123Z"
            #expect(
                lines.last
                    == (format == .text
                        ? "<2>\(time) critical c" : #"<2>{"ts":"\#(time)","level":"critical","message":"c"}"#))
            #expect(prefixes == ["<7>", "<6>", "<5>", "<4>", "<3>", "<2>"], "\(format)")
        }
    }

    @Test("the journal stream is recognised by JOURNAL_STREAM's device and inode")
    func journalStream() throws {
        let folder = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let descriptor = open(folder + "/stream", O_CREAT | O_WRONLY, 0o600)
        defer { close(descriptor) }
        var status = stat()
        #expect(fstat(descriptor, &status) == 0)
        let device = UInt64(status.st_dev)
        let inode = UInt64(status.st_ino)
        #expect(LogOutput.isJournalStream(fileDescriptor: descriptor, journalStream: "\(device):\(inode)"))
        #expect(!LogOutput.isJournalStream(fileDescriptor: descriptor, journalStream: "\(device):\(inode + 1)"))
        #expect(!LogOutput.isJournalStream(fileDescriptor: descriptor, journalStream: "\(device + 1):\(inode)"))
        #expect(!LogOutput.isJournalStream(fileDescriptor: descriptor, journalStream: nil))
        #expect(!LogOutput.isJournalStream(fileDescriptor: descriptor, journalStream: "\(device)"))
        #expect(!LogOutput.isJournalStream(fileDescriptor: -1, journalStream: "\(device):\(inode)"))
    }

    @Test("copies of a logger keep their own level and metadata (value semantics)")
    func valueSemantics() {
        var first = Logger(label: "first") { _ in
            AgentLogHandler(format: .text, level: .info, output: LogOutput(fileDescriptor: -1))
        }
        first.logLevel = .debug
        first[metadataKey: "only-on"] = "first"
        var second = first
        second.logLevel = .error
        second[metadataKey: "only-on"] = "second"
        #expect(first.logLevel == .debug)
        #expect(second.logLevel == .error)
        #expect(first[metadataKey: "only-on"] == "first")
        #expect(second[metadataKey: "only-on"] == "second")
    }

    @Test("many threads logging at once through the factory's handlers produce whole lines only")
    func concurrentWholeLines() throws {
        // A slow reader keeps the pipe full, so writers block in the middle of their lines.
        let pipe = try PipeCapture(readSize: 512)
        let factory = AgentLogHandler.factory(format: .json, level: .info, fileDescriptor: pipe.writeDescriptor)
        let threads = 8
        let perThread = 400
        // Longer than PIPE_BUF (4096 bytes) for some lines, so the kernel alone would not keep them whole.
        let padding = String(repeating: "x", count: 6_000)
        // Real threads, more than the cores, all released at once.
        let start = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        for thread in 0..<threads {
            finished.enter()
            Thread {
                let logger = Logger(label: "thread-\(thread)", factory: factory)
                start.wait()
                for index in 0..<perThread {
                    logger.info(
                        "event",
                        metadata: [
                            "thread": .stringConvertible(thread), "index": .stringConvertible(index),
                            "pad": .string(index % 3 == 0 ? padding : "short"),
                        ])
                }
                finished.leave()
            }.start()
        }
        for _ in 0..<threads { start.signal() }
        finished.wait()
        let text = pipe.finish()
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n")
        #expect(lines.count == threads * perThread)
        var seen = Set<String>()
        var torn: [Substring] = []
        for line in lines {
            // Every line is exactly one of the lines a thread wrote: fixed prefix, one record, nothing spliced in.
            let match = line.wholeMatch(
                of:
                    #/
                    \{"ts":"[0-9T:.\-]{23}Z","level":"info","message":"event",
                    "index":(\d+),"pad":"(x{6000}|short)","thread":(\d+)\}
                    /#)
            guard let match else {
                torn.append(line)
                continue
            }
            let index = Int(match.1)!
            #expect((index % 3 == 0) == (match.2 == padding))
            seen.insert("\(match.3)/\(index)")
        }
        #expect(torn.isEmpty, "\(torn.count) torn or interleaved lines, such as \(torn.first?.prefix(200) ?? "")")
        #expect(seen.count == threads * perThread)
    }

    /// Runs `script` with `python3`, feeding `input`; returns standard output.
    private func runPython(_ script: String, input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        try stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 rejected a line")
        return String(decoding: data, as: UTF8.self)
    }
}
