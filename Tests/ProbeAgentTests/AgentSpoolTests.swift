import CurlKit
import Foundation
import Logging
import ProbeAgent
import ProbeCore
import TestSupport
import Testing

/// The agent's spool in-process, on a real folder: rounds never split across batches, `seq` stamped in
/// order, a failing disk retried with a back-off that doubles up to its cap, and everything written once the
/// disk is back.
@Suite("Agent spool")
struct AgentSpoolTests {
    private func spool(
        _ root: String, batchSize: Int = 5, buffer: Int = 1_000
    ) throws -> (AgentSpool, OutputFolder, AgentCounters) {
        let folder = try OutputFolder(root: root, agent: "a")
        let counters = AgentCounters(start: BatchCounters())
        let spool = AgentSpool(
            folder: folder, settings: SpoolSettings(batchSize: batchSize, batchAge: .seconds(3_600), buffer: buffer),
            counters: counters, reserved: BatchCounters(), logger: Logger(label: "test"))
        return (spool, folder, counters)
    }

    /// `count` samples of one round, numbered by the spool when written.
    private func round(_ count: Int, round: Int64) -> [Sample] {
        SampleSynthesizer.twoPaths(rounds: 1, count: count).samples().prefix(count).map { sample in
            var sample = sample
            sample.round = round
            return sample
        }
    }

    private func batches(_ root: String) throws -> [[Sample]] {
        let dayFolders = try FileManager.default.contentsOfDirectory(atPath: root + "/a").filter { $0.first!.isNumber }
        var result: [[Sample]] = []
        for day in dayFolders {
            for name in try FileManager.default.contentsOfDirectory(atPath: root + "/a/" + day).sorted()
            where name.hasSuffix(".ndjson") && !name.hasPrefix(".") {
                let data = try Data(contentsOf: URL(fileURLWithPath: root + "/a/" + day + "/" + name))
                result.append(try SampleDecoder().decodeLines(Array(data)))
            }
        }
        return result.sorted { ($0.first?.seq ?? 0) < ($1.first?.seq ?? 0) }
    }

    @Test("A batch is finished after the round that reaches the batch size; rounds are never split; seq in order")
    func rotationBySize() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (spool, _, counters) = try spool(root, batchSize: 5)
        for (index, size) in [3, 3, 2, 4, 1].enumerated() { spool.add(round(size, round: Int64(index + 1))) }
        spool.close()
        let written = try batches(root)
        #expect(written.map(\.count) == [6, 6, 1], "3+3 reaches 5, 2+4 does, 1 is finished at close")
        #expect(written.joined().map(\.seq) == Array(1...13))
        for batch in written {
            #expect(Set(batch.map(\.batch)).count == 1)
            #expect(batch.first.map { $0.batch.hasSuffix("-\($0.seq)") } == true, "the id carries the first seq")
        }
        #expect(counters.current.nextSeq == 14)
        #expect(spool.written == 13 && spool.batchesFinished == 3)
    }

    @Test("A failing disk is retried after 1, 2, 4, 8, 16, then every 30 s; the buffer is written in order after")
    func backoff() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (spool, folder, _) = try spool(root, batchSize: 100)
        // The day folder's name taken by a file: every batch fails to open.
        let day = folder.agentFolder + "/" + BatchID.day(MultiHandle.wallClockMicroseconds())
        try "x".write(toFile: day, atomically: true, encoding: .utf8)
        var now: Int64 = 1_000_000_000
        spool.add(round(2, round: 1), now: now)
        var delays: [Int64] = []
        for _ in 0..<8 {
            let next = try #require(spool.nextAttempt)
            delays.append((next - now) / 1_000_000)
            now = next
            spool.tick(now: now)
        }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30, 30])
        spool.add(round(3, round: 2), now: now)
        #expect(spool.buffered == 5, "nothing written, nothing dropped")
        try FileManager.default.removeItem(atPath: day)
        now = try #require(spool.nextAttempt)
        spool.tick(now: now)
        #expect(spool.nextAttempt == nil && spool.buffered == 0)
        spool.close()
        #expect(try batches(root).joined().map(\.seq) == Array(1...5))
    }
}
