import CurlKit
import Foundation
import TestSupport
import Testing

@testable import ProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// Retention deletes an agent's oldest finished batches by age and by total size, never a temporary (open)
/// batch nor anything that is not a batch, and removes the day folders it empties.
@Suite("Batch retention")
struct BatchRetentionTests {
    /// 2026-11-30T12:00:00Z, the "now" of these tests, in microseconds.
    private static let now: Int64 = 1_795_003_200_000_000
    private static let day: Int64 = 86_400_000_000

    /// A test folder for agent `a` and a function planting a batch of `bytes` bytes opened `daysAgo` days
    /// before ``now`` (first seq `seq`); returns its path.
    private struct Fixture {
        let root: String
        let folder: OutputFolder

        init() throws {
            root = try CommandRunner.temporaryFolder()
            folder = try OutputFolder(root: root, agent: "a")
        }

        @discardableResult
        func batch(daysAgo: Int64, bytes: Int, seq: Int64, gzip: Bool = false) throws -> String {
            let opened = BatchRetentionTests.now - daysAgo * BatchRetentionTests.day
            let day = BatchID.day(opened)
            let id = BatchID.make(agent: "a", microseconds: opened, firstSeq: seq)
            try FileManager.default.createDirectory(
                atPath: folder.agentFolder + "/" + day, withIntermediateDirectories: true)
            let path = folder.agentFolder + "/" + day + "/" + id + ".ndjson" + (gzip ? ".gz" : "")
            try Data(repeating: UInt8(ascii: "x"), count: bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test("By age: batches opened longer ago than retention go, oldest first; their emptied day folders too")
    func byAge() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let old1 = try fixture.batch(daysAgo: 10, bytes: 100, seq: 1)
        let old2 = try fixture.batch(daysAgo: 8, bytes: 200, seq: 2, gzip: true)
        let young = try fixture.batch(daysAgo: 1, bytes: 300, seq: 3)
        let outcome = BatchRetention(maxAge: .seconds(7 * 86_400)).apply(to: fixture.folder, now: Self.now)
        #expect(outcome.problems.isEmpty)
        #expect(
            outcome.deletions == [
                .init(path: old1, bytes: 100, reason: .age(limit: .seconds(7 * 86_400))),
                .init(path: old2, bytes: 200, reason: .age(limit: .seconds(7 * 86_400))),
            ])
        #expect(!fixture.exists(old1) && !fixture.exists(old2) && fixture.exists(young))
        let days = try FileManager.default.contentsOfDirectory(atPath: fixture.folder.agentFolder).filter {
            BatchID.isDay($0)
        }
        #expect(days == [BatchID.day(Self.now - Self.day)], "the emptied day folders are gone")
        #expect(
            outcome.deletions.first?.description
                == "retention deleted '\(old1)' (100 bytes): older than 7d (retention)")
    }

