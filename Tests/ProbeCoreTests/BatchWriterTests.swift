import Foundation
import ProbeCore
import Synchronization
import TestSupport
import Testing

/// The batch writer hands out each `seq` once, even to overlapping writers, writes batches atomically under
/// their id in their day folder, and recovers what a crashed writer left.
@Suite("Batch writer")
struct BatchWriterTests {
    private static func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    }

    @Test("Concurrent reservations never overlap and leave no gaps; each takes one round")
    func concurrentReservations() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ranges = Mutex<[ClosedRange<Int64>]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            guard var writer = try? BatchWriter(destination: .folder(root), agent: "a") else { return }
            for attempt in 0..<40 {
                let count = 1 + (worker * 7 + attempt) % 5
                guard let batch = try? writer.openBatch(count: count) else { continue }
                ranges.withLock { $0.append(batch.firstSeq...batch.firstSeq + Int64(count) - 1) }
            }
        }
        let sorted = ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
        #expect(sorted.count == 320)
        #expect(sorted.first?.lowerBound == 1)
        for (previous, next) in zip(sorted, sorted.dropFirst()) {
            #expect(next.lowerBound == previous.upperBound + 1)
        }
        var writer = try BatchWriter(destination: .folder(root), agent: "a")
        #expect(try writer.openBatch(count: 0).round == 321)
    }

    @Test("Reserving, then writing: the state file counts on, and the batch lands under its id and day")
    func reserveAndWrite() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var writer = try BatchWriter(destination: .folder(root + "/"), agent: "edge-1")
        #expect(writer.folder?.agentFolder == root + "/edge-1")
        let first = try writer.openBatch(count: 3)
        let batch = try writer.openBatch(count: 4)
        #expect((first.firstSeq, first.round, batch.firstSeq, batch.round, batch.count) == (1, 1, 4, 2, 4))
        #expect(batch.id.hasPrefix("edge-1-") && batch.id.hasSuffix("Z-4"), "\(batch.id)")
        #expect(batch.day.count == 10 && batch.id.dropFirst("edge-1-".count).hasPrefix(batch.day.filter { $0 != "-" }))
        #expect(
            try String(contentsOfFile: root + "/edge-1/state", encoding: .utf8) == "next_seq 8\nnext_round 3\n")

        let samples = SampleSynthesizer.twoPaths(rounds: 1, count: 2).samples().enumerated().map { index, sample in
            var sample = sample
            sample.batch = batch.id
            sample.seq = batch.firstSeq + Int64(index)
            return sample
        }
        let path = try #require(try writer.write(samples, to: batch))
        let dayFolder = root + "/edge-1/" + batch.day
        #expect(path == dayFolder + "/" + batch.id + ".ndjson")
        #expect(try Self.files(in: dayFolder) == [batch.id + ".ndjson"], "no temporary file is left")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(SampleEncoder().encode(samples)))
    }

    @Test("Temporary batches are recovered: complete lines kept under the meant name, a torn last line dropped")
    func recoverTemporaryBatches() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var writer = try BatchWriter(destination: .folder(root), agent: "a")
        let day = root + "/a/2026-11-28"
        try FileManager.default.createDirectory(atPath: day, withIntermediateDirectories: true)
        try "{\"seq\":1}\n{\"seq\":2}\n{\"se".write(
            toFile: day + "/.a-20261128T000000Z-1.ndjson.tmp", atomically: false, encoding: .utf8)
        try "{\"se".write(toFile: day + "/.a-20261128T000001Z-3.ndjson.tmp", atomically: false, encoding: .utf8)
        try "kept\n".write(toFile: day + "/notes.tmp", atomically: false, encoding: .utf8)

        let recovered = try writer.recoverTemporaryBatches()
        #expect(
            recovered == [RecoveredBatch(path: day + "/a-20261128T000000Z-1.ndjson", lines: 2, droppedTornLine: true)])
        #expect(try Self.files(in: day) == ["a-20261128T000000Z-1.ndjson", "notes.tmp"])
        #expect(try String(contentsOfFile: recovered[0].path, encoding: .utf8) == "{\"seq\":1}\n{\"seq\":2}\n")
        #expect(try writer.recoverTemporaryBatches().isEmpty, "nothing is left to recover")
        #expect(writer.warnings.isEmpty)
    }

    @Test("To standard output, numbers start at 1 and count on in memory; ids are fresh run ids")
    func standardOutputNumbers() throws {
        var writer = try BatchWriter(destination: .standardOutput, agent: "a")
        #expect(writer.folder == nil)
        #expect(try writer.recoverTemporaryBatches().isEmpty)
        let first = try writer.openBatch(count: 2)
        let second = try writer.openBatch(count: 5)
        #expect((first.firstSeq, first.round, second.firstSeq, second.round) == (1, 1, 3, 2))
        #expect(first.id.hasPrefix("a-") && first.id.contains("Z-r") && first.id != second.id)
    }
}
