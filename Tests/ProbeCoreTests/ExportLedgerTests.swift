import Foundation
import TestSupport
import Testing

@testable import ProbeCore

/// The export ledger: what a sink accepted, its failures, set-aside batches and pause survive reopening, a torn
/// line and compaction; one shipper per sink at a time.
@Suite("Export ledger")
struct ExportLedgerTests {
    private static func folder() throws -> (root: String, folder: OutputFolder) {
        let root = try CommandRunner.temporaryFolder()
        return (root, try OutputFolder(root: root, agent: "a"))
    }

    @Test("shipped, failed, set aside, paused and resumed: recorded, and read back the same after reopening")
    func roundTrip() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let present: Set = ["b1", "b2", "b3", "b4"]
        var ledger = try ExportLedger.open(folder: folder, sink: "fleet", present: present)
        try ledger.recordShipped("b1")
        #expect(try ledger.recordFailure("b2", reason: "http 500") == 1)
        #expect(try ledger.recordFailure("b2", reason: "http 500") == 2)
        #expect(try ledger.recordFailure("b2", reason: "http 502") == 1, "another reason starts again")
        #expect(try ledger.recordFailure("b2", reason: "http 502") == 2)
        try ledger.recordFailure("b3", reason: "http 500")
        try ledger.recordSetAside("b3", reason: "http 500: Cannot parse input")
        try ledger.recordPause(fingerprint: "f1", answer: "401 Unauthorized")
        let expected = ledger.state
        #expect(expected.shipped == ["b1"])
        #expect(expected.failures == ["b2": .init(reason: "http 502", attempts: 2)])
        #expect(expected.setAside == ["b3": "http 500: Cannot parse input"])
        #expect(expected.pause == .init(fingerprint: "f1", answer: "401 Unauthorized"))
        #expect(try ExportLedger.state(folder: folder, sink: "fleet") == expected, "read without the lock")
        _ = consume ledger
        var reopened = try ExportLedger.open(folder: folder, sink: "fleet", present: present)
        #expect(reopened.state == expected)
        try reopened.recordResume()
        try reopened.recordShipped("b2")
        #expect(reopened.state.pause == nil && reopened.state.failures.isEmpty && reopened.state.shipped == ["b1", "b2"])
        try reopened.recordResend()
        #expect(reopened.state == ExportLedger.State())
        #expect(try ExportLedger.state(folder: folder, sink: "other") == ExportLedger.State(), "no ledger yet")
    }

    @Test("a torn last line (a crash mid-append) is ignored and the file rewritten; stale batches are dropped")
    func tornAndStale() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        do {
            var ledger = try ExportLedger.open(folder: folder, sink: "s", present: ["b1", "b2"])
            try ledger.recordShipped("b1")
            try ledger.recordShipped("b2")
        }
        let path = folder.agentFolder + "/.export/s.ledger"
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"shipped":"b3"#.utf8))
        handle.closeFile()
        #expect(try ExportLedger.state(folder: folder, sink: "s").shipped == ["b1", "b2"])
        // b1 is gone from the folder (retention deleted it): dropped, and the torn line with it.
        let ledger = try ExportLedger.open(folder: folder, sink: "s", present: ["b2", "b3"])
        #expect(ledger.state.shipped == ["b2"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == #"{"shipped":"b2"}"# + "\n")
    }

    @Test("a ledger much longer than its state is rewritten when opened")
    func compaction() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        do {
            var ledger = try ExportLedger.open(folder: folder, sink: "s", present: ["b1"])
            for _ in 0..<100 {
                try ledger.recordPause(fingerprint: "f", answer: "403")
                try ledger.recordResume()
            }
            try ledger.recordShipped("b1")
        }
        let path = folder.agentFolder + "/.export/s.ledger"
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 201)
        let ledger = try ExportLedger.open(folder: folder, sink: "s", present: ["b1"])
        #expect(ledger.state.shipped == ["b1"] && ledger.state.pause == nil)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == #"{"shipped":"b1"}"# + "\n")
    }

    @Test("one shipper per sink: a second open fails while the first holds the lock, other sinks are free")
    func oneShipperPerSink() throws {
        let (root, folder) = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var first: ExportLedger? = try ExportLedger.open(folder: folder, sink: "s", present: [])
        #expect(first != nil)
        #expect(throws: SpoolError.self) { try ExportLedger.open(folder: folder, sink: "s", present: []) }
        do {
            _ = try ExportLedger.open(folder: folder, sink: "s", present: [])
        } catch {
            #expect(error.reason == "another export is shipping to this sink")
        }
        _ = try ExportLedger.open(folder: folder, sink: "t", present: [])
        first = nil
        _ = try ExportLedger.open(folder: folder, sink: "s", present: [])
    }
}
