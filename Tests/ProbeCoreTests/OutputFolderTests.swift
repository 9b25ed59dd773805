import Foundation
import ProbeCore
import Synchronization
import TestSupport
import Testing

/// The output folder hands out each `seq` once, even to overlapping runs, and writes batches atomically.
@Suite("Output folder")
struct OutputFolderTests {
    @Test("Concurrent reservations never overlap and leave no gaps")
    func concurrentReservations() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ranges = Mutex<[ClosedRange<Int64>]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            guard let folder = try? OutputFolder(root: root, agent: "a") else { return }
            for attempt in 0..<40 {
                let count = 1 + (worker * 7 + attempt) % 5
                guard let reservation = try? folder.reserve(count: count) else { continue }
                ranges.withLock { $0.append(reservation.firstSeq...reservation.firstSeq + Int64(count) - 1) }
            }
        }
        let sorted = ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
        #expect(sorted.count == 320)
        #expect(sorted.first?.lowerBound == 1)
        for (previous, next) in zip(sorted, sorted.dropFirst()) {
            #expect(next.lowerBound == previous.upperBound + 1)
        }
        let rounds = try OutputFolder(root: root, agent: "a").reserve(count: 0).round
        #expect(rounds == 321)
    }

    @Test("A batch is written under its id in its day folder, with no temporary file left")
    func writeBatch() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try OutputFolder(root: root, agent: "a")
        let path = try folder.writeBatch(id: "a-20261128T000000Z-1", day: "2026-11-28", contents: Array("x\n".utf8))
        #expect(path == root + "/a/2026-11-28/a-20261128T000000Z-1.ndjson")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root + "/a/2026-11-28") == [
                "a-20261128T000000Z-1.ndjson"
            ])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "x\n")
    }

    @Test("A folder that cannot be created is an error naming the path")
    func unwritable() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "x".write(toFile: root + "/file", atomically: true, encoding: .utf8)
        #expect {
            _ = try OutputFolder(root: root + "/file/out", agent: "a")
        } throws: { error in
            "\(error)".contains(root + "/file/out")
        }
    }
}