    @Test("By size: the oldest go while the finished batches total more than retention_size")
    func bySize() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let first = try fixture.batch(daysAgo: 3, bytes: 1_000, seq: 1)
        let second = try fixture.batch(daysAgo: 2, bytes: 1_000, seq: 2)
        let third = try fixture.batch(daysAgo: 2, bytes: 1_000, seq: 3)
        let fourth = try fixture.batch(daysAgo: 0, bytes: 1_000, seq: 4)
        let outcome = BatchRetention(maxBytes: 2_500).apply(to: fixture.folder, now: Self.now)
        #expect(outcome.deletions.map(\.path) == [first, second])
        #expect(outcome.deletions.allSatisfy { $0.reason == .size(limit: 2_500) && $0.bytes == 1_000 })
        #expect(!fixture.exists(first) && !fixture.exists(second) && fixture.exists(third) && fixture.exists(fourth))
        #expect(
            outcome.deletions.first?.description
                == "retention deleted '\(first)' (1000 bytes): the batches total more than 2500 (retention_size)")
        #expect(BatchRetention(maxBytes: 2_500).apply(to: fixture.folder, now: Self.now).deletions.isEmpty)
    }

    @Test("Both: age first, then size over what is left; each deletion says why")
    func both() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let old = try fixture.batch(daysAgo: 40, bytes: 500, seq: 1)
        let big = try fixture.batch(daysAgo: 5, bytes: 3_000, seq: 2)
        let recent = try fixture.batch(daysAgo: 1, bytes: 800, seq: 3)
        let retention = BatchRetention(maxAge: .seconds(30 * 86_400), maxBytes: 1_000)
        let outcome = retention.apply(to: fixture.folder, now: Self.now)
        #expect(outcome.deletions.map(\.path) == [old, big])
        #expect(outcome.deletions.map(\.reason.name) == ["age", "size"])
        #expect(fixture.exists(recent))
    }

    @Test("A temporary batch (the open one) is never touched, and keeps its day folder; nor is anything else")
    func temporaryBatchIsSafe() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let old = try fixture.batch(daysAgo: 10, bytes: 100, seq: 1)
        let dayFolder = (old as NSString).deletingLastPathComponent
        let name = (old as NSString).lastPathComponent
        let temporary =
            dayFolder + "/" + BatchFileName.temporaryName(of: name.replacingOccurrences(of: "-1.", with: "-2."))
        try Data(repeating: 0x41, count: 5_000).write(to: URL(fileURLWithPath: temporary))
        let notes = dayFolder + "/notes.txt"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: notes))
        let otherFolder = fixture.folder.agentFolder + "/archive"
        try FileManager.default.createDirectory(atPath: otherFolder, withIntermediateDirectories: true)
        let archived = otherFolder + "/a-20200101T000000Z-9.ndjson"
        try Data("x".utf8).write(to: URL(fileURLWithPath: archived))
        try fixture.folder.writeState("state", "next_seq 3\nnext_round 3\n")

        let outcome = BatchRetention(maxAge: .seconds(1), maxBytes: 1 << 20).apply(to: fixture.folder, now: Self.now)
        #expect(outcome.deletions.map(\.path) == [old])
        #expect(fixture.exists(temporary) && fixture.exists(notes) && fixture.exists(archived))
        #expect(fixture.exists(dayFolder), "a day folder holding a temporary batch stays")
        #expect(try fixture.folder.readState("state") != nil)
    }

    @Test("The batch just written can be kept; it still counts towards the size")
    func keeping() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let older = try fixture.batch(daysAgo: 2, bytes: 1_000, seq: 1)
        let written = try fixture.batch(daysAgo: 3, bytes: 1_000, seq: 2)
        let outcome = BatchRetention(maxBytes: 1_500).apply(to: fixture.folder, now: Self.now, keeping: [written])
        #expect(outcome.deletions.map(\.path) == [older])
        #expect(fixture.exists(written))
    }

    @Test("A batch whose name carries no time is judged by its modification time")
    func modificationTime() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let folder = fixture.folder.agentFolder + "/2026-11-01"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let renamed = folder + "/renamed.ndjson"
        let fresh = folder + "/fresh.ndjson"
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: renamed))
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: fresh))
        var times = [timeval(tv_sec: 1_000_000_000, tv_usec: 0), timeval(tv_sec: 1_000_000_000, tv_usec: 0)]
        #expect(utimes(renamed, &times) == 0)
        let outcome = BatchRetention(maxAge: .seconds(86_400)).apply(to: fixture.folder)
        #expect(outcome.deletions.map(\.path) == [renamed])
        #expect(fixture.exists(fresh))
    }

    @Test("No limits, nothing deleted; a missing lock file's folder is a problem, not a crash")
    func disabledAndProblems() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let old = try fixture.batch(daysAgo: 1_000, bytes: 10, seq: 1)
        #expect(!BatchRetention().isEnabled)
        #expect(BatchRetention().apply(to: fixture.folder, now: Self.now).deletions.isEmpty)
        #expect(fixture.exists(old))
        #expect(BatchRetention(OutputSettings(retention: .seconds(60))) == BatchRetention(maxAge: .seconds(60)))
        #expect(BatchRetention(OutputSettings(retentionSize: 1 << 30)) == BatchRetention(maxBytes: 1 << 30))
        try FileManager.default.removeItem(atPath: fixture.folder.agentFolder)
        let outcome = BatchRetention(maxAge: .seconds(1)).apply(to: fixture.folder, now: Self.now)
        #expect(outcome.deletions.isEmpty)
        #expect(outcome.problems.count == 1)
    }

    @Test("Batch ids give back the time they were opened; day folder names are checked")
    func idTimes() {
        let opened: Int64 = 1_795_003_261_000_000
        let id = BatchID.make(agent: "probe-ams-01", microseconds: opened, firstSeq: 42)
        #expect(BatchID.openedMicroseconds(ofBatch: id + ".ndjson") == opened)
        #expect(BatchID.openedMicroseconds(ofBatch: id + ".ndjson.gz") == opened)
        #expect(BatchID.openedMicroseconds(ofBatch: "a-20240229T235959Z-1.ndjson") == 1_709_251_199_000_000)
        for bad in [
            "a-20230229T000000Z-1.ndjson", "a-20261301T000000Z-1.ndjson", "a-20261130T240000Z-1.ndjson",
            "renamed.ndjson", "a-2026113T000000Z-1.ndjson", "20261130T000000Z.ndjson",
        ] {
            #expect(BatchID.openedMicroseconds(ofBatch: bad) == nil, "\(bad)")
        }
        #expect(BatchID.isDay("2024-02-29") && !BatchID.isDay("2023-02-29") && !BatchID.isDay("archive"))
    }

    @Test("probe applies the config's retention after writing its batch, and keeps the batch it wrote")
    func oneShotProbe() throws {
        let server = try LoopbackServer.start()
        defer { server.stop() }
        let fixture = try Fixture()
        defer { fixture.remove() }
        let ancient = try fixture.batch(daysAgo: 400, bytes: 100, seq: 1)
        let config = try ConfigLoader.load(
            yaml: """
                agent: a
                output:
                  retention: 30d
                  retention_size: 1MiB
                defaults:
                  count: 1
                targets:
                  - url: \(server.url("/"))
                """, source: "retention.yaml")
        try fixture.folder.writeState("state", "next_seq 2\nnext_round 2\n")
        let result = try OneShotProbe(config: config).run(engine: ProbeEngine(), destination: .folder(fixture.root))
        #expect(result.retention.map(\.path) == [ancient])
        #expect(result.retention.first?.reason == .age(limit: .seconds(30 * 86_400)))
        let written = try #require(result.batchPath)
        #expect(fixture.exists(written))
        #expect(!fixture.exists(ancient))
    }

    @Test("A batch an export sink has not accepted outlives retention; retention_size still deletes it, as data lost")
    func exportKeepsUnshipped() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let shipped = try fixture.batch(daysAgo: 10, bytes: 100, seq: 1)
        let waiting = try fixture.batch(daysAgo: 9, bytes: 200, seq: 2)
        let young = try fixture.batch(daysAgo: 1, bytes: 300, seq: 3)
        let unshipped: (FinishedBatch) -> [String] = { $0.path == waiting ? ["fleet"] : [] }
        let byAge = BatchRetention(maxAge: .seconds(7 * 86_400))
            .apply(to: fixture.folder, now: Self.now, unshipped: unshipped)
        #expect(byAge.deletions == [.init(path: shipped, bytes: 100, reason: .age(limit: .seconds(7 * 86_400)))])
        #expect(fixture.exists(waiting) && fixture.exists(young))
        // Over the size limit, the waiting batch goes anyway, and the deletion says what was lost.
        let bySize = BatchRetention(maxAge: .seconds(7 * 86_400), maxBytes: 400)
            .apply(to: fixture.folder, now: Self.now, unshipped: unshipped)
        #expect(bySize.deletions == [.init(path: waiting, bytes: 200, reason: .size(limit: 400), unshippedSinks: ["fleet"])])
        #expect(!fixture.exists(waiting) && fixture.exists(young))
        #expect(
            bySize.deletions[0].description.hasSuffix(
                "the batches total more than 400 (retention_size); data lost: export sink 'fleet' never received it"),
            "\(bySize.deletions[0])")
    }
}
