import Foundation
import ProbeCore
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The output folder against lost state, name clashes and files that are not what they seem: a finished
/// batch is never replaced, a lost `state` is rebuilt from the batches, and nothing at a temporary or state
/// name is followed or read unless it is a regular file.
@Suite("Spool safety")
struct SpoolSafetyTests {
    private static func samples(for batch: BatchWriter.Batch) -> [Sample] {
        SampleSynthesizer.twoPaths(rounds: 1, count: batch.count).samples().prefix(batch.count).enumerated().map {
            index, sample in
            var sample = sample
            sample.batch = batch.id
            sample.round = batch.round
            sample.seq = batch.firstSeq + Int64(index)
            return sample
        }
    }

    private static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    private static func isRegular(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    private static func hidden(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }.sorted()
    }

    /// How the state file is damaged before the next run.
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        case missing, empty, garbled, overflowing, symbolicLink, fifo
        var testDescription: String { rawValue }
    }

    @Test(
        "A missing, empty, garbled, linked or FIFO state is rebuilt from the batches, with a warning",
        arguments: Damage.allCases)
    func lostState(_ damage: Damage) throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var first = try BatchWriter(destination: .folder(root), agent: "a")
        for count in [3, 4] {
            let batch = try first.openBatch(count: count)
            try first.write(Self.samples(for: batch), to: batch)
        }
        let state = root + "/a/state"
        let elsewhere = root + "/elsewhere"
        try "next_seq 1\nnext_round 1\n".write(toFile: elsewhere, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: state)
        switch damage {
        case .missing: break
        case .empty: try "".write(toFile: state, atomically: true, encoding: .utf8)
        case .garbled: try "next_seq \u{0}\u{1}zz\n".write(toFile: state, atomically: true, encoding: .utf8)
        case .overflowing:
            try "next_seq 9223372036854775807\nnext_round 1\n".write(toFile: state, atomically: true, encoding: .utf8)
        case .symbolicLink: try FileManager.default.createSymbolicLink(atPath: state, withDestinationPath: elsewhere)
        case .fifo: #expect(mkfifo(state, 0o644) == 0)
        }

        var second = try BatchWriter(destination: .folder(root), agent: "a")
        let batch = try second.openBatch(count: 2)
        #expect((batch.firstSeq, batch.round) == (8, 3), "seq and round count on after the batches")
        #expect(second.warnings.count == 1, "\(second.warnings)")
        #expect(second.warnings.first?.contains(state) == true)
        #expect(second.warnings.first?.contains("next_seq 8, next_round 3") == true, "\(second.warnings)")
        #expect(try String(contentsOfFile: state, encoding: .utf8) == "next_seq 10\nnext_round 4\n")
        #expect(Self.isRegular(state), "the state is a regular file again")
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "next_seq 1\nnext_round 1\n")
        _ = try second.openBatch(count: 1)
        #expect(second.warnings.count == 1, "a sound state gives no further warning")
    }

    @Test("Rebuilding reads a long last line, counts a compressed batch by its name, and skips stdout's run ids")
    func rebuildSources() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let day = root + "/a/2026-11-28"
        try FileManager.default.createDirectory(atPath: day, withIntermediateDirectories: true)
        let padding = String(repeating: "x", count: 100_000)
        try "{\"seq\":1,\"round\":1}\n{\"round\":7,\"pad\":\"\(padding)\",\"seq\":40}\n".write(
            toFile: day + "/a-20261128T000000Z-1.ndjson", atomically: true, encoding: .utf8)
        try "not gzip".write(toFile: day + "/a-20261128T000001Z-41.ndjson.gz", atomically: true, encoding: .utf8)
        try "{\"seq\":900,\"round\":900}\n".write(
            toFile: day + "/a-20261128T000002Z-r00ff00ff.ndjson", atomically: true, encoding: .utf8)
        var writer = try BatchWriter(destination: .folder(root), agent: "a")
        let batch = try writer.openBatch(count: 1)
        #expect((batch.firstSeq, batch.round) == (42, 8), "\(writer.warnings)")
        #expect(writer.warnings.count == 1 && writer.warnings[0].contains("is missing"), "\(writer.warnings)")
    }

    @Test("A new agent folder starts at 1 with no warning; a state behind is not second-guessed")
    func freshState() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var writer = try BatchWriter(destination: .folder(root), agent: "a")
        let batch = try writer.openBatch(count: 5)
        #expect((batch.firstSeq, batch.round) == (1, 1))
        #expect(writer.warnings.isEmpty)
    }

    @Test("A finished batch (or a link) at a batch's name is never replaced; the lines stay in the temporary file")
    func neverOverwrite() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var writer = try BatchWriter(destination: .folder(root), agent: "a")
        let elsewhere = root + "/elsewhere"
        try "precious\n".write(toFile: elsewhere, atomically: true, encoding: .utf8)
        for planted in ["file", "link"] {
            let batch = try writer.openBatch(count: 2)
            let day = root + "/a/" + batch.day
            try FileManager.default.createDirectory(atPath: day, withIntermediateDirectories: true)
            let path = day + "/" + batch.id + ".ndjson"
            if planted == "file" {
                try "earlier batch\n".write(toFile: path, atomically: true, encoding: .utf8)
            } else {
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: elsewhere)
            }
            #expect {
                try writer.write(Self.samples(for: batch), to: batch)
            } throws: { error in
                "\(error)".contains(path) && "\(error)".contains("never replaced")
            }
            if planted == "file" {
                #expect(try String(contentsOfFile: path, encoding: .utf8) == "earlier batch\n")
            } else {
                #expect(Self.isSymbolicLink(path))
            }
            #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "precious\n")
            let kept = try Self.hidden(in: day)
            #expect(kept.count == 1 && kept[0].hasPrefix("." + batch.id + ".ndjson.tmp-"), "\(kept)")
            let samples = try SampleDecoder().decodeLines(Data(contentsOf: URL(fileURLWithPath: day + "/" + kept[0])))
            #expect(samples.map(\.seq) == [batch.firstSeq, batch.firstSeq + 1])

            let warningsBefore = writer.warnings.count
            #expect(try writer.recoverTemporaryBatches().isEmpty)
            #expect(writer.warnings.count == warningsBefore + 1 && writer.warnings.last?.contains(kept[0]) == true)
            #expect(try Self.hidden(in: day) == kept, "recovery keeps the lines rather than replace the batch")
            try FileManager.default.removeItem(atPath: day + "/" + kept[0])
        }
    }

    @Test("A symbolic link planted at the predictable temporary name is neither followed nor made the batch")
    func plantedTemporaryLink() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var writer = try BatchWriter(destination: .folder(root), agent: "a")
        let elsewhere = root + "/elsewhere"
        try "precious\n".write(toFile: elsewhere, atomically: true, encoding: .utf8)
        let batch = try writer.openBatch(count: 2)
        let day = root + "/a/" + batch.day
        try FileManager.default.createDirectory(atPath: day, withIntermediateDirectories: true)
        let planted = day + "/." + batch.id + ".ndjson.tmp"
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: elsewhere)

        let path = try #require(try writer.write(Self.samples(for: batch), to: batch))
        #expect(Self.isRegular(path), "the batch is a regular file, not the planted link")
        #expect(try SampleDecoder().decodeLines(Data(contentsOf: URL(fileURLWithPath: path))).count == 2)
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "precious\n")

        #expect(try writer.recoverTemporaryBatches().isEmpty)
        #expect(writer.warnings.count == 1 && writer.warnings[0].contains("symbolic link"), "\(writer.warnings)")
        #expect(Self.isSymbolicLink(planted), "left in place")
        #expect(try String(contentsOfFile: elsewhere, encoding: .utf8) == "precious\n")
    }

    @Test(
        "Recovery passes over a link to /dev/zero and a FIFO at once, leaves a live writer's file, takes a dead one's")
    func recoveryOddFiles() throws {
        let root = try CommandRunner.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var writer = try BatchWriter(destination: .folder(root), agent: "a")
        let day = root + "/a/2026-11-28"
        try FileManager.default.createDirectory(atPath: day, withIntermediateDirectories: true)
        let zero = day + "/.a-20261128T000000Z-1.ndjson.tmp"
        try FileManager.default.createSymbolicLink(atPath: zero, withDestinationPath: "/dev/zero")
        let fifo = day + "/.a-20261128T000000Z-2.ndjson.tmp-1-00ff"
        #expect(mkfifo(fifo, 0o644) == 0)
        let live = day + "/.a-20261128T000000Z-3.ndjson.tmp-\(getpid())-0123456789abcdef"
        try "{\"seq\":3}\n".write(toFile: live, atomically: false, encoding: .utf8)
        let liveFD = open(live, O_RDONLY)
        defer { close(liveFD) }
        #expect(flock(liveFD, LOCK_EX) == 0)
        let dead = day + "/.a-20261128T000000Z-4.ndjson.tmp-999999-00ff"
        try "{\"seq\":4}\n{\"se".write(toFile: dead, atomically: false, encoding: .utf8)
        let stateTemporary = root + "/a/.paths.state.tmp-999999-00ff"
        try "x".write(toFile: stateTemporary, atomically: false, encoding: .utf8)

        let start = ContinuousClock.now
        let recovered = try writer.recoverTemporaryBatches()
        #expect(ContinuousClock.now - start < .seconds(5))
        #expect(recovered.map(\.path) == [day + "/a-20261128T000000Z-4.ndjson"])
        #expect(try String(contentsOfFile: recovered[0].path, encoding: .utf8) == "{\"seq\":4}\n")
        #expect(writer.warnings.count == 2, "\(writer.warnings)")
        #expect(writer.warnings.contains { $0.contains(zero) && $0.contains("symbolic link") })
        #expect(writer.warnings.contains { $0.contains(fifo) && $0.contains("FIFO") })
        #expect(try Self.hidden(in: day) == [zero, fifo, live].map { String($0.split(separator: "/").last!) }.sorted())
        #expect(!FileManager.default.fileExists(atPath: stateTemporary), "a dead writer's state file is removed")
    }
}
